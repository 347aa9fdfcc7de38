// passwd --rekey: a new random vault key, and every sealed value of the file re-sealed under it in
// one transaction, so that an old copy of the file and the old password reveal nothing written
// afterwards (docs/SECURITY.md). Plain passwd only rewraps the same vault key.
import { randomBytes } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { z } from 'zod';
import { KeyholdError } from '../errors';
import { Sealer, deriveKey, newVaultKey, type StoredKdf } from './crypto';
import { writeKeyWrap } from './header';
import { chainHash } from './tables/audit';
import type { KdfParams } from './types';

/** Every table of the format, and how its sealed columns are bound; index_segments and manifest
 * are sealed by the connection at commit. A table not named here stops a rekey (it might hold
 * sealed values this step does not know how to move). */
const SEALED: Record<string, Array<{ column: string; label: string; key: string[]; rowId: (r: Record<string, unknown>) => string }>> = {
  workspaces: [{ column: 'data', label: 'workspaces.data', key: ['id'], rowId: (r) => String(r.id) }],
  environments: [{ column: 'data', label: 'environments.data', key: ['id'], rowId: (r) => String(r.id) }],
  key_versions: [
    { column: 'data', label: 'key_versions.data', key: ['key_id', 'version'], rowId: (r) => `${String(r.key_id)}/${String(r.version)}` },
    {
      column: 'secret',
      label: 'key_versions.secret',
      key: ['key_id', 'version'],
      rowId: (r) => `${String(r.key_id)}/${String(r.version)}`,
    },
  ],
  audit_events: [{ column: 'data', label: 'audit_events.data', key: ['seq'], rowId: (r) => String(r.seq) }],
  pending_operations: [{ column: 'data', label: 'pending_operations.data', key: ['id'], rowId: (r) => String(r.id) }],
  settings: [{ column: 'value', label: 'settings.value', key: ['name'], rowId: (r) => String(r.name) }],
  policies: [{ column: 'data', label: 'policies.data', key: ['id'], rowId: (r) => String(r.id) }],
};
const CLEAR_OR_AT_COMMIT = new Set(['header', 'keys', 'index_segments', 'manifest']);

const Row = z.record(z.string(), z.unknown());
const AuditRow = z.object({ seq: z.number(), at: z.string(), data: z.instanceof(Buffer) });

function resealTable(db: Database, table: string, old: Sealer, next: Sealer): void {
  for (const col of SEALED[table]!) {
    const where = col.key.map((k) => `${k} = ?`).join(' AND ');
    const update = db.prepare(`UPDATE ${table} SET ${col.column} = ? WHERE ${where}`);
    for (const raw of db.prepare(`SELECT ${col.key.join(', ')}, ${col.column} AS sealed FROM ${table}`).all()) {
      const r = Row.parse(raw);
      if (r.sealed === null) continue;
      if (!(r.sealed instanceof Buffer)) throw new KeyholdError('INTEGRITY', `The vault is damaged: an unexpected row in ${table}.`);
      const id = col.rowId(r);
      const plain = old.openBytes(col.label, id, r.sealed);
      update.run(next.sealBytes(col.label, id, plain), ...col.key.map((k) => r[k]));
      plain.fill(0);
    }
  }
}

/** The audit chain again, under the new key's MAC (the sealed events were just re-sealed). */
function rechainAudit(db: Database, next: Sealer): void {
  const update = db.prepare('UPDATE audit_events SET hash = ? WHERE seq = ?');
  let prev: Buffer | null = null;
  let seq = 0;
  for (const raw of db.prepare('SELECT seq, at, data FROM audit_events ORDER BY seq').all()) {
    const r = AuditRow.parse(raw);
    prev = chainHash(next, prev, r.seq, r.at, r.data);
    update.run(prev, r.seq);
    seq = r.seq;
  }
  db.prepare('UPDATE header SET audit_head_seq = ?, audit_head_hash = ? WHERE id = 1').run(seq, prev);
}

export interface Rekeyable {
  rekeyConnection(next: Sealer, reseal: (db: Database, old: Sealer, next: Sealer) => void): void;
  connection(): Database;
}

/** Re-seals the whole vault under a new vault key wrapped by `password` (new salt). */
export async function rekey(store: Rekeyable, password: string, kdf: KdfParams): Promise<void> {
  const salt = randomBytes(16);
  const kek = await deriveKey(password, kdf, salt);
  const next = new Sealer(newVaultKey());
  try {
    const wrapped = next.wrapUnder(kek);
    store.rekeyConnection(next, (db, old) => {
      const tables = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .pluck()
        .all()
        .map(String);
      const unknown = tables.filter((t) => !(t in SEALED) && !CLEAR_OR_AT_COMMIT.has(t));
      if (unknown.length > 0) throw new Error(`rekey does not know the table(s) ${unknown.join(', ')}`);
      for (const t of Object.keys(SEALED)) resealTable(db, t, old, next);
      rechainAudit(db, next);
      const vaultId = String(db.prepare('SELECT vault_id FROM header WHERE id = 1').pluck().get());
      const stored: StoredKdf = { ...kdf, salt: salt.toString('base64') };
      writeKeyWrap(db, vaultId, stored, wrapped);
    });
  } finally {
    kek.fill(0);
  }
}
