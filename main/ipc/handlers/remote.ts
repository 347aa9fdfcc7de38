// remote.*: what each platform can do, and the journal of interrupted rotations.
import { CAPABILITIES } from '../../providers/types';
import { pendingRotations, rotationSummary } from '../../service/rotation';
import type { HandlersFor } from '../router';
import type { HandlerDeps } from './deps';

export function remoteHandlers({ vault, remote }: HandlerDeps): HandlersFor<'remote'> {
  return {
    'remote.capabilities': () => CAPABILITIES,
    'remote.pending': () => pendingRotations(vault.session()),
    'remote.resume': async () => rotationSummary(await remote.resume(vault.session())),
  };
}
