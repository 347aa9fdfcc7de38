// The environments table: id, workspace_id and created_at in clear; the sealed copy of
// workspace_id tells a row moved to another workspace (INTEGRITY).
import { z } from 'zod';
import { KeyholdError } from '../../errors';
import { row, type ReadTx, type WriteTx } from '../store/tx';
import type { Environment } from '../types';
import { openSealed, type Codec } from './codec';
import { LIMITS, checkText, newId, nowIso } from './fields';
import { findWorkspace } from './workspaces';

export const EnvironmentData = z.object({
  name: z.string(),
  remoteId: z.string().nullable(),
  workspaceId: z.string(),
  createdAt: z.string(),
});
const EnvRow = z.object({ id: z.string(), workspace_id: z.string(), data: z.instanceof(Buffer) });

export const environmentCodec: Codec<Environment, { id: string; workspace_id: string; created_at: string; data: Buffer }> = {
  label: 'environments.data',
  toRow(sealer, e) {
    const sealed: z.input<typeof EnvironmentData> = {
      name: e.name,
      remoteId: e.remoteId,
      workspaceId: e.workspaceId,
      createdAt: e.createdAt,
    };
    return { id: e.id, workspace_id: e.workspaceId, created_at: e.createdAt, data: sealer.sealJson(this.label, e.id, sealed) };
  },
  fromRow(sealer, raw) {
    const { id, workspace_id, data } = row(EnvRow, raw, 'environments');
    const e = openSealed(sealer, EnvironmentData, this.label, id, data);
    if (e.workspaceId !== workspace_id)
      throw new KeyholdError('INTEGRITY', 'The vault is damaged or tampered with: an environment was moved.');
    return { id, workspaceId: e.workspaceId, name: e.name, remoteId: e.remoteId, createdAt: e.createdAt };
  },
};

export function readEnvironments(tx: ReadTx, workspaceId?: string): Environment[] {
  const rows =
    workspaceId === undefined
      ? tx.all('SELECT id, workspace_id, data FROM environments ORDER BY created_at, id')
      : tx.all('SELECT id, workspace_id, data FROM environments WHERE workspace_id = ? ORDER BY created_at, id', workspaceId);
  return rows.map((raw) => environmentCodec.fromRow(tx.sealer, raw));
}

export function insertEnvironment(tx: WriteTx, env: Environment): void {
  const r = environmentCodec.toRow(tx.sealer, env);
  tx.run('INSERT INTO environments (id, workspace_id, created_at, data) VALUES (?, ?, ?, ?)', r.id, r.workspace_id, r.created_at, r.data);
}

export function addEnvironment(tx: WriteTx, input: { workspaceId: string; name: string; remoteId?: string | null }): Environment {
  const ws = findWorkspace(tx, input.workspaceId);
  const name = checkText(input.name, 'environment name', LIMITS.name).trim();
  if (readEnvironments(tx, ws.id).some((e) => e.name.toLowerCase() === name.toLowerCase())) {
    throw new KeyholdError('CONFLICT', `The workspace already has an environment named "${name.slice(0, 80)}".`);
  }
  const env: Environment = {
    id: newId(),
    workspaceId: ws.id,
    name,
    remoteId: input.remoteId == null ? null : checkText(input.remoteId, 'remote id', LIMITS.name),
    createdAt: nowIso(),
  };
  insertEnvironment(tx, env);
  return env;
}

export function findEnvironment(tx: ReadTx, idOrName: string, workspaceId?: string): Environment {
  const all = readEnvironments(tx, workspaceId === undefined ? undefined : findWorkspace(tx, workspaceId).id);
  const byId = all.find((e) => e.id === idOrName);
  if (byId) return byId;
  const byName = all.filter((e) => e.name.toLowerCase() === idOrName.trim().toLowerCase());
  if (byName.length > 1)
    throw new KeyholdError('USAGE', `More than one environment is named "${idOrName.slice(0, 80)}": give its workspace or its id.`);
  if (!byName[0]) throw new KeyholdError('NOT_FOUND', `No environment "${idOrName.slice(0, 80)}".`);
  return byName[0];
}

export function removeEnvironment(tx: WriteTx, id: string): void {
  const env = findEnvironment(tx, id);
  // its keys stay in the workspace, without an environment
  for (const seg of tx.index.segmentIds()) {
    for (const t of tx.index.segmentTuples(seg)) if (t[2] === env.id) tx.putTuple([t[0], t[1], null, ...t.slice(3)] as unknown as typeof t);
  }
  tx.run('UPDATE keys SET environment_id = NULL WHERE environment_id = ?', env.id);
  tx.run('DELETE FROM environments WHERE id = ?', env.id);
}
