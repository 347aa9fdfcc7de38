// The pending_operations table: journals of multi-step remote operations (rotation), sealed.
import { z } from 'zod';
import { KeyholdError } from '../../errors';
import { row, type ReadTx, type WriteTx } from '../store/tx';
import type { PendingOperation } from '../types';
import { openSealed, type Codec } from './codec';
import { newId, nowIso } from './fields';

export const PendingData = z.object({
  type: z.string(),
  keyId: z.string().nullable(),
  step: z.string(),
  data: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const PendingRow = z.object({ id: z.string(), data: z.instanceof(Buffer) });

export const pendingCodec: Codec<PendingOperation, { id: string; created_at: string; updated_at: string; data: Buffer }> = {
  label: 'pending_operations.data',
  toRow(sealer, op) {
    const sealed: z.input<typeof PendingData> = {
      type: op.type,
      keyId: op.keyId,
      step: op.step,
      data: op.data,
      createdAt: op.createdAt,
      updatedAt: op.updatedAt,
    };
    return { id: op.id, created_at: op.createdAt, updated_at: op.updatedAt, data: sealer.sealJson(this.label, op.id, sealed) };
  },
  fromRow(sealer, raw) {
    const { id, data } = row(PendingRow, raw, 'pending_operations');
    const p = openSealed(sealer, PendingData, this.label, id, data);
    return { id, type: p.type, keyId: p.keyId, step: p.step, data: p.data, createdAt: p.createdAt, updatedAt: p.updatedAt };
  },
};

function readPending(tx: ReadTx, id: string): PendingOperation | undefined {
  const raw = tx.get('SELECT id, data FROM pending_operations WHERE id = ?', id);
  return raw === undefined ? undefined : pendingCodec.fromRow(tx.sealer, raw);
}

export function writePending(tx: WriteTx, op: PendingOperation): void {
  const r = pendingCodec.toRow(tx.sealer, op);
  tx.run(
    'INSERT INTO pending_operations (id, created_at, updated_at, data) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET updated_at = excluded.updated_at, data = excluded.data',
    r.id,
    r.created_at,
    r.updated_at,
    r.data,
  );
}

export function addPending(
  tx: WriteTx,
  op: { type: string; keyId?: string | null; step: string; data: Record<string, unknown> },
): PendingOperation {
  const now = nowIso();
  const p: PendingOperation = {
    id: newId(),
    type: op.type,
    keyId: op.keyId ?? null,
    step: op.step,
    data: op.data,
    createdAt: now,
    updatedAt: now,
  };
  writePending(tx, p);
  return p;
}

export function updatePending(tx: WriteTx, id: string, step: string, data?: Record<string, unknown>): PendingOperation {
  const p = readPending(tx, id);
  if (!p) throw new KeyholdError('NOT_FOUND', 'No such pending operation.');
  const next = { ...p, step, data: data ?? p.data, updatedAt: nowIso() };
  writePending(tx, next);
  return next;
}

export function listPending(tx: ReadTx, type?: string): PendingOperation[] {
  return tx
    .all('SELECT id, data FROM pending_operations ORDER BY created_at, id')
    .map((raw) => pendingCodec.fromRow(tx.sealer, raw))
    .filter((p) => type === undefined || p.type === type);
}

export function removePending(tx: WriteTx, id: string): void {
  tx.run('DELETE FROM pending_operations WHERE id = ?', id);
}
