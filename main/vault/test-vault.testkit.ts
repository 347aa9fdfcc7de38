// Shared helpers for the vault's tests: temp folders and vaults at the KDF floor (fast to open).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { KDF_FLOOR } from './crypto';
import { createVault } from './index';
import type { VaultSession } from './types';

export const TEST_PASSWORD = 'test master password';
export const FLOOR_KDF = { ...KDF_FLOOR, parallelism: 4 };

export function tempDir(prefix = 'keyhold-vault-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function newTestVault(dir = tempDir(), name = 'v.keyhold'): Promise<{ path: string; session: VaultSession }> {
  const path = join(dir, name);
  return { path, session: await createVault(path, TEST_PASSWORD, { kdf: FLOOR_KDF }) };
}

/** Raw SQL on a (locked) vault file, the way an attacker or a bit flip would change it. */
export function tamper(path: string, fn: (db: Database.Database) => void): void {
  const db = new Database(path);
  try {
    fn(db);
  } finally {
    db.close();
  }
}

/** The vault file and its WAL, for "nothing in clear" checks. */
export function fileBytes(path: string): Buffer {
  const parts = [readFileSync(path)];
  for (const s of ['-wal', '-shm']) {
    try {
      parts.push(readFileSync(path + s));
    } catch {
      /* absent */
    }
  }
  return Buffer.concat(parts);
}
