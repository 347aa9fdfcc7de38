// bridge.*: the renderer's answer to a CLI caller's approval (main/service/app-bridge.ts).
import type { HandlersFor } from '../router';
import type { HandlerDeps } from './deps';

export function bridgeHandlers({ approvals }: HandlerDeps): HandlersFor<'bridge'> {
  return {
    'bridge.answer': ({ id, answer }) => ({ accepted: approvals.answer(id, answer) }),
  };
}
