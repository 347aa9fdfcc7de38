// The credential that manages a workspace, as `workspace connect` stores it, and what the
// platform showed it may do (scopes, roles), kept in its meta so the UI can warn without a call.
import { z } from 'zod';
import { KeyholdError } from '../../errors';
import { REMOTE_OPERATIONS, type CredentialAccess } from '../../providers/types';
import { KEY_KINDS, type KeyRecord, type NewKey, type VaultSession, type Workspace } from '../../vault/types';

/** Stores the credential: a new version of the current one when it is the same kind, else a new key. */
export function storeCredential(
  session: VaultSession,
  ws: Workspace,
  secret: string,
  key: Omit<NewKey, 'secret' | 'workspaceId'>,
): KeyRecord {
  const current = ws.credentialKeyId ? session.getKey(ws.credentialKeyId) : null;
  if (current && current.kind === key.kind) {
    return session.addVersion(current.id, secret, {
      publicPart: key.publicPart ?? current.publicPart,
      remoteId: key.remoteId ?? current.remoteId,
      meta: { ...current.meta, ...(key.meta ?? {}) },
      state: 'active',
    });
  }
  return session.addKey({ ...key, workspaceId: ws.id, secret });
}

const ACCESS_META = 'access';

export const CredentialAccessSchema = z.object({
  grants: z.array(z.string()).nullable(),
  summary: z.string(),
  refuses: z.array(
    z.object({
      operation: z.enum(REMOTE_OPERATIONS),
      environment: z.string().optional(),
      reason: z.string(),
      kinds: z.array(z.enum(KEY_KINDS)).optional(),
    }),
  ),
});

/** Records what the credential may do (inside the caller's transaction). */
export function recordAccess(session: VaultSession, credential: KeyRecord, access: CredentialAccess): KeyRecord {
  const text = JSON.stringify(access);
  if (credential.meta[ACCESS_META] === text) return credential;
  return session.updateKey(credential.id, { meta: { ...credential.meta, [ACCESS_META]: text } });
}

/** What the credential may do, as last seen (null: never shown, or unreadable). */
export function accessOf(credential: KeyRecord): CredentialAccess | null {
  const text = credential.meta[ACCESS_META];
  if (!text) return null;
  try {
    const parsed = CredentialAccessSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Why the platform will refuse this operation (in this environment), or null. */
export function refusal(
  access: CredentialAccess | null,
  operation: CredentialAccess['refuses'][number]['operation'],
  environment?: string | null,
  kind?: string,
): string | null {
  // kinds: a refusal only for some kinds of key (GitHub's public-key scopes say nothing of deploy keys)
  const hit = access?.refuses.find(
    (r) =>
      r.operation === operation &&
      (r.environment === undefined || r.environment === environment) &&
      (r.kinds === undefined || kind === undefined || (r.kinds as string[]).includes(kind)),
  );
  return hit?.reason ?? null;
}

/**
 * A platform's 403 says only "no permission"; where the credential's recorded access knows why
 * (a Syncano role), the refusal says it too. Anything else passes unchanged.
 */
export function explainRefusal(
  e: unknown,
  credential: KeyRecord | null,
  operation: CredentialAccess['refuses'][number]['operation'],
  environment?: string | null,
): unknown {
  if (!(e instanceof KeyholdError) || e.code !== 'REMOTE' || e.remote?.reason !== 'scope' || e.remote.status !== 403 || !credential)
    return e;
  const why = refusal(accessOf(credential), operation, environment);
  return why ? new KeyholdError('REMOTE', `${e.message}: ${why}.`, { remote: e.remote }) : e;
}
