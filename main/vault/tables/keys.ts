// The keys table and the key index: a key's clear row (ids, segment, current version) and its
// metadata as a tuple in its sealed index segment; its versions are in key-versions.ts.
import { z } from 'zod';
import { KeyholdError } from '../../errors';
import { fromTuple, toTuple, type KeyTuple } from '../key-tuple';
import { row, type ReadTx, type WriteTx } from '../store/tx';
import { KEY_KINDS, KEY_STATES, type KeyPatch, type KeyRecord, type KeyVersion, type NewKey } from '../types';
import { readEnvironments } from './environments';
import { LIMITS, checkText, newId, nowIso } from './fields';
import { currentVersion, insertVersion, openSecret, readVersions } from './key-versions';
import { readWorkspaces, writeWorkspace } from './workspaces';

export function requireTuple(tx: ReadTx, id: string): KeyTuple {
  const t = typeof id === 'string' ? tx.index.tuple(id) : undefined;
  if (!t) throw new KeyholdError('NOT_FOUND', `No key "${String(id).slice(0, 80)}".`);
  return t;
}

function validateNewKey(input: NewKey, ctx: { workspaces: Set<string>; envWorkspace: Map<string, string> }): void {
  if (!KEY_KINDS.includes(input.kind)) throw new KeyholdError('INVALID_INPUT', `Unknown key kind; use one of ${KEY_KINDS.join(', ')}.`);
  if (input.state !== undefined && !KEY_STATES.includes(input.state)) throw new KeyholdError('INVALID_INPUT', 'Unknown key state.');
  checkText(input.name, 'key name', LIMITS.name);
  if (input.description !== undefined) checkText(input.description, 'description', LIMITS.description, { allowEmpty: true });
  if (input.publicPart != null) checkText(input.publicPart, 'public part', LIMITS.publicPart);
  if (input.fingerprint != null) checkText(input.fingerprint, 'fingerprint', LIMITS.name);
  if (input.remoteId != null) checkText(input.remoteId, 'remote id', LIMITS.name);
  if (input.role != null) checkText(input.role, 'role', LIMITS.name);
  if (input.secret != null) checkText(input.secret, 'secret', LIMITS.secret);
  if (input.workspaceId != null && !ctx.workspaces.has(input.workspaceId)) throw new KeyholdError('NOT_FOUND', 'No such workspace.');
  if (input.environmentId != null) {
    const ws = ctx.envWorkspace.get(input.environmentId);
    if (ws === undefined) throw new KeyholdError('NOT_FOUND', 'No such environment.');
    if (input.workspaceId != null && ws !== input.workspaceId)
      throw new KeyholdError('INVALID_INPUT', 'The environment belongs to another workspace.');
  }
}

/** A key's clear row, its first versions and its tuple (new keys, restore). */
export function insertKey(tx: WriteTx, rec: KeyRecord, current: number): number {
  const seg = tx.segmentForNew();
  tx.run(
    'INSERT INTO keys (id, workspace_id, environment_id, seg, current_version) VALUES (?, ?, ?, ?, ?)',
    rec.id,
    rec.workspaceId,
    rec.environmentId,
    seg,
    current,
  );
  tx.putTuple(toTuple(rec), seg);
  return seg;
}

export function addKeys(tx: WriteTx, inputs: NewKey[]): KeyRecord[] {
  const workspaces = new Set(tx.column('SELECT id FROM workspaces').map(String));
  const envWorkspace = new Map<string, string>();
  for (const r of tx.all('SELECT id, workspace_id FROM environments')) {
    const e = row(z.object({ id: z.string(), workspace_id: z.string() }), r, 'environments');
    envWorkspace.set(e.id, e.workspace_id);
  }
  for (const input of inputs) validateNewKey(input, { workspaces, envWorkspace });
  const now = nowIso();
  const out: KeyRecord[] = [];
  for (const input of inputs) {
    const id = newId();
    const environmentId = input.environmentId ?? null;
    const workspaceId = input.workspaceId ?? (environmentId ? envWorkspace.get(environmentId)! : null);
    const rec: KeyRecord = {
      id,
      workspaceId,
      environmentId,
      kind: input.kind,
      name: input.name,
      description: input.description ?? '',
      state: input.state ?? 'active',
      remoteId: input.remoteId ?? null,
      flags: { ...(input.flags ?? {}) },
      role: input.role ?? null,
      publicPart: input.publicPart ?? null,
      fingerprint: input.fingerprint ?? null,
      meta: { ...(input.meta ?? {}) },
      remoteMissing: false,
      createdAt: now,
      updatedAt: now,
      rotatedAt: null,
      hasSecret: input.secret != null,
    };
    insertKey(tx, rec, 1);
    insertVersion(tx, { keyId: id, version: 1, createdAt: now, publicPart: rec.publicPart, remoteId: rec.remoteId }, input.secret ?? null);
    out.push(rec);
  }
  return out;
}

