// vault.*: the vault file itself: create, unlock, lock, settings, KDF, backup and restore.
import { z } from 'zod';
import { def, Empty, FileToken, Password, type NamespaceChannels, type NamespaceEvents } from './common';
import { LOCK_REASONS, THEMES, VAULT_STATES } from './constants';

export const VaultState = z.enum(VAULT_STATES);
export const VaultStatus = z.object({
  state: VaultState,
  path: z.string(),
});
export const KdfInfo = z.object({
  algorithm: z.literal('argon2id'),
  memoryKiB: z.number().int(),
  iterations: z.number().int(),
  parallelism: z.number().int(),
});
const KdfChoice = z.object({
  memoryKiB: z
    .number()
    .int()
    .min(65536)
    .max(4 * 1024 * 1024),
  iterations: z.number().int().min(3).max(1000),
  parallelism: z.number().int().min(1).max(255),
});
export const VaultCreateInput = z.object({ password: Password, kdf: KdfChoice.optional() }).strict();
/** acceptRollback: open a file older than one this computer has opened (a restored copy). */
export const VaultUnlockInput = z.object({ password: Password, acceptRollback: z.boolean().optional() }).strict();
/** rekey: a new vault key and every value re-sealed (passwd --rekey), not only a new wrap. */
export const VaultChangePasswordInput = z
  .object({ currentPassword: Password, newPassword: Password, rekey: z.boolean().optional() })
  .strict();
export const VaultInfo = z.object({
  path: z.string(),
  formatVersion: z.number().int(),
  kdf: KdfInfo,
  workspaces: z.number().int(),
  environments: z.number().int(),
  keys: z.number().int(),
});
export const Theme = z.enum(THEMES);
export const VaultSettings = z.object({
  /** 0 = never */
  autoLockMinutes: z
    .number()
    .int()
    .min(0)
    .max(24 * 60),
  clipboardClearSeconds: z.number().int().min(5).max(3600),
  theme: Theme,
  /** the desktop app runs the SSH agent while it is open */
  agentEnabled: z.boolean(),
});
export const VaultSettingsPatch = VaultSettings.partial().strict();
export const VaultKdf = z.object({ kdf: KdfInfo, floor: z.object({ memoryKiB: z.number(), iterations: z.number() }) });
export const VaultKdfMeasureInput = KdfChoice.strict();
export const VaultKdfSetInput = z.object({ password: Password, kdf: KdfChoice }).strict();
export const VaultBackupInput = z
  .object({ path: z.string().min(1), token: FileToken.optional(), passphrase: Password, force: z.boolean().optional() })
  .strict();
export const VaultBackupOutput = z.object({ path: z.string(), bytes: z.number().int(), keys: z.number().int() });
/** Restores a backup file as the app's vault (which must not exist yet), under a new master password. */
export const VaultRestoreInput = z
  .object({ file: z.string().min(1), token: FileToken.optional(), passphrase: Password, password: Password })
  .strict();
export const VaultRestoreOutput = z.object({
  path: z.string(),
  workspaces: z.number().int(),
  environments: z.number().int(),
  keys: z.number().int(),
});

export const vaultChannels = {
  'vault.status': def(Empty, VaultStatus, ['INTEGRITY']),
  'vault.create': def(VaultCreateInput, VaultStatus, ['CONFLICT', 'INVALID_INPUT', 'USAGE']),
  'vault.unlock': def(VaultUnlockInput, VaultStatus, ['WRONG_PASSWORD', 'NOT_FOUND', 'INTEGRITY', 'CONFLICT']),
  'vault.lock': def(Empty, VaultStatus, []),
  'vault.info': def(Empty, VaultInfo, ['LOCKED', 'INTEGRITY']),
  'vault.changePassword': def(VaultChangePasswordInput, z.object({ changed: z.literal(true) }), [
    'LOCKED',
    'WRONG_PASSWORD',
    'INVALID_INPUT',
  ]),
  'vault.settings.get': def(Empty, VaultSettings, ['LOCKED']),
  'vault.settings.set': def(VaultSettingsPatch, VaultSettings, ['LOCKED', 'INVALID_INPUT']),
  'vault.kdf': def(Empty, VaultKdf, ['LOCKED']),
  'vault.kdf.measure': def(VaultKdfMeasureInput, z.object({ ms: z.number() }), []),
  'vault.kdf.set': def(VaultKdfSetInput, z.object({ kdf: KdfInfo, ms: z.number() }), ['LOCKED', 'WRONG_PASSWORD', 'INVALID_INPUT']),
  'vault.backup': def(VaultBackupInput, VaultBackupOutput, ['LOCKED', 'CONFLICT', 'INVALID_INPUT']),
  'vault.restore': def(VaultRestoreInput, VaultRestoreOutput, ['CONFLICT', 'WRONG_PASSWORD', 'INTEGRITY', 'NOT_FOUND']),
  /** the user is at the window (keys, pointer): restarts the auto-lock timer; a no-op when locked */
  'vault.activity': def(Empty, z.object({}), []),
} as const satisfies NamespaceChannels<'vault'>;

export const vaultEvents = {
  'vault.locked': z.object({ reason: z.enum(LOCK_REASONS) }),
} satisfies NamespaceEvents<'vault'>;
