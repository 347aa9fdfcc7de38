// workspaces.*: accounts on a platform, connecting them and syncing their keys.
import { connectWorkspace, workspaceAccess } from '../../service/connect';
import { syncWorkspace } from '../../service/sync';
import { addWorkspace, removeWorkspace, updateWorkspace } from '../../service/workspaces';
import type { HandlersFor } from '../router';
import type { HandlerDeps } from './deps';

export function workspacesHandlers({ ctx, vault, remote }: HandlerDeps): HandlersFor<'workspaces'> {
  return {
    'workspaces.list': () => {
      const session = vault.session();
      // with what each credential may do, so the UI can warn before an action the platform refuses
      return session.listWorkspaces().map((w) => ({ ...w, access: workspaceAccess(session, w) }));
    },
    'workspaces.add': (input) => addWorkspace(vault.session(), input),
    'workspaces.update': ({ id, ...patch }) => updateWorkspace(vault.session(), id, patch),
    'workspaces.remove': ({ id }) => ({ removed: removeWorkspace(vault.session(), id).id }),
    'workspaces.connect': async ({ workspaceId, ...rest }) => connectWorkspace(await remote.ready(), { workspace: workspaceId, ...rest }),
    'workspaces.sync': async ({ id }) => syncWorkspace(await remote.ready(), id, {}, (p) => ctx.emit('workspaces.sync.progress', p)),
  };
}
