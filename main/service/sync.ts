// `sync W`: pull the platform's environments and keys into the vault. It adds what is new,
// refreshes names, states, flags and public parts, stores a secret the platform hands out when
// it changed (as a new version: the old one is kept), and marks keys that vanished remotely with
// remoteMissing (and no longer active: the platform does not have them). It never deletes a local
// key or secret. A scope the credential may not read (403: a Syncano instance shared read-only, a
// Rancher environment out of reach) is skipped and reported with the platform's reason; the sync
// goes on with the others and leaves that scope's keys as they were.
import { KeyholdError } from '../errors';
import { hasStatus } from '../providers/http';
import { keyBody } from '../providers/github';
import type { RemoteEnvironment, RemoteKey } from '../providers/types';
import type { Environment, KeyRecord, VaultSession } from '../vault/types';
import { AGE_META, withPlatformDates } from './ages/key-dates';
import { platformOf } from './platforms';
import { recordAccess } from './platforms/credential';
import { remoteWorkspace, type RemoteOptions } from './remote';
import { ROTATION } from './rotation/journal';

export interface SkippedScope {
  /** the platform's id of the environment (null: the account) */
  environment: string | null;
  name: string;
  /** the platform's own words */
  reason: string;
}

export interface SyncResult {
  workspace: string;
  environments: { total: number; added: number };
  keys: { total: number; added: number; updated: number; missing: number };
  /** scopes the credential could not read; their keys were left as they were */
  skipped: SkippedScope[];
}

/** Where a sync is, in real work units: the environments listing (one call), the key listings
 * (one call per scope: environment, account, user), then the one vault transaction. */
export interface SyncProgress {
  workspaceId: string;
  phase: 'environments' | 'keys' | 'saving';
  done: number;
  total: number;
}

function uniqueName(taken: Set<string>, name: string, remoteId: string): string {
  let candidate = name;
  if (taken.has(candidate.toLowerCase())) candidate = `${name} (${remoteId})`;
  taken.add(candidate.toLowerCase());
  return candidate;
}

/** Public parts compared as the platform stores them (GitHub drops an OpenSSH line's comment). */
const samePublic = (a: string | null, b: string) => a !== null && keyBody(a) === keyBody(b);

const sameFlags = (a: Record<string, boolean>, b: Record<string, boolean>) =>
  JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());

