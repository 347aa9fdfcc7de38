// The workspaces table: id and created_at in clear, everything else sealed.
import { z } from 'zod';
import { KeyholdError } from '../../errors';
import { row, count, type ReadTx, type WriteTx } from '../store/tx';
import { PROVIDERS, type Provider, type Workspace } from '../types';
import { openSealed, type Codec } from './codec';
import { LIMITS, checkText, newId, nowIso } from './fields';

export const WorkspaceData = z.object({
  name: z.string(),
  provider: z.enum(PROVIDERS),
  url: z.string().nullable(),
  credentialKeyId: z.string().nullable(),
  createdAt: z.string(),
});
const WorkspaceRow = z.object({ id: z.string(), data: z.instanceof(Buffer) });

export const workspaceCodec: Codec<Workspace, { id: string; created_at: string; data: Buffer }> = {
  label: 'workspaces.data',
  toRow(sealer, w) {
    const sealed: z.input<typeof WorkspaceData> = {
      name: w.name,
      provider: w.provider,
      url: w.url,
      credentialKeyId: w.credentialKeyId,
      createdAt: w.createdAt,
    };
    return { id: w.id, created_at: w.createdAt, data: sealer.sealJson(this.label, w.id, sealed) };
  },
  fromRow(sealer, raw) {
    const { id, data } = row(WorkspaceRow, raw, 'workspaces');
    const w = openSealed(sealer, WorkspaceData, this.label, id, data);
    return { id, name: w.name, provider: w.provider, url: w.url, credentialKeyId: w.credentialKeyId, createdAt: w.createdAt };
  },
};

export function readWorkspaces(tx: ReadTx): Workspace[] {
  return tx.all('SELECT id, data FROM workspaces ORDER BY created_at, id').map((raw) => workspaceCodec.fromRow(tx.sealer, raw));
}

export function writeWorkspace(tx: WriteTx, w: Workspace): void {
  const r = workspaceCodec.toRow(tx.sealer, w);
  tx.run(
    'INSERT INTO workspaces (id, created_at, data) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET data = excluded.data',
    r.id,
    r.created_at,
    r.data,
  );
}

export function findWorkspace(tx: ReadTx, idOrName: string): Workspace {
  const all = readWorkspaces(tx);
  const w = all.find((x) => x.id === idOrName) ?? all.find((x) => x.name.toLowerCase() === idOrName.trim().toLowerCase());
  if (!w) throw new KeyholdError('NOT_FOUND', `No workspace "${idOrName.slice(0, 80)}".`);
  return w;
}

function checkWorkspaceName(tx: ReadTx, name: string, exceptId?: string): string {
  const n = checkText(name, 'workspace name', LIMITS.name).trim();
  if (readWorkspaces(tx).some((w) => w.id !== exceptId && w.name.toLowerCase() === n.toLowerCase())) {
    throw new KeyholdError('CONFLICT', `A workspace named "${n.slice(0, 80)}" already exists.`);
  }
  return n;
}

export function checkWorkspaceInput(input: { provider: Provider; url?: string | null }): string | null {
  if (!PROVIDERS.includes(input.provider)) throw new KeyholdError('INVALID_INPUT', `Unknown provider; use one of ${PROVIDERS.join(', ')}.`);
  return input.url == null ? null : checkText(input.url, 'workspace URL', 2048);
}

export function addWorkspace(tx: WriteTx, input: { name: string; provider: Provider }, url: string | null): Workspace {
  const w: Workspace = {
    id: newId(),
    name: checkWorkspaceName(tx, input.name),
    provider: input.provider,
    url,
    credentialKeyId: null,
    createdAt: nowIso(),
  };
  writeWorkspace(tx, w);
  return w;
}

export function updateWorkspace(tx: WriteTx, id: string, patch: Partial<Pick<Workspace, 'name' | 'url' | 'credentialKeyId'>>): Workspace {
  const w = findWorkspace(tx, id);
  const next: Workspace = { ...w };
  if (patch.name !== undefined) next.name = checkWorkspaceName(tx, patch.name, w.id);
  if (patch.url !== undefined) next.url = patch.url === null ? null : checkText(patch.url, 'workspace URL', 2048);
  if (patch.credentialKeyId !== undefined) {
    if (patch.credentialKeyId !== null && !tx.index.has(patch.credentialKeyId)) throw new KeyholdError('NOT_FOUND', 'No such key.');
    next.credentialKeyId = patch.credentialKeyId;
  }
  writeWorkspace(tx, next);
  return next;
}

export function removeWorkspace(tx: WriteTx, id: string): void {
  const w = findWorkspace(tx, id);
  const n = count(tx, 'keys', 'WHERE workspace_id = ?', w.id);
  if (n > 0) throw new KeyholdError('CONFLICT', `The workspace "${w.name.slice(0, 80)}" still holds ${n} key(s): remove them first.`);
  tx.run('DELETE FROM workspaces WHERE id = ?', w.id);
}
