// The vault header: format version, KDF parameters with salt, the wrapped vault key, and a
// checksum that tells accidental damage of these fields (INTEGRITY) from a wrong password.
import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { z } from 'zod';
import { KeyholdError } from '../errors';
import { checkKdfBounds, type StoredKdf } from './crypto';
import { FORMAT_VERSION, MAGIC } from './schema';

export const StoredKdfSchema = z.object({
  algorithm: z.literal('argon2id'),
  memoryKiB: z.number().int().positive(),
  iterations: z.number().int().positive(),
  parallelism: z.number().int().positive().max(255),
  salt: z.string().min(16),
});

const HeaderRow = z.object({
  magic: z.string(),
  format_version: z.number().int(),
  vault_id: z.string(),
  kdf: z.string(),
  wrapped_key: z.instanceof(Buffer),
  checksum: z.string(),
  created_at: z.string(),
});

export interface Header {
  formatVersion: number;
  vaultId: string;
  kdf: StoredKdf;
  salt: Buffer;
  wrappedKey: Buffer;
  createdAt: string;
}

export function headerChecksum(vaultId: string, kdfJson: string, wrapped: Buffer): string {
  return createHash('sha256')
    .update(`${MAGIC}\n${vaultId}\n${kdfJson}\n${wrapped.toString('hex')}`)
    .digest('hex');
}

const notVault = () => new KeyholdError('INTEGRITY', 'This file is not a Keyhold vault (it is another SQLite database).');

/** Reads and checks the header; throws INTEGRITY for anything but a sound header we can read. */
export function readHeader(db: Database): Header {
  const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'header'").get();
  if (!hasTable) throw notVault();
  const raw = db.prepare('SELECT magic, format_version, vault_id, kdf, wrapped_key, checksum, created_at FROM header WHERE id = 1').get();
  const parsed = HeaderRow.safeParse(raw);
  if (!parsed.success) throw new KeyholdError('INTEGRITY', 'The vault header is missing or damaged.');
  const h = parsed.data;
  if (h.magic !== MAGIC) throw notVault();
  if (h.format_version > FORMAT_VERSION) {
    throw new KeyholdError(
      'INTEGRITY',
      `This vault was written by a newer Keyhold (format ${h.format_version}; this one reads up to ${FORMAT_VERSION}). Update Keyhold to open it.`,
    );
  }
  if (h.format_version < 1) throw new KeyholdError('INTEGRITY', 'The vault header is damaged (bad format version).');
  if (headerChecksum(h.vault_id, h.kdf, h.wrapped_key) !== h.checksum) {
    throw new KeyholdError('INTEGRITY', 'The vault header is damaged or tampered with (checksum mismatch).');
  }
  let kdfRaw: unknown;
  try {
    kdfRaw = JSON.parse(h.kdf);
  } catch {
    throw new KeyholdError('INTEGRITY', 'The vault header is damaged (KDF parameters).');
  }
  const kdf = StoredKdfSchema.safeParse(kdfRaw);
  if (!kdf.success) throw new KeyholdError('INTEGRITY', 'The vault header is damaged (KDF parameters).');
  checkKdfBounds(kdf.data);
  return {
    formatVersion: h.format_version,
    vaultId: h.vault_id,
    kdf: kdf.data,
    salt: Buffer.from(kdf.data.salt, 'base64'),
    wrappedKey: h.wrapped_key,
    createdAt: h.created_at,
  };
}

export function writeKeyWrap(db: Database, vaultId: string, kdf: StoredKdf, wrapped: Buffer): void {
  const kdfJson = JSON.stringify(kdf);
  db.prepare('UPDATE header SET kdf = ?, wrapped_key = ?, checksum = ? WHERE id = 1').run(
    kdfJson,
    wrapped,
    headerChecksum(vaultId, kdfJson, wrapped),
  );
}

export function insertHeader(db: Database, vaultId: string, kdf: StoredKdf, wrapped: Buffer): void {
  const kdfJson = JSON.stringify(kdf);
  db.prepare(
    'INSERT INTO header (id, magic, format_version, vault_id, kdf, wrapped_key, checksum, created_at) VALUES (1, ?, ?, ?, ?, ?, ?, ?)',
  ).run(MAGIC, FORMAT_VERSION, vaultId, kdfJson, wrapped, headerChecksum(vaultId, kdfJson, wrapped), new Date().toISOString());
}
