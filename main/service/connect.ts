// `workspace connect`: exchange what the user gives for the credential that manages the
// workspace, check it with a real call, store it sealed as a key, and point the workspace at it.
// A bad credential is never stored. What each platform takes is its module's (./platforms).
// What the platform shows the credential may do (scopes, roles) is kept with it and answered.
import type { CredentialAccess } from '../providers/types';
import type { VaultSession, Workspace } from '../vault/types';
import { platformOf, type ConnectInput } from './platforms';
import { accessOf, recordAccess } from './platforms/credential';
import { remoteWorkspace, type RemoteOptions } from './remote';

export type { ConnectInput };

export interface ConnectResult {
  workspace: Workspace;
  credentialKeyId: string;
  /** who the platform says the credential is (email, access key, ...) */
  identity: string;
  /** what the platform shows it may do; null where it does not say */
  access: CredentialAccess | null;
}

export async function connectWorkspace(session: VaultSession, input: ConnectInput, opts: RemoteOptions = {}): Promise<ConnectResult> {
  const ws = remoteWorkspace(session, input.workspace);
  const platform = platformOf(ws);
  const { record, identity, access } = await platform.connect(session, ws, input, opts);
  const updated = session.transaction(() => {
    if (access) recordAccess(session, record, access);
    const w = session.updateWorkspace(ws.id, { credentialKeyId: record.id });
    session.audit({
      action: 'workspace_connected',
      workspaceId: ws.id,
      keyId: record.id,
      detail: `connected to ${ws.provider} as ${identity}`,
    });
    return w;
  });
  platform.afterConnect?.(session, record);
  return { workspace: updated, credentialKeyId: record.id, identity, access: access ?? null };
}

/** What the workspace's credential may do, as last shown by its platform (null: not known). */
export function workspaceAccess(session: VaultSession, ws: Workspace): CredentialAccess | null {
  if (!ws.credentialKeyId) return null;
  return accessOf(session.getKey(ws.credentialKeyId));
}