export async function syncWorkspace(
  session: VaultSession,
  idOrName: string,
  opts: RemoteOptions = {},
  onProgress?: (p: SyncProgress) => void,
): Promise<SyncResult> {
  const ws = remoteWorkspace(session, idOrName);
  const service = platformOf(ws);
  const platform = service.client(session, ws, opts);
  const progress = (phase: SyncProgress['phase'], done: number, total: number) => onProgress?.({ workspaceId: ws.id, phase, done, total });

  // everything is fetched first, so a failure halfway changes nothing
  let remoteEnvs: RemoteEnvironment[] = [];
  if (platform.capabilities.environments) {
    progress('environments', 0, 1);
    remoteEnvs = await platform.listEnvironments();
    progress('environments', 1, 1);
  }
  const keyScopes = service.syncScopes(remoteEnvs);
  const remoteKeys: RemoteKey[] = [];
  const skipped: SkippedScope[] = [];
  for (const [i, scope] of keyScopes.entries()) {
    progress('keys', i, keyScopes.length);
    try {
      remoteKeys.push(...(await platform.listKeys(scope)));
    } catch (e) {
      // 403 (GitHub: 404): no access here (a role without API keys); the other scopes still sync
      if (!(hasStatus(e, 403) || (service.hidesWith404 && hasStatus(e, 404))) || scope === null) throw e;
      const env = remoteEnvs.find((r) => r.remoteId === scope);
      skipped.push({
        environment: scope,
        name: env?.name ?? scope,
        reason: `${e instanceof KeyholdError ? e.message : 'forbidden'}${env?.role ? ` (your role: ${env.role})` : ''}`,
      });
    }
  }
  if (keyScopes.length > 0) progress('keys', keyScopes.length, keyScopes.length);
  progress('saving', 0, 1);

  const result = session.transaction(() => {
    const envs = session.listEnvironments(ws.id);
    const byRemote = new Map<string, Environment>(envs.filter((e) => e.remoteId).map((e) => [e.remoteId!, e]));
    const taken = new Set(envs.map((e) => e.name.toLowerCase()));
    let envAdded = 0;
    for (const r of remoteEnvs) {
      if (byRemote.has(r.remoteId)) continue;
      byRemote.set(
        r.remoteId,
        session.addEnvironment({ workspaceId: ws.id, name: uniqueName(taken, r.name, r.remoteId), remoteId: r.remoteId }),
      );
      envAdded++;
    }

    // keys mid-rotation change their remote id under us: the journal owns them until it is done
    const rotating = new Set(session.listPending(ROTATION).map((op) => op.keyId));
    const local = session.listKeys({ workspaceId: ws.id }).items.filter((k) => k.remoteId);
    const envById = new Map(envs.map((e) => [e.id, e]));
    const envOf = (k: KeyRecord) => (k.environmentId ? (envById.get(k.environmentId) ?? null) : null);
    const scopeOf = (k: KeyRecord) => (service.scopeOf ? service.scopeOf(k, envOf(k)?.remoteId ?? null) : envOf(k)?.remoteId) ?? '';
    const localKey = (k: KeyRecord) => `${k.kind}|${envOf(k)?.remoteId ?? ''}|${k.remoteId}`;
    const locals = new Map(local.map((k) => [localKey(k), k]));
    const seen = new Set<string>();
    let added = 0;
    let updated = 0;
    for (const r of remoteKeys) {
      const env = r.environmentRemoteId ? (byRemote.get(r.environmentRemoteId) ?? null) : null;
      const id = `${r.kind}|${r.environmentRemoteId ?? ''}|${r.remoteId}`;
      seen.add(id);
      const mine = locals.get(id);
      if (!mine) {
        const rec = session.addKey({
          workspaceId: ws.id,
          environmentId: env?.id ?? null,
          kind: r.kind,
          name: r.name,
          description: r.description,
          state: r.state,
          remoteId: r.remoteId,
          flags: r.flags,
          publicPart: r.publicPart,
          // found here, not made here: registered outside Keyhold (the attention view shows it)
          meta: { ...(withPlatformDates(r.meta, r) ?? r.meta), [AGE_META.addedBy]: 'sync' },
          secret: r.secret,
        });
        session.audit({
          action: 'synced',
          keyId: rec.id,
          workspaceId: ws.id,
          detail: `found on ${ws.provider}${r.secret ? '' : ' (no secret: the platform does not hand it out)'}`,
        });
        added++;
        continue;
      }
      if (rotating.has(mine.id)) continue;
      const publicChanged = r.publicPart !== null && !samePublic(mine.publicPart, r.publicPart);
      const changed = mine.state !== r.state || mine.remoteMissing || !sameFlags(mine.flags, r.flags) || publicChanged;
      // the platform's dates are bookkeeping: recorded, not a change worth an audit event
      const dates = withPlatformDates(mine.meta, r);
      if (changed || dates)
        session.updateKey(mine.id, {
          ...(changed ? { state: r.state, remoteMissing: false, flags: r.flags } : {}),
          ...(publicChanged ? { publicPart: r.publicPart } : {}),
          ...(dates ? { meta: dates } : {}),
        });
      let secretChanged = false;
      if (r.secret && (!mine.hasSecret || session.readSecret(mine.id) !== r.secret)) {
        session.addVersion(mine.id, r.secret);
        secretChanged = true;
      }
      if (changed || secretChanged) {
        session.audit({
          action: 'synced',
          keyId: mine.id,
          workspaceId: ws.id,
          detail: secretChanged
            ? 'updated from the platform: a new secret (the previous one is kept as a version)'
            : 'updated from the platform',
        });
        updated++;
      }
    }

    let missing = 0;
    const unread = new Set(skipped.map((s) => s.environment ?? ''));
    const listedScopes = new Set(keyScopes.map((s) => s ?? '').filter((s) => !unread.has(s)));
    for (const k of local) {
      // a key revoked from here is gone on purpose; the credential of a platform that does not list it is not missing
      if (
        seen.has(localKey(k)) ||
        k.remoteMissing ||
        k.state === 'revoked' ||
        rotating.has(k.id) ||
        (k.id === ws.credentialKeyId && !service.listsCredential)
      )
        continue;
      if (!listedScopes.has(scopeOf(k))) continue; // a scope we did not list (a platform that lists no keys lists no scope)
      // the platform no longer has it: it cannot be active there
      session.updateKey(k.id, { remoteMissing: true, state: 'revoked' });
      session.audit({ action: 'synced', keyId: k.id, workspaceId: ws.id, detail: `gone from ${ws.provider}; the local secret is kept` });
      missing++;
    }
    if (service.accessOf && ws.credentialKeyId) recordAccess(session, session.getKey(ws.credentialKeyId), service.accessOf(remoteEnvs));
    const unreadText = skipped.length ? `; could not read ${skipped.map((s) => s.name).join(', ')}` : '';
    session.audit({
      action: 'synced',
      workspaceId: ws.id,
      detail: `sync: ${envAdded} environments and ${added} keys added, ${updated} updated, ${missing} missing remotely${unreadText}`,
    });
    return {
      workspace: ws.name,
      environments: { total: byRemote.size, added: envAdded },
      keys: { total: remoteKeys.length, added, updated, missing },
      skipped,
    };
  });
  progress('saving', 1, 1);
  return result;
}
