// `workspace connect`: exchange what the user gives for the credential that manages the
// workspace, check it with a real call, store it sealed as a key, and point the workspace at it.
// A bad credential is never stored.
import { KeyholdError } from '../errors';
import { RancherProvider } from '../providers/rancher';
import { GithubProvider } from '../providers/github';
import { SyncanoProvider, syncanoLogin } from '../providers/syncano';
import type { KeyRecord, NewKey, VaultSession, Workspace } from '../vault/types';
import { settleAfterLogin } from './rotation';
import { encordWithKey, httpOptions, remoteWorkspace, type RemoteOptions } from './remote';

export interface ConnectInput {
  workspace: string;
  /** Syncano */
  email?: string;
  password?: string;
  /** Rancher: an account API key pair */
  accessKey?: string;
  secretKey?: string;
  /** GitHub */
  token?: string;
  /** Encord: a key pair of the vault, registered on the platform */
  keyId?: string;
}

export interface ConnectResult {
  workspace: Workspace;
  credentialKeyId: string;
  /** who the platform says the credential is (email, access key, ...) */
  identity: string;
}

function need(value: string | undefined, what: string): string {
  if (!value) throw new KeyholdError('USAGE', `${what} is needed to connect this workspace.`);
  return value;
}

/** Stores the credential: a new version of the current one when it is the same kind, else a new key. */
function storeCredential(session: VaultSession, ws: Workspace, secret: string, key: Omit<NewKey, 'secret' | 'workspaceId'>): KeyRecord {
  const current = ws.credentialKeyId ? session.getKey(ws.credentialKeyId) : null;
  if (current && current.kind === key.kind) {
    return session.addVersion(current.id, secret, { publicPart: key.publicPart ?? current.publicPart, remoteId: key.remoteId ?? current.remoteId, meta: { ...current.meta, ...(key.meta ?? {}) }, state: 'active' });
  }
  return session.addKey({ ...key, workspaceId: ws.id, secret });
}

export async function connectWorkspace(session: VaultSession, input: ConnectInput, opts: RemoteOptions = {}): Promise<ConnectResult> {
  const ws = remoteWorkspace(session, input.workspace);
  const http = httpOptions(ws, opts);
  let record: KeyRecord;
  let identity: string;
  switch (ws.provider) {
    case 'syncano': {
      const email = need(input.email, 'An email (--email)');
      const login = await syncanoLogin(email, need(input.password, 'The password'), http);
      identity = (await new SyncanoProvider(login.accountKey, http).check()).identity;
      record = session.transaction(() => storeCredential(session, ws, login.accountKey, { kind: 'account_key', name: `Syncano account key (${login.email})`, meta: { email: login.email } }));
      break;
    }
    case 'rancher': {
      const accessKey = need(input.accessKey, 'The access key (--public)');
      const provider = new RancherProvider(http.baseUrl!, accessKey, need(input.secretKey, 'The secret key'), http);
      identity = (await provider.check()).identity;
      const own = await provider.findByPublicValue(null, accessKey);
      record = session.transaction(() =>
        storeCredential(session, ws, input.secretKey!, { kind: 'access_key_pair', name: own?.name || `Rancher account key ${accessKey}`, description: own?.description ?? '', publicPart: accessKey, remoteId: own?.id ?? null }),
      );
      break;
    }
    case 'github': {
      const token = need(input.token, 'The token');
      identity = (await new GithubProvider(token, http).check()).identity;
      record = session.transaction(() => storeCredential(session, ws, token, { kind: 'api_key', name: 'GitHub token', meta: { type: 'token' } }));
      break;
    }
    case 'encord': {
      const keyId = need(input.keyId, 'A key pair of the vault (--key)');
      const key = session.getKey(keyId);
      if (key.kind !== 'ssh_key_pair') throw new KeyholdError('INVALID_INPUT', `Key ${key.id} is not a key pair: Encord signs with an ed25519 key pair.`);
      identity = (await encordWithKey(session, ws, key.id, opts).check()).identity;
      record = session.updateKey(key.id, { meta: { ...key.meta, registeredAt: key.meta.registeredAt ?? new Date().toISOString(), encordKeyId: identity } });
      break;
    }
  }
  const updated = session.transaction(() => {
    const w = session.updateWorkspace(ws.id, { credentialKeyId: record.id });
    session.audit({ action: 'workspace_connected', workspaceId: ws.id, keyId: record.id, detail: `connected to ${ws.provider} as ${identity}` });
    return w;
  });
  // a reset whose answer was lost left the account key unknown: this login fetched it
  if (ws.provider === 'syncano') settleAfterLogin(session, record.id);
  return { workspace: updated, credentialKeyId: record.id, identity };
}
