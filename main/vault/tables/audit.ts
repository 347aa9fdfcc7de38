// The audit_events table: a hash chain (keyed with the vault key) over seq, time and the sealed
// event; the header holds the chain's head so that a cut tail is noticed.
import { z } from 'zod';
import { KeyholdError } from '../../errors';
import type { Sealer } from '../crypto';
import { row, type ReadTx, type WriteTx } from '../store/tx';
import { AUDIT_ACTIONS, type AuditEvent, type AuditInput } from '../types';
import { openSealed, type Codec } from './codec';

export const AuditData = z.object({
  action: z.string(),
  keyId: z.string().nullable(),
  workspaceId: z.string().nullable(),
  detail: z.string(),
  at: z.string(),
});
const AuditRow = z.object({ seq: z.number(), at: z.string(), data: z.instanceof(Buffer), hash: z.instanceof(Buffer) });
const HeadRow = z.object({ audit_head_seq: z.number(), audit_head_hash: z.instanceof(Buffer).nullable() });

function seqBytes(seq: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(seq));
  return b;
}

/** The chain's hash of one event (passwd --rekey recomputes the chain under the new key). */
export function chainHash(sealer: Sealer, prev: Buffer | null, seq: number, at: string, data: Buffer): Buffer {
  return sealer.mac('audit', prev ?? Buffer.alloc(32), seqBytes(seq), Buffer.from(at), data);
}

/** toRow seals the event; the hash is chained by appendAudit, which knows the previous one. */
export const auditCodec: Codec<AuditEvent, { seq: number; at: string; data: Buffer }> = {
  label: 'audit_events.data',
  toRow(sealer, e) {
    const sealed: z.input<typeof AuditData> = { action: e.action, keyId: e.keyId, workspaceId: e.workspaceId, detail: e.detail, at: e.at };
    return { seq: e.seq, at: e.at, data: sealer.sealJson(this.label, String(e.seq), sealed) };
  },
  fromRow(sealer, raw) {
    const r = row(AuditRow, raw, 'audit_events');
    const d = openSealed(sealer, AuditData, this.label, String(r.seq), r.data);
    const action = AUDIT_ACTIONS.find((a) => a === d.action);
    if (!action || d.at !== r.at) throw new KeyholdError('INTEGRITY', `The audit trail is damaged at event ${r.seq}.`);
    return { seq: r.seq, at: r.at, action, keyId: d.keyId, workspaceId: d.workspaceId, detail: d.detail };
  },
};

function head(tx: ReadTx) {
  return row(HeadRow, tx.get('SELECT audit_head_seq, audit_head_hash FROM header WHERE id = 1'), 'header');
}

export function appendAudit(tx: WriteTx, event: AuditInput, at: string): void {
  const h = head(tx);
  const seq = h.audit_head_seq + 1;
  const r = auditCodec.toRow(tx.sealer, {
    seq,
    at,
    action: event.action,
    keyId: event.keyId ?? null,
    workspaceId: event.workspaceId ?? null,
    detail: event.detail ?? '',
  });
  const hash = chainHash(tx.sealer, h.audit_head_hash, seq, at, r.data);
  tx.run('INSERT INTO audit_events (seq, at, data, hash) VALUES (?, ?, ?, ?)', seq, at, r.data, hash);
  tx.run('UPDATE header SET audit_head_seq = ?, audit_head_hash = ? WHERE id = 1', seq, hash);
}

/** Empties the trail (restore re-chains a backup's events under this vault's key). */
export function clearAudit(tx: WriteTx): void {
  tx.run('DELETE FROM audit_events');
  tx.run('UPDATE header SET audit_head_seq = 0, audit_head_hash = NULL WHERE id = 1');
}

export function listAudit(tx: ReadTx, filter: { keyId?: string; limit?: number } = {}): AuditEvent[] {
  const out: AuditEvent[] = [];
  const limit = filter.limit ?? Number.POSITIVE_INFINITY;
  for (const raw of tx.iterate('SELECT seq, at, data, hash FROM audit_events ORDER BY seq DESC')) {
    const e = auditCodec.fromRow(tx.sealer, raw);
    if (filter.keyId !== undefined && e.keyId !== filter.keyId) continue;
    out.push(e);
    if (out.length >= limit) break;
  }
  return out.reverse();
}

export function allAudit(tx: ReadTx): AuditEvent[] {
  const out: AuditEvent[] = [];
  for (const raw of tx.iterate('SELECT seq, at, data, hash FROM audit_events ORDER BY seq')) out.push(auditCodec.fromRow(tx.sealer, raw));
  return out;
}

export function verifyAudit(tx: ReadTx): { events: number } {
  let prev: Buffer | null = null;
  let expected = 1;
  for (const raw of tx.iterate('SELECT seq, at, data, hash FROM audit_events ORDER BY seq')) {
    const r = row(AuditRow, raw, 'audit_events');
    if (r.seq !== expected) throw new KeyholdError('INTEGRITY', `The audit trail is broken: event ${expected} is missing.`);
    const want = chainHash(tx.sealer, prev, r.seq, r.at, r.data);
    if (!want.equals(r.hash))
      throw new KeyholdError('INTEGRITY', `The audit trail is broken at event ${r.seq}: it was edited, moved or removed.`);
    try {
      auditCodec.fromRow(tx.sealer, raw);
    } catch {
      throw new KeyholdError('INTEGRITY', `The audit trail is broken at event ${r.seq}: its content does not open.`);
    }
    prev = r.hash;
    expected++;
  }
  const h = head(tx);
  const events = expected - 1;
  if (h.audit_head_seq !== events || (events > 0 && (!h.audit_head_hash || !prev || !h.audit_head_hash.equals(prev)))) {
    throw new KeyholdError('INTEGRITY', `The audit trail is broken: events after ${events} were removed.`);
  }
  return { events };
}
