import type { Handlers } from '../ipc/router';
import { appHandlers } from './app';
import type { ServiceContext } from './context';

/** Every channel's handler, gathered from the use-case modules. */
export function createHandlers(ctx: ServiceContext): Handlers {
  return {
    ...appHandlers(ctx),
  };
}
