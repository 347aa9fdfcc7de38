// environments.*: scopes inside a workspace.
import { addEnvironment, listEnvironmentViews, removeEnvironment } from '../../service/workspaces';
import type { HandlersFor } from '../router';
import type { HandlerDeps } from './deps';

export function environmentsHandlers({ vault }: HandlerDeps): HandlersFor<'environments'> {
  return {
    'environments.list': ({ workspaceId }) => listEnvironmentViews(vault.session(), workspaceId),
    'environments.add': ({ workspaceId, name, remoteId }) => addEnvironment(vault.session(), { workspace: workspaceId, name, remoteId }),
    'environments.remove': ({ id }) => ({ removed: removeEnvironment(vault.session(), id).id }),
  };
}
