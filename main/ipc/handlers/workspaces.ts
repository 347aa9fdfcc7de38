// workspaces.*: accounts on a platform, connecting them and syncing their keys.
import { connectWorkspace } from '../../service/connect';
import { syncWorkspace } from '../../service/sync';
import { addWorkspace, removeWorkspace, updateWorkspace } from '../../service/workspaces';
import type { HandlersFor } from '../router';
import type { HandlerDeps } from './deps';

export function workspacesHandlers({ ctx, vault, remote }: HandlerDeps): HandlersFor<'workspaces'> {
  return {
    'workspaces.list': () => vault.session().listWorkspaces(),
    'workspaces.add': (input) => addWorkspace(vault.session(), input),
    'workspaces.update': ({ id, ...patch }) => updateWorkspace(vault.session(), id, patch),
    'workspaces.remove': ({ id }) => ({ removed: removeWorkspace(vault.session(), id).id }),
    'workspaces.connect': async ({ workspaceId, ...rest }) => connectWorkspace(await remote.ready(), { workspace: workspaceId, ...rest }),
    'workspaces.sync': async ({ id }) => syncWorkspace(await remote.ready(), id, {}, (p) => ctx.emit('workspaces.sync.progress', p)),
  };
}
