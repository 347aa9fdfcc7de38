// Keys on the platforms: create (a Rancher secret goes straight into the vault; GitHub registers
// a vault key pair; Encord registration is guided, then checked), activate / deactivate
// (Rancher), revoke (delete on the platform; the local record stays, state revoked, its secret
// kept), and a check with a real call. What differs by platform is its module's (./platforms);
// here: the refusals that hold for all, the vault transaction and the audit.
import { KeyholdError } from '../errors';
import { hasStatus } from '../providers/http';
import { isRemoteProvider } from '../providers/types';
import type { KeyRecord, VaultSession } from '../vault/types';
import { resolveEnvironment } from './identifiers';
import { platformOf, type CreateRemoteKeyInput, type CreateRemoteKeyResult, type RemoteEditInput } from './platforms';
import { explainRefusal } from './platforms/credential';
import { environmentRemoteId, keyWorkspace, remoteWorkspace, type RemoteOptions, type RemoteWorkspace } from './remote';

/** Runs a platform call; a 403 for want of a role says which (from the credential's recorded access). */
async function refusalsExplained<T>(
  session: VaultSession,
  ws: RemoteWorkspace,
  operation: 'create' | 'edit' | 'revoke',
  environment: string | null,
  fn: () => Promise<T>,
): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw explainRefusal(e, ws.credentialKeyId ? session.getKey(ws.credentialKeyId) : null, operation, environment);
  }
}

export type { CreateRemoteKeyInput, CreateRemoteKeyResult, RemoteEditInput };

export async function createRemoteKey(
  session: VaultSession,
  input: CreateRemoteKeyInput,
  opts: RemoteOptions = {},
): Promise<CreateRemoteKeyResult> {
  const ws = remoteWorkspace(session, input.workspace);
  const platform = platformOf(ws);
  const env =
    input.env === undefined
      ? null
      : platform.environmentFor
        ? platform.environmentFor(session, ws, input.env)
        : resolveEnvironment(session, input.env, ws.id);
  const caps = platform.capabilities;
  if (!caps.create.some((k) => k === input.kind)) {
    throw new KeyholdError(
      'USAGE',
      `${ws.provider} keys of kind ${input.kind} cannot be created here (it can create: ${caps.create.join(', ')}).`,
    );
  }
  if (input.flags?.length && !caps.flags) throw new KeyholdError('USAGE', 'Flags are Syncano API key flags.');
  if ((input.ttlDays !== undefined || input.cluster !== undefined) && !caps.ttl)
    throw new KeyholdError('USAGE', '--ttl and --cluster are for Rancher 2 tokens.');
  if (input.readOnly !== undefined && input.kind !== 'deploy_key')
    throw new KeyholdError('USAGE', '--read-only is for GitHub deploy keys.');
  return refusalsExplained(session, ws, 'create', env ? (env.remoteId ?? env.name) : null, () =>
    platform.create(session, ws, env, input, opts),
  );
}

/** A real call with the key's stored secret: does it work? (Encord: records the registration) */
export async function checkRemoteKey(
  session: VaultSession,
  id: string,
  opts: RemoteOptions = {},
): Promise<{ id: string; works: boolean; detail: string }> {
  const key = session.getKey(id);
  const ws = keyWorkspace(session, key);
  try {
    const outcome = await platformOf(ws).check(session, ws, key, opts);
    if (outcome) return { id: key.id, ...outcome };
  } catch (e) {
    if (hasStatus(e, 401, 403, 404)) return { id: key.id, works: false, detail: e instanceof Error ? e.message : 'refused' };
    throw e;
  }
  return { id: key.id, works: true, detail: 'a real call with it succeeded' };
}

export async function setRemoteKeyActive(session: VaultSession, id: string, active: boolean, opts: RemoteOptions = {}): Promise<KeyRecord> {
  const key = session.getKey(id);
  const ws = keyWorkspace(session, key);
  const platform = platformOf(ws);
  await platform.setActive(session, ws, key, active, opts);
  return session.transaction(() => {
    const rec = session.updateKey(key.id, { state: active ? 'active' : 'inactive', remoteMissing: false });
    session.audit({
      action: active ? 'activated' : 'deactivated',
      keyId: key.id,
      workspaceId: ws.id,
      detail: `${active ? 'activated' : 'deactivated'} on ${platform.label}`,
    });
    return rec;
  });
}

/** Deletes the key on the platform; the vault keeps the record (state revoked) and its secret. */
export async function revokeRemoteKey(session: VaultSession, id: string, opts: RemoteOptions = {}): Promise<KeyRecord> {
  const key = session.getKey(id);
  const ws = keyWorkspace(session, key);
  if (key.id === ws.credentialKeyId)
    throw new KeyholdError('CONFLICT', `Key ${key.id} manages workspace ${ws.name}: connect another credential before revoking it.`);
  await refusalsExplained(session, ws, 'revoke', environmentRemoteId(session, key), () => platformOf(ws).revoke(session, ws, key, opts));
  return session.transaction(() => {
    const rec = session.updateKey(key.id, { state: 'revoked' });
    session.audit({ action: 'revoked', keyId: key.id, workspaceId: ws.id, detail: `deleted on ${ws.provider}; the local record is kept` });
    return rec;
  });
}

/**
 * Edits a key on its platform, then in the vault: Rancher name / description, Syncano API key
 * description and flags. A key the platform does not link (local, or no remote id) is edited
 * locally only. Audited 'edited'.
 */
export async function editRemoteKey(
  session: VaultSession,
  id: string,
  input: RemoteEditInput,
  opts: RemoteOptions = {},
): Promise<KeyRecord> {
  const key = session.getKey(id);
  if (input.name === undefined && input.description === undefined && input.flags === undefined)
    throw new KeyholdError('USAGE', 'Nothing to change: give a new name, description or flags.');
  const ws = key.workspaceId ? session.getWorkspace(key.workspaceId) : null;
  const remote = ws && isRemoteProvider(ws.provider) && key.remoteId ? keyWorkspace(session, key) : null;
  const platform = remote ? platformOf(remote) : null;
  if (input.flags !== undefined && !platform?.capabilities.flags) throw new KeyholdError('USAGE', 'Flags are Syncano API key flags.');
  const flags =
    remote && platform
      ? (
          await refusalsExplained(session, remote, 'edit', environmentRemoteId(session, key), () =>
            platform.edit(session, remote, key, input, opts),
          )
        ).flags
      : undefined;
  return session.transaction(() => {
    const rec = session.updateKey(key.id, {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(flags ? { flags } : {}),
    });
    const changed = [input.name !== undefined && 'name', input.description !== undefined && 'description', flags && 'flags']
      .filter(Boolean)
      .join(', ');
    session.audit({
      action: 'edited',
      keyId: key.id,
      workspaceId: key.workspaceId,
      detail: `changed ${changed}${remote ? ` on ${remote.provider} and locally` : ''}`,
    });
    return rec;
  });
}
