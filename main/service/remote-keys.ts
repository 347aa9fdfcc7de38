// Keys on the platforms: create (a Rancher secret goes straight into the vault; GitHub registers
// a vault key pair; Encord registration is guided, then checked), activate / deactivate
// (Rancher), revoke (delete on the platform; the local record stays, state revoked, its secret
// kept), and a check with a real call.
import { KeyholdError } from '../errors';
import { EncordProvider, type RegistrationGuide } from '../providers/encord';
import { hasStatus } from '../providers/http';
import { SYNCANO_FLAGS, syncanoFlags, type SyncanoFlag } from '../providers/syncano';
import { CAPABILITIES } from '../providers/types';
import type { KeyKind, KeyRecord, VaultSession } from '../vault/types';
import { generateKeyPair } from './keypairs';
import { encordWithKey, environmentRemoteId, githubFor, keyWorkspace, rancherFor, remoteWorkspace, syncanoFor, type RemoteOptions } from './remote';

export interface CreateRemoteKeyInput {
  workspace: string;
  env?: string;
  kind: KeyKind;
  name: string;
  description?: string;
  /** Syncano API key flags */
  flags?: string[];
  /** GitHub / Encord: register this vault key pair instead of generating one */
  keyId?: string;
  /** Encord: who holds the key, and its role */
  role?: string;
}

export interface CreateRemoteKeyResult {
  key: KeyRecord;
  /** Encord: how to register it by hand, when the check did not find it registered yet */
  registration?: RegistrationGuide & { registered: boolean };
}

function parseFlags(flags: string[] | undefined): Partial<Record<SyncanoFlag, boolean>> {
  const out: Partial<Record<SyncanoFlag, boolean>> = {};
  for (const f of flags ?? []) {
    if (!(SYNCANO_FLAGS as readonly string[]).includes(f)) throw new KeyholdError('USAGE', `Unknown flag ${f}: use ${SYNCANO_FLAGS.join(', ')}.`);
    out[f as SyncanoFlag] = true;
  }
  return out;
}

async function keyPairFor(session: VaultSession, input: CreateRemoteKeyInput, workspaceId: string, environmentId: string | null): Promise<KeyRecord> {
  if (input.keyId) {
    const key = session.getKey(input.keyId);
    if (key.kind !== 'ssh_key_pair' || !key.publicPart) throw new KeyholdError('INVALID_INPUT', `Key ${key.id} is not a key pair.`);
    if (key.workspaceId && key.workspaceId !== workspaceId) throw new KeyholdError('CONFLICT', `Key ${key.id} belongs to another workspace.`);
    return key;
  }
  return generateKeyPair(session, { name: input.name, workspaceId, environmentId, ...(input.description !== undefined ? { description: input.description } : {}) });
}

export async function createRemoteKey(session: VaultSession, input: CreateRemoteKeyInput, opts: RemoteOptions = {}): Promise<CreateRemoteKeyResult> {
  const ws = remoteWorkspace(session, input.workspace);
  const env = input.env !== undefined ? session.getEnvironment(input.env, ws.id) : null;
  const caps = CAPABILITIES[ws.provider];
  if (!caps.create.includes(input.kind as never)) {
    throw new KeyholdError('USAGE', `${ws.provider} keys of kind ${input.kind} cannot be created here (it can create: ${caps.create.join(', ')}).`);
  }
  if (input.flags?.length && ws.provider !== 'syncano') throw new KeyholdError('USAGE', 'Flags are Syncano API key flags.');
  const audit = (key: KeyRecord, detail: string) => session.audit({ action: 'created', keyId: key.id, workspaceId: ws.id, detail });

  switch (ws.provider) {
    case 'syncano': {
      if (!env) throw new KeyholdError('USAGE', 'A Syncano API key lives in an instance: give --env.');
      const created = await syncanoFor(session, ws, opts).createApiKey(env.remoteId ?? env.name, { description: input.description ?? input.name, flags: parseFlags(input.flags) });
      const key = session.transaction(() => {
        const k = session.addKey({ workspaceId: ws.id, environmentId: env.id, kind: 'api_key', name: input.name, description: created.description ?? '', remoteId: String(created.id), flags: syncanoFlags(created), secret: created.api_key });
        audit(k, `API key created on Syncano in ${env.name}`);
        return k;
      });
      return { key };
    }
    case 'rancher': {
      const created = await rancherFor(session, ws, opts).createKey({ projectId: env ? (env.remoteId ?? env.name) : null, name: input.name, description: input.description ?? '' });
      // shown once: into the vault before anything else can fail
      const key = session.transaction(() => {
        const k = session.addKey({ workspaceId: ws.id, environmentId: env?.id ?? null, kind: 'access_key_pair', name: input.name, description: input.description ?? '', remoteId: created.key.id, publicPart: created.key.publicValue, secret: created.secret });
        audit(k, `${env ? 'environment' : 'account'} API key created on Rancher`);
        return k;
      });
      return { key };
    }
    case 'github': {
      const pair = await keyPairFor(session, input, ws.id, null);
      const github = githubFor(session, ws, opts);
      let registered;
      try {
        registered = await github.registerKey(input.name, pair.publicPart!);
      } catch (e) {
        // a lost answer: the key may be registered all the same
        const found = hasStatus(e, 409, 422) ? null : await github.findByKey(pair.publicPart!).catch(() => null);
        if (!found) throw e;
        registered = found;
      }
      const key = session.transaction(() => {
        const k = session.updateKey(pair.id, { remoteId: String(registered.id), meta: { ...pair.meta, registeredAt: new Date().toISOString() } });
        session.audit({ action: 'registered', keyId: k.id, workspaceId: ws.id, detail: `public key registered on GitHub (${k.fingerprint ?? ''})` });
        return k;
      });
      return { key };
    }
    case 'encord': {
      const pair = await keyPairFor(session, input, ws.id, env?.id ?? null);
      const holder = input.role === 'user' ? 'user' : 'service_account';
      const guide = EncordProvider.registrationGuide(pair.publicPart!, holder);
      const registered = await checkEncordKey(session, ws.id, pair.id, opts);
      const key = session.updateKey(pair.id, {
        role: input.role ?? pair.role ?? 'Admin',
        meta: { ...pair.meta, registration: registered ? 'checked' : 'guided', ...(registered ? { registeredAt: new Date().toISOString() } : {}) },
      });
      if (registered) session.audit({ action: 'registered', keyId: key.id, workspaceId: ws.id, detail: 'public key registered on Encord (checked with a signed request)' });
      return { key, registration: { ...guide, registered } };
    }
  }
}

