// vault.*: the vault file itself: create, unlock, lock, settings, KDF, backup and restore, and the
// user's presence at the window (which keeps auto-lock away).
import { KeyholdError } from '../../errors';
import { restoreBackup, writeBackup } from '../../service/backup';
import { readSettings, writeSettings } from '../../service/vault-settings';
import { changeMasterPassword, inspectVaultFile, rekeyVault, unlockKey } from '../../vault';
import { KDF_FLOOR, timeKdf } from '../../vault/crypto';
import type { VaultSession } from '../../vault/types';
import type { HandlersFor } from '../router';
import type { HandlerDeps } from './deps';

/** The app asks for the master password again before changing the vault's key: an unattended
 * unlocked window is not enough (WRONG_PASSWORD otherwise). */
async function confirmMasterPassword(session: VaultSession, password: string): Promise<void> {
  const key = await unlockKey(inspectVaultFile(session.path), password);
  key.fill(0);
}

export function vaultHandlers({ vault, agent, grants }: HandlerDeps): HandlersFor<'vault'> {
  return {
    'vault.status': () => vault.status(),
    'vault.create': async ({ password, kdf }) => {
      await vault.create(password, kdf ? { kdf } : {});
      return vault.status();
    },
    'vault.unlock': async ({ password, acceptRollback }) => {
      await vault.unlock(password, { acceptRollback });
      return vault.status();
    },
    'vault.lock': () => {
      vault.lock('explicit');
      return vault.status();
    },
    'vault.info': () => vault.session().stats(),
    'vault.changePassword': async ({ currentPassword, newPassword, rekey }) => {
      const session = vault.session();
      await confirmMasterPassword(session, currentPassword);
      if (rekey) await rekeyVault(session, newPassword);
      else await changeMasterPassword(session, newPassword);
      return { changed: true as const };
    },
    'vault.settings.get': () => readSettings(vault.session()),
    'vault.settings.set': (patch) => {
      const next = writeSettings(vault.session(), patch);
      vault.activity(); // a new auto-lock time takes effect now
      if (patch.agentEnabled !== undefined) void agent.setEnabled(next.agentEnabled);
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
    'vault.backup': ({ path, token, passphrase, force }) =>
      writeBackup(vault.session(), grants.path({ path, token }, 'save')!, passphrase, { force }),
    'vault.restore': async ({ file, token, passphrase, password }) => {
      if (vault.status().state !== 'absent')
        throw new KeyholdError('CONFLICT', 'A vault already exists here: restore goes into a new vault file.');
      const session = await restoreBackup(grants.path({ path: file, token }, 'open')!, passphrase, vault.path, password);
      const stats = session.stats();
      session.lock();
      await vault.unlock(password);
      return { path: stats.path, workspaces: stats.workspaces, environments: stats.environments, keys: stats.keys };
    },
    'vault.activity': () => {
      vault.activity();
      return {};
    },
  };
}
