// attention.*: what needs attention, rotating what is due (progress as keys.rotation.progress, like
// any bulk rotation), and on unlock a desktop notification when keys are due.
import { acknowledgeKey, dueNotice, needsAttention } from '../../service/ages/attention';
import { rotateDue } from '../../service/ages/rotate-due';
import { systemClock } from '../../service/ages/status';
import { keyView } from '../../service/keys';
import type { HandlersFor } from '../router';
import type { HandlerDeps } from './deps';

export function attentionHandlers({ ctx, vault, remote }: HandlerDeps): HandlersFor<'attention'> {
  const clock = ctx.clock ?? systemClock;
  vault.onUnlock((session) => {
    const notice = dueNotice(needsAttention(session, {}, clock));
    if (notice) ctx.platform.notify(notice);
  });
  return {
    'attention.get': ({ workspaceId }) => needsAttention(vault.session(), workspaceId ? { workspace: workspaceId } : {}, clock),
    'attention.rotateDue': async ({ workspaceId, concurrency }) => {
      const session = await remote.ready();
      return rotateDue(session, workspaceId ? { workspace: workspaceId } : {}, {
        ...remote.progress,
        clock,
        ...(concurrency ? { concurrency } : {}),
      });
    },
    'attention.acknowledge': ({ id }) => {
      const session = vault.session();
      return keyView(session, acknowledgeKey(session, id));
    },
  };
}
