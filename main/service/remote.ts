// From a workspace in the vault to a provider that can talk to its platform: the base URL, and
// the managing credential read (sealed) from the vault at the moment of the call, so a rotated
// workspace credential is picked up by the very next request.
import { KeyholdError } from '../errors';
import { EncordProvider } from '../providers/encord';
import { GithubProvider } from '../providers/github';
import { RancherProvider } from '../providers/rancher';
import { Rancher2Provider } from '../providers/rancher2';
import { SyncanoProvider } from '../providers/syncano';
import { CAPABILITIES, isRemoteProvider, type ProviderOptions, type RemoteProvider } from '../providers/types';
import type { KeyRecord, VaultSession, Workspace } from '../vault/types';
import { publicKeyHex, signWithKey } from './keypairs';

/** Knobs of the remote calls (tests and the bench shorten backoffs and timeouts). */
export interface RemoteOptions {
  http?: ProviderOptions;
}

/** A workspace on a platform (not local). */
export type RemoteWorkspace = Workspace & { provider: RemoteProvider };

export { isRemoteProvider };

export function remoteWorkspace(session: VaultSession, idOrName: string): RemoteWorkspace {
  const ws = session.getWorkspace(idOrName);
  if (!isRemoteProvider(ws.provider)) throw new KeyholdError('USAGE', `Workspace ${ws.name} is local: it has no platform to talk to.`);
  return { ...ws, provider: ws.provider };
}

/** The workspace's base URL over the caller's knobs (a self-hosted platform has no default: USAGE without one). */
export function httpOptions(ws: Workspace, opts: RemoteOptions): ProviderOptions {
  const out: ProviderOptions = { ...(opts.http ?? {}) };
  if (ws.url) out.baseUrl = ws.url;
  else if (isRemoteProvider(ws.provider) && CAPABILITIES[ws.provider].selfHosted)
    throw new KeyholdError('USAGE', `Workspace ${ws.name} has no URL: Rancher runs on your own server (workspace add --url).`);
  return out;
}

export function credentialOf(session: VaultSession, ws: Workspace): KeyRecord {
  if (!ws.credentialKeyId)
    throw new KeyholdError('USAGE', `Workspace ${ws.name} is not connected: run \`keyhold workspace connect ${ws.name}\` first.`);
  return session.getKey(ws.credentialKeyId);
}

export function syncanoFor(session: VaultSession, ws: Workspace, opts: RemoteOptions = {}): SyncanoProvider {
  return new SyncanoProvider(session.readSecret(credentialOf(session, ws).id), httpOptions(ws, opts));
}

export function rancherFor(session: VaultSession, ws: Workspace, opts: RemoteOptions = {}): RancherProvider {
  const cred = credentialOf(session, ws);
  if (!cred.publicPart) throw new KeyholdError('INTEGRITY', `The credential of workspace ${ws.name} has no access key.`);
  const http = httpOptions(ws, opts);
  return new RancherProvider(http.baseUrl!, cred.publicPart, session.readSecret(cred.id), http);
}

/** Rancher 2: the workspace's credential is a bearer token-xxxxx:<secret>. */
export function rancher2For(session: VaultSession, ws: Workspace, opts: RemoteOptions = {}): Rancher2Provider {
  const http = httpOptions(ws, opts);
  return new Rancher2Provider(http.baseUrl!, session.readSecret(credentialOf(session, ws).id), http);
}

/** GitHub: the workspace's environments with a platform id are its repositories (OWNER/REPO). */
export function githubFor(session: VaultSession, ws: Workspace, opts: RemoteOptions = {}): GithubProvider {
  const repositories = session.listEnvironments(ws.id).flatMap((e) => (e.remoteId ? [e.remoteId] : []));
  return new GithubProvider(session.readSecret(credentialOf(session, ws).id), httpOptions(ws, opts), repositories);
}

/** Encord signs with a key pair of the vault; the private key stays in the vault's process. */
export function encordWithKey(session: VaultSession, ws: Workspace, keyId: string, opts: RemoteOptions = {}): EncordProvider {
  return new EncordProvider(publicKeyHex(session, keyId), (bytes) => signWithKey(session, keyId, bytes), httpOptions(ws, opts));
}

export function encordFor(session: VaultSession, ws: Workspace, opts: RemoteOptions = {}): EncordProvider {
  return encordWithKey(session, ws, credentialOf(session, ws).id, opts);
}

/** The workspace a key belongs to, which must be a connected remote one. */
export function keyWorkspace(session: VaultSession, key: KeyRecord): RemoteWorkspace {
  if (!key.workspaceId) throw new KeyholdError('USAGE', `Key ${key.id} belongs to no workspace, so no platform manages it.`);
  return remoteWorkspace(session, key.workspaceId);
}

/** The platform's environment id of a key (Syncano instance, Rancher project), or null. */
export function environmentRemoteId(session: VaultSession, key: KeyRecord): string | null {
  if (!key.environmentId) return null;
  const env = session.getEnvironment(key.environmentId);
  return env.remoteId ?? env.name;
}
