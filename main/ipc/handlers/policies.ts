// policies.*: rotation policies per workspace or environment.
import { policyViews, removePolicy, setPolicy } from '../../service/ages/policies';
import type { HandlersFor } from '../router';
import type { HandlerDeps } from './deps';

export function policiesHandlers({ vault }: HandlerDeps): HandlersFor<'policies'> {
  return {
    'policies.list': () => policyViews(vault.session()),
    'policies.set': ({ workspaceId, environmentId, maxAgeDays, warnDays }) =>
      setPolicy(vault.session(), {
        workspace: workspaceId,
        env: environmentId ?? null,
        maxAgeDays,
        ...(warnDays !== undefined ? { warnDays } : {}),
      }),
    'policies.remove': ({ id }) => {
      removePolicy(vault.session(), id);
      return { removed: id };
    },
  };
}