export function patchKey(tx: WriteTx, id: string, patch: KeyPatch, rotated: boolean): KeyRecord {
  const rec = fromTuple(requireTuple(tx, id));
  if (patch.name !== undefined) rec.name = checkText(patch.name, 'key name', LIMITS.name);
  if (patch.description !== undefined)
    rec.description = checkText(patch.description, 'description', LIMITS.description, { allowEmpty: true });
  if (patch.state !== undefined) {
    if (!KEY_STATES.includes(patch.state)) throw new KeyholdError('INVALID_INPUT', 'Unknown key state.');
    rec.state = patch.state;
  }
  if (patch.remoteId !== undefined) rec.remoteId = patch.remoteId === null ? null : checkText(patch.remoteId, 'remote id', LIMITS.name);
  if (patch.flags !== undefined) rec.flags = { ...patch.flags };
  if (patch.role !== undefined) rec.role = patch.role === null ? null : checkText(patch.role, 'role', LIMITS.name);
  if (patch.publicPart !== undefined)
    rec.publicPart = patch.publicPart === null ? null : checkText(patch.publicPart, 'public part', LIMITS.publicPart);
  if (patch.fingerprint !== undefined)
    rec.fingerprint = patch.fingerprint === null ? null : checkText(patch.fingerprint, 'fingerprint', LIMITS.name);
  if (patch.meta !== undefined) rec.meta = { ...patch.meta };
  if (patch.remoteMissing !== undefined) rec.remoteMissing = patch.remoteMissing;
  if (patch.environmentId !== undefined) {
    if (patch.environmentId !== null) {
      const env = readEnvironments(tx).find((e) => e.id === patch.environmentId);
      if (!env) throw new KeyholdError('NOT_FOUND', 'No such environment.');
      if (rec.workspaceId !== null && env.workspaceId !== rec.workspaceId)
        throw new KeyholdError('INVALID_INPUT', 'The environment belongs to another workspace.');
      if (rec.workspaceId === null) rec.workspaceId = env.workspaceId;
    }
    rec.environmentId = patch.environmentId;
    tx.run('UPDATE keys SET environment_id = ?, workspace_id = ? WHERE id = ?', rec.environmentId, rec.workspaceId, id);
  }
  const now = nowIso();
  rec.updatedAt = now;
  if (rotated) rec.rotatedAt = now;
  tx.putTuple(toTuple(rec));
  return rec;
}

export function removeKey(tx: WriteTx, id: string): void {
  requireTuple(tx, id);
  for (const w of readWorkspaces(tx).filter((w) => w.credentialKeyId === id)) writeWorkspace(tx, { ...w, credentialKeyId: null });
  tx.run('DELETE FROM key_versions WHERE key_id = ?', id);
  tx.run('DELETE FROM keys WHERE id = ?', id);
  tx.removeTuple(id);
}

export function readSecret(tx: ReadTx, id: string): string {
  requireTuple(tx, id);
  const raw = tx.get(
    'SELECT k.current_version AS version, v.secret AS secret FROM keys k JOIN key_versions v ON v.key_id = k.id AND v.version = k.current_version WHERE k.id = ?',
    id,
  );
  if (raw === undefined) throw new KeyholdError('INTEGRITY', 'The vault is damaged: a key has lost its current version.');
  const { version, secret } = row(z.object({ version: z.number(), secret: z.instanceof(Buffer).nullable() }), raw, 'key_versions');
  if (secret === null) throw new KeyholdError('NOT_FOUND', 'This key has no stored secret (public part only).');
  return openSecret(tx.sealer, id, version, secret);
}

export function addVersion(tx: WriteTx, id: string, secret: string, patch: KeyPatch): KeyRecord {
  requireTuple(tx, id);
  const version = currentVersion(tx, id) + 1;
  const rec = patchKey(tx, id, patch, true);
  rec.hasSecret = true;
  tx.putTuple(toTuple(rec));
  insertVersion(tx, { keyId: id, version, createdAt: rec.updatedAt, publicPart: rec.publicPart, remoteId: rec.remoteId }, secret);
  tx.run('UPDATE keys SET current_version = ? WHERE id = ?', version, id);
  return rec;
}

export function listVersions(tx: ReadTx, id: string): KeyVersion[] {
  requireTuple(tx, id);
  const cur = currentVersion(tx, id);
  return readVersions(tx, id).map((v) => ({
    version: v.version,
    createdAt: v.createdAt,
    publicPart: v.publicPart,
    remoteId: v.remoteId,
    current: v.version === cur,
  }));
}
