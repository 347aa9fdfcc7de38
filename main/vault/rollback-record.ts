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
const Record = z.object({ vaultId: z.string(), counter: z.number().int().nonnegative() });

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

/** The highest counter recorded for this vault, or null (none yet, or one that does not open:
 * sealed under another key, e.g. after `passwd --rekey` elsewhere, or damaged). */
export function readSeen(records: SeenRecords, vaultId: string, sealer: Sealer): number | null {
  let raw: Buffer;
  try {
    raw = readFileSync(recordPath(records.dir, vaultId));
  } catch (e) {
    if (e instanceof KeyholdError) throw e;
    return null;
  }
  try {
    const r = Record.safeParse(sealer.openJson(LABEL, vaultId, raw));
    return r.success && r.data.vaultId === vaultId ? r.data.counter : null;
  } catch {
    return null;
  }
}

/** Records `counter` (atomically: a temp file renamed over the old record). */
export function writeSeen(records: SeenRecords, vaultId: string, sealer: Sealer, counter: number): void {
  const path = recordPath(records.dir, vaultId);
  mkdirSync(join(records.dir, 'seen-vaults'), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(tmp, sealer.sealJson(LABEL, vaultId, { vaultId, counter }), { mode: 0o600 });
    renameSync(tmp, path);
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** At unlock: INTEGRITY if the file is older than the record (unless accepted), then records the
 * file's counter when it is higher (or accepted). Never writes the vault file. */
export function checkSeen(records: SeenRecords, vaultId: string, sealer: Sealer, counter: number): void {
  const seen = readSeen(records, vaultId, sealer);
  if (seen !== null && counter < seen && !records.acceptRollback) throw new KeyholdError('INTEGRITY', ROLLBACK_MESSAGE);
  if (seen === null || counter > seen || (counter < seen && records.acceptRollback)) writeSeen(records, vaultId, sealer, counter);
}

/** After writes (lock): the record follows the counter up. */
export function raiseSeen(records: SeenRecords, vaultId: string, sealer: Sealer, counter: number): void {
  const seen = readSeen(records, vaultId, sealer);
  if (seen === null || counter > seen) writeSeen(records, vaultId, sealer, counter);
}
