// Whole-file rollback (docs/SECURITY.md): outside the vault file, in the app's config folder, a
// small record per vault id holds the highest write counter this computer has seen, sealed with a
// subkey of the vault key (nobody without the password can forge a lower one). A file whose sealed
// manifest counts fewer writes is an older copy: refused unless the user accepts it on purpose.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { KeyholdError } from '../errors';
import type { Sealer } from './crypto';

const LABEL = 'rollback-record';
const Record = z.object({ vaultId: z.string(), counter: z.number().int().nonnegative(), retired: z.boolean().optional() });

/** Where the records live and whether an older file is accepted this once. */
export interface SeenRecords {
  /** the app's config folder (main/service/paths.ts defaultDataDir) */
  dir: string;
  /** `--accept-rollback` / the unlock dialog's button: the older file becomes the reference */
  acceptRollback?: boolean;
}

export const ROLLBACK_MESSAGE =
  'This vault file is older than one this computer has already opened (it was rolled back or replaced by an older copy). If you restored it on purpose, accept it with --accept-rollback (the app: "Open this older copy").';

function recordPath(dir: string, vaultId: string): string {
  if (!/^[0-9a-f]{1,64}$/.test(vaultId)) throw new KeyholdError('INTEGRITY', 'The vault header is damaged (vault id).');
  return join(dir, 'seen-vaults', `${vaultId}.rec`);
}

const Entries = z.array(z.string().max(4096)).max(16);
const MAX_ENTRIES = 8;

function readEntries(records: SeenRecords, vaultId: string): Buffer[] {
  let text: string;
  try {
    text = readFileSync(recordPath(records.dir, vaultId), 'utf8');
  } catch (e) {
    if (e instanceof KeyholdError) throw e;
    return [];
  }
  try {
    const r = Entries.safeParse(JSON.parse(text));
    return r.success ? r.data.map((b) => Buffer.from(b, 'base64')) : [];
  } catch {
    return [];
  }
}

/** The entry this vault key opens: the highest counter seen, or `retired` when the key was
 * replaced by passwd --rekey here (a file still under it is older than the rekey). Null: none
 * (nothing recorded yet, or only entries of another key, e.g. after a rekey on another computer). */
export function readSeen(records: SeenRecords, vaultId: string, sealer: Sealer): { counter: number; retired: boolean } | null {
  for (const sealed of readEntries(records, vaultId)) {
    try {
      const r = Record.safeParse(sealer.openJson(LABEL, vaultId, sealed));
      if (r.success && r.data.vaultId === vaultId) return { counter: r.data.counter, retired: r.data.retired ?? false };
    } catch {
      /* another key's entry */
    }
  }
  return null;
}

/** Replaces this key's entry (atomically: a temp file renamed over the old record). */
export function writeSeen(records: SeenRecords, vaultId: string, sealer: Sealer, counter: number, retired = false): void {
  const path = recordPath(records.dir, vaultId);
  const others = readEntries(records, vaultId).filter((sealed) => {
    try {
      sealer.openJson(LABEL, vaultId, sealed);
      return false;
    } catch {
      return true;
    }
  });
  const entries = [sealer.sealJson(LABEL, vaultId, { vaultId, counter, ...(retired ? { retired } : {}) }), ...others].slice(0, MAX_ENTRIES);
  mkdirSync(join(records.dir, 'seen-vaults'), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(tmp, JSON.stringify(entries.map((b) => b.toString('base64'))), { mode: 0o600 });
    renameSync(tmp, path);
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** At unlock: INTEGRITY if the file is older than the record (unless accepted), then records the
 * file's counter when it is higher (or accepted). Never writes the vault file. */
export function checkSeen(records: SeenRecords, vaultId: string, sealer: Sealer, counter: number): void {
  const seen = readSeen(records, vaultId, sealer);
  const older = seen !== null && (seen.retired || counter < seen.counter);
  if (older && !records.acceptRollback) throw new KeyholdError('INTEGRITY', ROLLBACK_MESSAGE);
  if (seen === null || older || counter > seen.counter) writeSeen(records, vaultId, sealer, counter);
}

/** After writes (lock): the record follows the counter up. */
export function raiseSeen(records: SeenRecords, vaultId: string, sealer: Sealer, counter: number): void {
  const seen = readSeen(records, vaultId, sealer);
  if (seen === null || counter > seen.counter) writeSeen(records, vaultId, sealer, counter);
}

/** After passwd --rekey here: the old key's entry says "replaced" (a copy of the file still under
 * it is older), and the new key's entry holds the counter. */
export function rekeyedSeen(records: SeenRecords, vaultId: string, old: Sealer, next: Sealer, counter: number): void {
  writeSeen(records, vaultId, old, counter, true);
  writeSeen(records, vaultId, next, counter);
}
