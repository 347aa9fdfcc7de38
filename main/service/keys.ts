// Key use cases on an unlocked vault: the one JSON view of a key (IPC and `key list/show`),
// add / edit / remove / history, and the two ways a secret leaves the vault on request: reveal
// and copy (both audited). Other domains extend keyView rather than building their own.
import { createHash } from 'node:crypto';
import { KeyholdError } from '../errors';
import type { Clipboard } from '../platform/types';
import { agentFields } from './agent-settings';
import { resolveEnvironment, resolveWorkspace } from './identifiers';
import { keyPairDetails } from './keypair-view';
import type {
  AuditEvent,
  Environment,
  KeyKind,
  KeyQuery,
  KeyRecord,
  KeyState,
  KeyVersion,
  NewKey,
  Policy,
  Provider,
  VaultSession,
  Workspace,
} from '../vault/types';
import { AGE_META, isoOrNull, type AgeSource } from './ages/key-dates';
import { keyAge, policyFor, systemClock, type Clock, type KeyStatus } from './ages/status';

export interface KeyView {
  id: string;
  workspaceId: string | null;
  workspace: string | null;
  environmentId: string | null;
  environment: string | null;
  provider: Provider | null;
  kind: KeyKind;
  name: string;
  description: string;
  state: KeyState;
  public: string | null;
  fingerprint: string | null;
  remoteId: string | null;
  flags: Record<string, boolean>;
  role: string | null;
  meta: Record<string, string>;
  hasSecret: boolean;
  remoteMissing: boolean;
  createdAt: string;
  updatedAt: string;
  rotatedAt: string | null;
  /** whole days since the current secret came to be (the platform's own date where it gives one) */
  ageDays: number;
  ageSource: AgeSource;
  lastUsedAt: string | null;
  expiresAt: string | null;
  /** null without a policy (and for a token without an expiry) */
  dueAt: string | null;
  status: KeyStatus;
  /** GitHub deploy keys: read-only access to the repository */
  readOnly?: boolean;
  /** key pairs: filled by the key-pair domain */
  publicKey?: string;
  randomart?: string;
  /** key pairs: the agent settings (docs/SECURITY.md, SSH agent) */
  agent?: 'on' | 'off' | 'confirm';
  agentHosts?: string[];
  agentForwarding?: 'allow' | 'deny';
}

/** Workspace and environment names by id, read once for a page of keys. */
export interface Names {
  workspaces: Map<string, Workspace>;
  environments: Map<string, Environment>;
  /** the rotation policies and the time a key's status is computed at */
  policies: Policy[];
  now: Date;
}

export function loadNames(session: VaultSession, clock: Clock = systemClock): Names {
  return {
    workspaces: new Map(session.listWorkspaces().map((w) => [w.id, w])),
    environments: new Map(session.listEnvironments().map((e) => [e.id, e])),
    policies: session.listPolicies(),
    now: clock(),
  };
}

/** The JSON of a key as `key list --json`, `key show --json` and the UI see it. Never the secret. */
export function keyView(session: VaultSession, record: KeyRecord, names: Names = loadNames(session)): KeyView {
  const ws = record.workspaceId ? names.workspaces.get(record.workspaceId) : undefined;
  const env = record.environmentId ? names.environments.get(record.environmentId) : undefined;
  return {
    id: record.id,
    workspaceId: record.workspaceId,
    workspace: ws?.name ?? null,
    environmentId: record.environmentId,
    environment: env?.name ?? null,
    provider: ws?.provider ?? null,
    kind: record.kind,
    name: record.name,
    description: record.description,
    state: record.state,
    public: record.publicPart,
    fingerprint: record.fingerprint,
    remoteId: record.remoteId,
    flags: { ...record.flags },
    role: record.role,
    meta: { ...record.meta },
    hasSecret: record.hasSecret,
    remoteMissing: record.remoteMissing,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    rotatedAt: record.rotatedAt,
    ...ageFields(record, names),
    ...(record.kind === 'deploy_key' ? { readOnly: record.meta.readOnly === 'true' } : {}),
  };
}

function ageFields(
  record: KeyRecord,
  names: Names,
): Pick<KeyView, 'ageDays' | 'ageSource' | 'lastUsedAt' | 'expiresAt' | 'dueAt' | 'status'> {
  const a = keyAge(record, policyFor(record, names.policies), names.now);
  return { ageDays: a.ageDays, ageSource: a.ageSource, lastUsedAt: a.lastUsedAt, expiresAt: a.expiresAt, dueAt: a.dueAt, status: a.status };
}

/** One key's page (`key show`, keys.get): the list view plus the key-pair extras. */
export function keyDetail(session: VaultSession, record: KeyRecord, names?: Names): KeyView {
  return { ...keyView(session, record, names), ...keyPairDetails(record), ...agentFields(record) };
}

/** W or E given by the user as a name, an id, or (E) the platform's own id (./identifiers). */
export function resolveScope(
  session: VaultSession,
  scope: { workspace?: string; env?: string },
): { workspaceId?: string; environmentId?: string } {
  const out: { workspaceId?: string; environmentId?: string } = {};
  if (scope.workspace !== undefined) out.workspaceId = resolveWorkspace(session, scope.workspace).id;
  if (scope.env !== undefined) {
    const env = resolveEnvironment(session, scope.env, out.workspaceId);
    out.environmentId = env.id;
    out.workspaceId ??= env.workspaceId;
  }
  return out;
}

export function listKeyViews(session: VaultSession, query: KeyQuery = {}, clock: Clock = systemClock): { total: number; items: KeyView[] } {
  const page = session.listKeys(query);
  const names = loadNames(session, clock);
  return { total: page.total, items: page.items.map((k) => keyView(session, k, names)) };
}

