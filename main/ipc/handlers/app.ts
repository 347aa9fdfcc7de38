// app.*: what is running.
import { APP_NAME, APP_VERSION } from '../../service/app';
import type { HandlersFor } from '../router';
import type { HandlerDeps } from './deps';

export function appHandlers({ ctx }: HandlerDeps): HandlersFor<'app'> {
  return {
    'app.info': () => ({ name: APP_NAME, version: APP_VERSION, platform: process.platform, harness: ctx.harness }),
  };
}
