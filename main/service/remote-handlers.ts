// IPC handlers of the remote domain: connect, sync, create, rotate (with progress events),
// activate / deactivate / revoke / check, and the rotation journal. Interrupted rotations
// resume when the vault is unlocked, and before any remote call as a safety net.
import { CAPABILITIES } from '../providers/types';
import type { Handlers } from '../ipc/router';
import type { VaultSession } from '../vault/types';
import { connectWorkspace } from './connect';
import type { ServiceContext } from './context';
import { keyDetail } from './keys';
import { checkRemoteKey, createRemoteKey, editRemoteKey, revokeRemoteKey, setRemoteKeyActive } from './remote-keys';
import { pendingRotations, resumeRotations, rotateKeys, rotationSummary, type RotationProgress } from './rotation';
import { syncWorkspace } from './sync';
import type { VaultManager } from './vault-manager';

type RemoteChannels =
  | 'workspaces.connect'
  | 'workspaces.sync'
  | 'keys.create'
  | 'keys.rotate'
  | 'keys.activate'
  | 'keys.deactivate'
  | 'keys.revoke'
  | 'keys.check'
  | 'keys.editRemote'
  | 'remote.capabilities'
  | 'remote.pending'
  | 'remote.resume';

export function remoteHandlers(ctx: ServiceContext, vault: VaultManager): Pick<Handlers, RemoteChannels> {
  const progress = { onProgress: (p: RotationProgress) => ctx.emit('keys.rotation.progress', p) };
  let resumed: Promise<unknown> | null = null;
  const resume = (session: VaultSession) => (resumed ??= resumeRotations(session, progress).catch(() => undefined).finally(() => (resumed = null)));
  vault.onUnlock((session) => {
    void resume(session);
  });
  /** the session, once any interrupted rotation has had its chance to finish */
  const ready = async () => {
    const session = vault.session();
    await resume(session);
    return session;
  };
  return {
    'workspaces.connect': async ({ workspaceId, ...rest }) => {
      const session = await ready();
      return connectWorkspace(session, { workspace: workspaceId, ...rest });
    },
    'workspaces.sync': async ({ id }) => syncWorkspace(await ready(), id, {}, (p) => ctx.emit('workspaces.sync.progress', p)),
    'keys.create': async ({ workspaceId, environmentId, ...rest }) => {
      const session = await ready();
      const created = await createRemoteKey(session, { workspace: workspaceId, ...(environmentId ? { env: environmentId } : {}), ...rest });
      return { key: keyDetail(session, created.key), ...(created.registration ? { registration: created.registration } : {}) };
    },
    'keys.rotate': async ({ ids, concurrency }) => {
      // an interrupted rotation of one of these keys is finished by this call, not started anew
      const session = vault.session();
      await resumeRotations(session, { ...progress, except: ids });
      return rotationSummary(await rotateKeys(session, ids, { ...progress, ...(concurrency ? { concurrency } : {}) }));
    },
    'keys.activate': async ({ id }) => {
      const session = await ready();
      return keyDetail(session, await setRemoteKeyActive(session, id, true));
    },
    'keys.deactivate': async ({ id }) => {
      const session = await ready();
      return keyDetail(session, await setRemoteKeyActive(session, id, false));
    },
    'keys.revoke': async ({ id }) => {
      const session = await ready();
      return keyDetail(session, await revokeRemoteKey(session, id));
    },
    'keys.check': async ({ id }) => checkRemoteKey(await ready(), id),
    'keys.editRemote': async ({ id, ...patch }) => {
      const session = await ready();
      return keyDetail(session, await editRemoteKey(session, id, patch));
    },
    'remote.capabilities': () => CAPABILITIES,
    'remote.pending': () => pendingRotations(vault.session()),
    'remote.resume': async () => rotationSummary(await resumeRotations(vault.session(), progress)),
  };
}
