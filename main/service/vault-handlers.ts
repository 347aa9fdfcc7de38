// IPC handlers of the vault domain (issue 3): vault, settings, workspaces, environments, keys,
// audit, backup. Each calls the same use case the CLI calls, on the manager's session.
import { KeyholdError } from '../errors';
import type { Handlers } from '../ipc/router';
import { KDF_FLOOR, timeKdf } from '../vault/crypto';
import { changeMasterPassword, inspectVaultFile, unlockKey } from '../vault';
import { listAuditEvents, verifyAuditTrail } from './audit';
import { restoreBackup, writeBackup } from './backup';
import type { ServiceContext } from './context';
import { addKey, copySecret, editKey, keyDetail, keyHistory, keyView, listKeyViews, removeKey, revealSecret } from './keys';
import type { VaultSession } from '../vault/types';
import type { VaultManager } from './vault-manager';
import { readSettings, writeSettings } from './vault-settings';
import { addEnvironment, addWorkspace, listEnvironmentViews, removeEnvironment, removeWorkspace, updateWorkspace } from './workspaces';

type VaultChannels =
  | 'vault.create'
  | 'vault.unlock'
  | 'vault.lock'
  | 'vault.info'
  | 'vault.changePassword'
  | 'vault.settings.get'
  | 'vault.settings.set'
  | 'vault.kdf'
  | 'vault.kdf.measure'
  | 'vault.kdf.set'
  | 'vault.backup'
  | 'vault.restore'
  | 'workspaces.list'
  | 'workspaces.add'
  | 'workspaces.update'
  | 'workspaces.remove'
  | 'environments.list'
  | 'environments.add'
  | 'environments.remove'
  | 'keys.list'
  | 'keys.get'
  | 'keys.add'
  | 'keys.edit'
  | 'keys.remove'
  | 'keys.history'
  | 'keys.reveal'
  | 'keys.copy'
  | 'audit.list'
  | 'audit.verify';

/** The app asks for the master password again before changing the vault's key: an unattended
 * unlocked window is not enough (WRONG_PASSWORD otherwise). */
async function confirmMasterPassword(session: VaultSession, password: string): Promise<void> {
  const key = await unlockKey(inspectVaultFile(session.path), password);
  key.fill(0);
}

export function vaultHandlers(ctx: ServiceContext, vault: VaultManager): Pick<Handlers, VaultChannels> {
  return {
    'vault.create': async ({ password, kdf }) => {
      await vault.create(password, kdf ? { kdf } : {});
      return vault.status();
    },
    'vault.unlock': async ({ password }) => {
      await vault.unlock(password);
      return vault.status();
    },
    'vault.lock': () => {
      vault.lock('explicit');
      return vault.status();
    },
    'vault.info': () => vault.session().stats(),
    'vault.changePassword': async ({ currentPassword, newPassword }) => {
      const session = vault.session();
      await confirmMasterPassword(session, currentPassword);
      await changeMasterPassword(session, newPassword);
      return { changed: true as const };
    },
    'vault.settings.get': () => readSettings(vault.session()),
    'vault.settings.set': (patch) => {
      const next = writeSettings(vault.session(), patch);
      vault.activity(); // a new auto-lock time takes effect now
      return next;
    },
    'vault.kdf': () => ({ kdf: vault.session().stats().kdf, floor: { ...KDF_FLOOR } }),
    'vault.kdf.measure': async (kdf) => ({ ms: await timeKdf({ algorithm: 'argon2id', ...kdf }) }),
    'vault.kdf.set': async ({ password, kdf }) => {
      const session = vault.session();
      await confirmMasterPassword(session, password);
      const params = { algorithm: 'argon2id' as const, ...kdf };
      const t0 = performance.now();
      await changeMasterPassword(session, password, params, 'kdf_upgraded');
      return { kdf: session.stats().kdf, ms: performance.now() - t0 };
    },
    'vault.backup': ({ path, passphrase, force }) => writeBackup(vault.session(), path, passphrase, { force }),
    'vault.restore': async ({ file, passphrase, password }) => {
      if (vault.status().state !== 'absent') throw new KeyholdError('CONFLICT', 'A vault already exists here: restore goes into a new vault file.');
      const session = await restoreBackup(file, passphrase, vault.path, password);
      const stats = session.stats();
      session.lock();
      await vault.unlock(password);
      return { path: stats.path, workspaces: stats.workspaces, environments: stats.environments, keys: stats.keys };
    },

    'workspaces.list': () => vault.session().listWorkspaces(),
    'workspaces.add': (input) => addWorkspace(vault.session(), input),
    'workspaces.update': ({ id, ...patch }) => updateWorkspace(vault.session(), id, patch),
    'workspaces.remove': ({ id }) => ({ removed: removeWorkspace(vault.session(), id).id }),
    'environments.list': ({ workspaceId }) => listEnvironmentViews(vault.session(), workspaceId),
    'environments.add': ({ workspaceId, name, remoteId }) => addEnvironment(vault.session(), { workspace: workspaceId, name, remoteId }),
    'environments.remove': ({ id }) => ({ removed: removeEnvironment(vault.session(), id).id }),

    'keys.list': (query) => listKeyViews(vault.session(), query),
    'keys.get': ({ id }) => {
      const s = vault.session();
      return keyDetail(s, s.getKey(id));
    },
    'keys.add': (input) => {
      const s = vault.session();
      return keyView(s, addKey(s, input));
    },
    'keys.edit': ({ id, ...patch }) => {
      const s = vault.session();
      return keyView(s, editKey(s, id, patch));
    },
    'keys.remove': ({ id }) => {
      removeKey(vault.session(), id);
      return { removed: id };
    },
    'keys.history': ({ id }) => keyHistory(vault.session(), id),
    'keys.reveal': ({ id }) => ({ id, secret: revealSecret(vault.session(), id) }),
    'keys.copy': ({ id }) => {
      const s = vault.session();
      return copySecret(s, ctx.platform.clipboard, id, readSettings(s).clipboardClearSeconds);
    },
    'audit.list': (filter) => listAuditEvents(vault.session(), filter),
    'audit.verify': () => verifyAuditTrail(vault.session()),
  };
}
