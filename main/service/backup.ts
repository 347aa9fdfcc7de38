// Encrypted backup and restore use cases: the file is written atomically with mode 0600
// (CONFLICT unless forced); a restore always makes a new vault file.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { KeyholdError } from '../errors';
import { writeFileAtomic } from '../export/atomic-file';
import { backupVault, restoreVault, type CreateVaultOptions } from '../vault';
import type { VaultSession } from '../vault/types';

export async function writeBackup(
  session: VaultSession,
  path: string,
  passphrase: string,
  options: { force?: boolean } = {},
): Promise<{ path: string; bytes: number; keys: number }> {
  const target = resolve(path);
  const { bytes, keys } = await backupVault(session, passphrase);
  await writeFileAtomic(target, bytes, { mode: 0o600, overwrite: Boolean(options.force) });
  session.audit({ action: 'backup_written', detail: `encrypted backup of ${keys} key(s) written to ${target}` });
  return { path: target, bytes: bytes.length, keys };
}

export async function readBackupFile(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new KeyholdError('NOT_FOUND', `No backup file at ${path}.`);
    if (code === 'EISDIR') throw new KeyholdError('INVALID_INPUT', `${path} is a folder, not a backup file.`);
    throw new KeyholdError('INVALID_INPUT', `The backup file ${path} cannot be read (${code ?? 'error'}).`);
  }
}

export async function restoreBackup(
  file: string,
  passphrase: string,
  vaultPath: string,
  password: string,
  options: CreateVaultOptions = {},
): Promise<VaultSession> {
  const bytes = await readBackupFile(file);
  return restoreVault(bytes, passphrase, vaultPath, password, options);
}
