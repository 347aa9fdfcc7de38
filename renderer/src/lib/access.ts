// What a workspace's credential may do, as its platform showed it (GitHub scopes, Syncano roles,
// carried by workspaces.list), and the refusal to warn about before an action is tried.
import type { WorkspaceRow } from './model';

export type Access = NonNullable<WorkspaceRow['access']>;
export type RemoteOperation = Access['refuses'][number]['operation'];

/** Why the platform will refuse `operation` (in this environment, by its platform id or name); null: no known refusal. */
export function refusalFor(
  ws: WorkspaceRow | undefined,
  operation: RemoteOperation,
  environment?: string | null,
  kind?: string,
): string | null {
  // kinds: a refusal only for some kinds of key (GitHub's public-key scopes say nothing of deploy keys)
  const hit = ws?.access?.refuses.find(
    (r) =>
      r.operation === operation &&
      (r.environment === undefined || r.environment === environment) &&
      (r.kinds === undefined || kind === undefined || (r.kinds as string[]).includes(kind)),
  );
  return hit?.reason ?? null;
}

/** "Token: can add keys, cannot delete them (scopes: write:public_key)" */
export function accessLine(access: Access): string {
  return `${access.summary}${access.grants && access.grants.length ? ` (${access.grants.join(', ')})` : ''}`;
}
