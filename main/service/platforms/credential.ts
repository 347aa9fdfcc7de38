// The credential that manages a workspace, as `workspace connect` stores it.
import type { KeyRecord, NewKey, VaultSession, Workspace } from '../../vault/types';

/** Stores the credential: a new version of the current one when it is the same kind, else a new key. */
export function storeCredential(session: VaultSession, ws: Workspace, secret: string, key: Omit<NewKey, 'secret' | 'workspaceId'>): KeyRecord {
  const current = ws.credentialKeyId ? session.getKey(ws.credentialKeyId) : null;
  if (current && current.kind === key.kind) {
    return session.addVersion(current.id, secret, { publicPart: key.publicPart ?? current.publicPart, remoteId: key.remoteId ?? current.remoteId, meta: { ...current.meta, ...(key.meta ?? {}) }, state: 'active' });
  }
  return session.addKey({ ...key, workspaceId: ws.id, secret });
}