async function checkEncordKey(session: VaultSession, workspaceId: string, keyId: string, opts: RemoteOptions): Promise<boolean> {
  try {
    await encordWithKey(session, remoteWorkspace(session, workspaceId), keyId, opts).check();
    return true;
  } catch (e) {
    if (hasStatus(e, 401, 403)) return false;
    throw e;
  }
}

/** A real call with the key's stored secret: does it work? (Encord: records the registration) */
export async function checkRemoteKey(session: VaultSession, id: string, opts: RemoteOptions = {}): Promise<{ id: string; works: boolean; detail: string }> {
  const key = session.getKey(id);
  const ws = keyWorkspace(session, key);
  try {
    switch (ws.provider) {
      case 'rancher':
        if (!key.publicPart) throw new KeyholdError('INVALID_INPUT', `Key ${key.id} has no access key.`);
        await rancherFor(session, ws, opts).checkKeyPair(key.publicPart, session.readSecret(key.id), { waitMs: 0 });
        break;
      case 'syncano':
        if (key.kind === 'account_key') await syncanoFor(session, ws, opts).check();
        else if (key.kind === 'api_key') await syncanoFor(session, ws, opts).checkApiKey(environmentRemoteId(session, key) ?? '', session.readSecret(key.id));
        else if (key.kind === 'user_key') {
          const user = await syncanoFor(session, ws, opts).getUser(environmentRemoteId(session, key) ?? '', key.remoteId ?? '');
          if (user.user_key !== session.readSecret(key.id)) return { id: key.id, works: false, detail: 'the platform has another user key (sync or rotate)' };
        }
        break;
      case 'github':
        if (key.id === ws.credentialKeyId) await githubFor(session, ws, opts).check();
        else await githubFor(session, ws, opts).getKey(key.remoteId ?? '');
        break;
      case 'encord': {
        const works = await checkEncordKey(session, ws.id, key.id, opts);
        if (works && !key.meta.registeredAt) {
          session.updateKey(key.id, { meta: { ...key.meta, registration: 'checked', registeredAt: new Date().toISOString() } });
          session.audit({ action: 'registered', keyId: key.id, workspaceId: ws.id, detail: 'public key registered on Encord (checked with a signed request)' });
        }
        return { id: key.id, works, detail: works ? 'a signed request was accepted' : 'Encord does not know this key: register it (see key create)' };
      }
    }
  } catch (e) {
    if (hasStatus(e, 401, 403, 404)) return { id: key.id, works: false, detail: e instanceof Error ? e.message : 'refused' };
    throw e;
  }
  return { id: key.id, works: true, detail: 'a real call with it succeeded' };
}

function rancherKey(session: VaultSession, id: string) {
  const key = session.getKey(id);
  const ws = keyWorkspace(session, key);
  if (ws.provider !== 'rancher') {
    throw new KeyholdError('USAGE', `${ws.provider} keys cannot be activated or deactivated: the platform has no such state${ws.provider === 'syncano' ? ' (reset or delete instead)' : ''}.`);
  }
  if (!key.remoteId) throw new KeyholdError('USAGE', `Key ${key.id} is not linked to a Rancher key (sync the workspace first).`);
  return { key, ws, ref: { id: key.remoteId, projectId: environmentRemoteId(session, key) } };
}

