// The policies table: the scope (workspace, optional environment) in clear, the days sealed and
// bound to the row id; the sealed copy of the scope tells a row moved to another scope (INTEGRITY).
// One policy per scope: setting it again replaces the days.
import { z } from 'zod';
import { KeyholdError } from '../../errors';
import { row, type ReadTx, type WriteTx } from '../store/tx';
import type { NewPolicy, Policy } from '../types';
import { openSealed, type Codec } from './codec';
import { findEnvironment } from './environments';
import { newId, nowIso } from './fields';
import { findWorkspace } from './workspaces';

export const PolicyData = z.object({
  workspaceId: z.string(),
  environmentId: z.string().nullable(),
  maxAgeDays: z.number().int().positive(),
  warnDays: z.number().int().nonnegative(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const PolicyRow = z.object({ id: z.string(), workspace_id: z.string(), environment_id: z.string().nullable(), data: z.instanceof(Buffer) });

export const MAX_POLICY_DAYS = 36_500;

export const policyCodec: Codec<
  Policy,
  { id: string; workspace_id: string; environment_id: string | null; created_at: string; data: Buffer }
> = {
  label: 'policies.data',
  toRow(sealer, p) {
    const sealed: z.input<typeof PolicyData> = {
      workspaceId: p.workspaceId,
      environmentId: p.environmentId,
      maxAgeDays: p.maxAgeDays,
      warnDays: p.warnDays,
      createdAt: p.createdAt,
      updatedAt: p.updatedAt,
    };
    return {
      id: p.id,
      workspace_id: p.workspaceId,
      environment_id: p.environmentId,
      created_at: p.createdAt,
      data: sealer.sealJson(this.label, p.id, sealed),
    };
  },
  fromRow(sealer, raw) {
    const r = row(PolicyRow, raw, 'policies');
    const p = openSealed(sealer, PolicyData, this.label, r.id, r.data);
    if (p.workspaceId !== r.workspace_id || p.environmentId !== r.environment_id)
      throw new KeyholdError('INTEGRITY', 'The vault is damaged or tampered with: a policy was moved.');
    return { id: r.id, ...p };
  },
};

export function readPolicies(tx: ReadTx): Policy[] {
  return tx
    .all('SELECT id, workspace_id, environment_id, data FROM policies ORDER BY created_at, id')
    .map((raw) => policyCodec.fromRow(tx.sealer, raw));
}

function checkDays(n: number, what: string, min: number): number {
  if (!Number.isInteger(n) || n < min || n > MAX_POLICY_DAYS)
    throw new KeyholdError('INVALID_INPUT', `The ${what} must be a whole number of days from ${min} to ${MAX_POLICY_DAYS}.`);
  return n;
}

export function setPolicy(tx: WriteTx, input: NewPolicy): Policy {
  const ws = findWorkspace(tx, input.workspaceId);
  const env = input.environmentId ? findEnvironment(tx, input.environmentId, ws.id) : null;
  const maxAgeDays = checkDays(input.maxAgeDays, 'maximum age', 1);
  const warnDays = checkDays(input.warnDays, 'warning window', 0);
  const now = nowIso();
  const existing = readPolicies(tx).find((p) => p.workspaceId === ws.id && p.environmentId === (env?.id ?? null));
  const policy: Policy = {
    id: existing?.id ?? newId(),
    workspaceId: ws.id,
    environmentId: env?.id ?? null,
    maxAgeDays,
    warnDays,
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  };
  const r = policyCodec.toRow(tx.sealer, policy);
  if (existing) tx.run('UPDATE policies SET data = ? WHERE id = ?', r.data, r.id);
  else
    tx.run(
      'INSERT INTO policies (id, workspace_id, environment_id, created_at, data) VALUES (?, ?, ?, ?, ?)',
      r.id,
      r.workspace_id,
      r.environment_id,
      r.created_at,
      r.data,
    );
  return policy;
}

export function removePolicy(tx: WriteTx, id: string): void {
  const found = typeof id === 'string' && tx.get('SELECT 1 FROM policies WHERE id = ?', id) !== undefined;
  if (!found) throw new KeyholdError('NOT_FOUND', `No policy "${String(id).slice(0, 80)}".`);
  tx.run('DELETE FROM policies WHERE id = ?', id);
}

/** A policy as it was (restore: ids and times kept). */
export function writePolicy(tx: WriteTx, p: Policy): void {
  const r = policyCodec.toRow(tx.sealer, p);
  tx.run(
    'INSERT INTO policies (id, workspace_id, environment_id, created_at, data) VALUES (?, ?, ?, ?, ?)',
    r.id,
    r.workspace_id,
    r.environment_id,
    r.created_at,
    r.data,
  );
}