export interface AddKeyInput {
  workspaceId?: string | null;
  environmentId?: string | null;
  kind: KeyKind;
  name: string;
  description?: string;
  publicPart?: string | null;
  fingerprint?: string | null;
  flags?: Record<string, boolean>;
  role?: string | null;
  secret?: string | null;
  /** when the key was made elsewhere, if the user knows (its age counts from then) */
  createdAt?: string | null;
}

/** Stores a key that exists elsewhere (`key add`), audited 'created'. Its age counts from the
 * creation time given, else from now, and says which (ageSource manual / added). */
export function addKey(session: VaultSession, input: AddKeyInput): KeyRecord {
  return session.transaction(() => {
    let environmentId = input.environmentId ?? null;
    let workspaceId = input.workspaceId ?? null;
    if (environmentId) {
      const env = session.getEnvironment(environmentId);
      environmentId = env.id;
      if (workspaceId === null) workspaceId = env.workspaceId;
    }
    const { createdAt, ...fields } = input;
    const meta: Record<string, string> = { [AGE_META.addedBy]: 'hand' };
    if (createdAt != null) {
      const given = isoOrNull(createdAt);
      if (!given) throw new KeyholdError('USAGE', 'The creation date is not a date: give it as 2024-01-31 or 2024-01-31T12:00:00Z.');
      meta[AGE_META.givenCreatedAt] = given;
    }
    const rec = session.addKey({ ...fields, workspaceId, environmentId, meta });
    session.audit({ action: 'created', keyId: rec.id, workspaceId: rec.workspaceId, detail: `${rec.kind} added` });
    return rec;
  });
}

/**
 * Many keys (import, sync, bench): committed in batches small enough that the event loop is never
 * held long, yielding between them. Each batch is one transaction; `onBatch` hears each commit.
 * Audits one event per batch, not per key.
 */
export async function bulkAddKeys(
  session: VaultSession,
  inputs: NewKey[],
  options: { batchSize?: number; action?: 'created' | 'imported' | 'synced'; onBatch?: (done: number) => void } = {},
): Promise<KeyRecord[]> {
  const size = Math.max(1, options.batchSize ?? 128);
  const out: KeyRecord[] = [];
  for (let i = 0; i < inputs.length; i += size) {
    const batch = inputs.slice(i, i + size);
    const added = session.transaction(
      () => {
        const recs = session.addKeys(batch);
        session.audit({ action: options.action ?? 'created', detail: `${recs.length} key(s) added in bulk` });
        return recs;
      },
      { bulk: true },
    );
    for (const r of added) out.push(r);
    options.onBatch?.(out.length);
    if (i + size < inputs.length) await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return out;
}

export interface EditKeyInput {
  name?: string;
  description?: string;
  environmentId?: string | null;
  flags?: Record<string, boolean>;
  role?: string | null;
}

export function editKey(session: VaultSession, id: string, patch: EditKeyInput): KeyRecord {
  return session.transaction(() => {
    const changed = Object.keys(patch).filter((k) => patch[k as keyof EditKeyInput] !== undefined);
    if (changed.length === 0) throw new KeyholdError('USAGE', 'Nothing to change: give a new name, description or the like.');
    const rec = session.updateKey(id, patch);
    session.audit({ action: 'edited', keyId: id, workspaceId: rec.workspaceId, detail: `changed ${changed.join(', ')}` });
    return rec;
  });
}

export function removeKey(session: VaultSession, id: string): void {
  session.transaction(() => {
    const rec = session.getKey(id);
    session.removeKey(id);
    session.audit({ action: 'deleted', keyId: id, workspaceId: rec.workspaceId, detail: `${rec.kind} removed` });
  });
}

export function keyHistory(session: VaultSession, id: string): { versions: KeyVersion[]; events: AuditEvent[] } {
  return { versions: session.listVersions(id), events: session.listAudit({ keyId: id }) };
}

/** The secret, on the user's explicit request: audited 'revealed'. */
export function revealSecret(session: VaultSession, id: string, detail = 'revealed'): string {
  const secret = session.readSecret(id);
  const rec = session.getKey(id);
  session.audit({ action: 'revealed', keyId: id, workspaceId: rec.workspaceId, detail });
  return secret;
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Pending clipboard clears, so a second copy replaces the first timer. */
let clipboardTimer: NodeJS.Timeout | undefined;

/**
 * Copies the secret to the clipboard (in main: the renderer never sees it), audited 'copied', and
 * clears the clipboard after `clearAfterSeconds` if it still holds that secret. Only a hash of the
 * secret waits for the timer.
 */
export async function copySecret(
  session: VaultSession,
  clipboard: Clipboard,
  id: string,
  clearAfterSeconds: number,
): Promise<{ id: string; clearAfterSeconds: number }> {
  const secret = session.readSecret(id);
  const rec = session.getKey(id);
  await clipboard.writeText(secret);
  const hash = digest(secret);
  session.audit({
    action: 'copied',
    keyId: id,
    workspaceId: rec.workspaceId,
    detail: `copied to the clipboard, cleared after ${clearAfterSeconds} s`,
  });
  if (clipboardTimer) clearTimeout(clipboardTimer);
  clipboardTimer = setTimeout(() => {
    clipboardTimer = undefined;
    clipboard.readText().then(
      (text) => {
        if (digest(text) === hash) clipboard.clear();
      },
      () => {
        /* the clipboard went away: nothing to clear */
      },
    );
  }, clearAfterSeconds * 1000);
  clipboardTimer.unref?.();
  return { id, clearAfterSeconds };
}