export async function setRemoteKeyActive(session: VaultSession, id: string, active: boolean, opts: RemoteOptions = {}): Promise<KeyRecord> {
  const { key, ws, ref } = rancherKey(session, id);
  if (!active && key.id === ws.credentialKeyId) throw new KeyholdError('CONFLICT', `Key ${key.id} manages workspace ${ws.name}: deactivating it would lock Keyhold out. Connect another key first.`);
  const rancher = rancherFor(session, ws, opts);
  if (active) await rancher.activate(ref);
  else await rancher.deactivate(ref);
  return session.transaction(() => {
    const rec = session.updateKey(key.id, { state: active ? 'active' : 'inactive', remoteMissing: false });
    session.audit({ action: active ? 'activated' : 'deactivated', keyId: key.id, workspaceId: ws.id, detail: `${active ? 'activated' : 'deactivated'} on Rancher` });
    return rec;
  });
}

/** Deletes the key on the platform; the vault keeps the record (state revoked) and its secret. */
export async function revokeRemoteKey(session: VaultSession, id: string, opts: RemoteOptions = {}): Promise<KeyRecord> {
  const key = session.getKey(id);
  const ws = keyWorkspace(session, key);
  if (key.id === ws.credentialKeyId) throw new KeyholdError('CONFLICT', `Key ${key.id} manages workspace ${ws.name}: connect another credential before revoking it.`);
  const gone = (e: unknown) => hasStatus(e, 404);
  switch (ws.provider) {
    case 'rancher': {
      const { ref } = rancherKey(session, id);
      await rancherFor(session, ws, opts).deleteKey(ref, { deactivateFirst: true });
      break;
    }
    case 'syncano':
      if (key.kind !== 'api_key') throw new KeyholdError('USAGE', `A Syncano ${key.kind.replace('_', ' ')} cannot be deleted; rotate it (reset) instead.`);
      await syncanoFor(session, ws, opts)
        .deleteApiKey(environmentRemoteId(session, key) ?? '', key.remoteId ?? '')
        .catch((e: unknown) => {
          if (!gone(e)) throw e;
        });
      break;
    case 'github':
      if (!key.remoteId) throw new KeyholdError('USAGE', `Key ${key.id} is not registered on GitHub.`);
      await githubFor(session, ws, opts)
        .deleteKey(key.remoteId)
        .catch((e: unknown) => {
          if (!gone(e)) throw e;
        });
      break;
    case 'encord':
      throw new KeyholdError('USAGE', 'Encord keys are removed in Encord\'s web app (Service accounts or User settings > API keys); then `key rm` it here.');
  }
  return session.transaction(() => {
    const rec = session.updateKey(key.id, { state: 'revoked' });
    session.audit({ action: 'revoked', keyId: key.id, workspaceId: ws.id, detail: `deleted on ${ws.provider}; the local record is kept` });
    return rec;
  });
}

export interface RemoteEditInput {
  name?: string;
  description?: string;
  /** Syncano API key flags, complete: absent ones are switched off */
  flags?: string[];
}

/**
 * Edits a key on its platform, then in the vault: Rancher name / description, Syncano API key
 * description and flags. A key the platform does not link (local, or no remote id) is edited
 * locally only. Audited 'edited'.
 */
export async function editRemoteKey(session: VaultSession, id: string, input: RemoteEditInput, opts: RemoteOptions = {}): Promise<KeyRecord> {
  const key = session.getKey(id);
  if (input.name === undefined && input.description === undefined && input.flags === undefined) throw new KeyholdError('USAGE', 'Nothing to change: give a new name, description or flags.');
  const ws = key.workspaceId ? session.getWorkspace(key.workspaceId) : null;
  const remote = ws && ws.provider !== 'local' && key.remoteId ? keyWorkspace(session, key) : null;
  let flags: Record<string, boolean> | undefined;
  if (input.flags !== undefined && remote?.provider !== 'syncano') throw new KeyholdError('USAGE', 'Flags are Syncano API key flags.');
  if (remote?.provider === 'rancher') {
    const ref = { id: key.remoteId!, projectId: environmentRemoteId(session, key) };
    await rancherFor(session, remote, opts).editKey(ref, { ...(input.name !== undefined ? { name: input.name } : {}), ...(input.description !== undefined ? { description: input.description } : {}) });
  } else if (remote?.provider === 'syncano' && key.kind === 'api_key') {
    const wanted = input.flags !== undefined ? Object.fromEntries(SYNCANO_FLAGS.map((f) => [f, input.flags!.includes(f)])) : undefined;
    if (input.flags) parseFlags(input.flags);
    const edited = await syncanoFor(session, remote, opts).editApiKey(environmentRemoteId(session, key) ?? '', key.remoteId!, {
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(wanted ? { flags: wanted } : {}),
    });
    flags = syncanoFlags(edited);
  }
  return session.transaction(() => {
    const rec = session.updateKey(key.id, { ...(input.name !== undefined ? { name: input.name } : {}), ...(input.description !== undefined ? { description: input.description } : {}), ...(flags ? { flags } : {}) });
    const changed = [input.name !== undefined && 'name', input.description !== undefined && 'description', flags && 'flags'].filter(Boolean).join(', ');
    session.audit({ action: 'edited', keyId: key.id, workspaceId: key.workspaceId, detail: `changed ${changed}${remote ? ` on ${remote.provider} and locally` : ''}` });
    return rec;
  });
}
