// The vault's public surface: the records it keeps and the session through which the service
// layer reads and writes them. Everything here is plaintext in memory only while unlocked; on
// disk every name, description, comment, public part and secret is sealed (see docs/SECURITY.md).
// main/service/ codes against VaultSession; main/vault/ implements it.

import type { KeyKind, KeyState, Provider } from '../api/constants';

export { KEY_KINDS, KEY_STATES, PROVIDERS, type KeyKind, type KeyState, type Provider } from '../api/constants';

/** One account on one platform (or a local group). */
export interface Workspace {
  id: string;
  name: string;
  provider: Provider;
  /** base URL of the platform's API (null for local) */
  url: string | null;
  /** the vault key that manages this workspace (Syncano account key, Rancher account key pair,
   * Encord key pair, GitHub token), once connected */
  credentialKeyId: string | null;
  createdAt: string;
}

/** A scope inside a workspace: Syncano instance, Rancher environment (project), Encord project. */
export interface Environment {
  id: string;
  workspaceId: string;
  name: string;
  /** the platform's id for it (Syncano instance name, Rancher project id such as 1a5) */
  remoteId: string | null;
  createdAt: string;
}

export interface KeyRecord {
  id: string;
  workspaceId: string | null;
  environmentId: string | null;
  kind: KeyKind;
  name: string;
  description: string;
  state: KeyState;
  /** the platform's id for the key (Syncano api key id, Rancher 1c23, GitHub key id) */
  remoteId: string | null;
  /** Syncano's ignore_acl, allow_user_create, allow_group_create, allow_anonymous_read */
  flags: Record<string, boolean>;
  /** Encord's Admin / Member, or the key's holder kind (service_account / user) */
  role: string | null;
  /** the non-secret half: Rancher access key (publicValue), an OpenSSH public key line, ... */
  publicPart: string | null;
  /** SHA256:... for key pairs */
  fingerprint: string | null;
  /** small non-secret extras (e.g. comment, algorithm, bits, url, registeredAt; expiresAt and
   * lastUsedAt (RFC 3339) where the platform reports them, refreshed on sync) */
  meta: Record<string, string>;
  /** true when a sync found the key gone on the platform; the local secret is kept */
  remoteMissing: boolean;
  createdAt: string;
  updatedAt: string;
  rotatedAt: string | null;
  /** true when a secret is stored (a public-only import has none) */
  hasSecret: boolean;
}

export interface NewKey {
  workspaceId?: string | null;
  environmentId?: string | null;
  kind: KeyKind;
  name: string;
  description?: string;
  state?: KeyState;
  remoteId?: string | null;
  flags?: Record<string, boolean>;
  role?: string | null;
  publicPart?: string | null;
  fingerprint?: string | null;
  meta?: Record<string, string>;
  /** The secret value: an API key, a Rancher secretValue, a token, or for ssh_key_pair the
   * unencrypted OpenSSH private key file text. Absent for public-only keys. */
  secret?: string | null;
}

export type KeyPatch = Partial<
  Pick<
    KeyRecord,
    | 'name'
    | 'description'
    | 'state'
    | 'remoteId'
    | 'flags'
    | 'role'
    | 'publicPart'
    | 'fingerprint'
    | 'meta'
    | 'remoteMissing'
    | 'environmentId'
  >
>;

/** A rotation policy: keys of the scope are due once older than maxAgeDays, and warned about in the
 * warnDays before that. An environment's policy wins over its workspace's. */
export interface Policy {
  id: string;
  workspaceId: string;
  /** null: the whole workspace */
  environmentId: string | null;
  maxAgeDays: number;
  warnDays: number;
  createdAt: string;
  updatedAt: string;
}

export interface NewPolicy {
  workspaceId: string;
  environmentId?: string | null;
  maxAgeDays: number;
  warnDays: number;
}

export interface KeyVersion {
  version: number;
  createdAt: string;
  /** the version's public part (a rotated Rancher key has a new access key) */
  publicPart: string | null;
  remoteId: string | null;
  current: boolean;
}

export interface KeyQuery {
  workspaceId?: string;
  environmentId?: string;
  kind?: KeyKind;
  state?: KeyState;
  provider?: Provider;
  /** case-insensitive substring over name, description, public part and fingerprint */
  search?: string;
  sort?: 'name' | 'createdAt' | 'rotatedAt' | 'kind' | 'state';
  order?: 'asc' | 'desc';
  offset?: number;
  limit?: number;
}

export interface KeyPage {
  total: number;
  items: KeyRecord[];
}

export const AUDIT_ACTIONS = [
  'vault_created',
  'unlocked',
  'password_changed',
  'kdf_upgraded',
  'workspace_added',
  'workspace_connected',
  'workspace_removed',
  'environment_added',
  'environment_removed',
  'created',
  'imported',
  'edited',
  'revealed',
  'copied',
  'exported',
  'rotated',
  'activated',
  'deactivated',
  'revoked',
  'deleted',
  'synced',
  'registered',
  'backup_written',
  'restored',
  'agent_signed',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditInput {
  action: AuditAction;
  keyId?: string | null;
  workspaceId?: string | null;
  /** human-readable, never a secret (e.g. "exported to /home/a/.netrc") */
  detail?: string;
}

export interface AuditEvent extends Required<AuditInput> {
  seq: number;
  at: string;
}

/** A step of multi-step remote work (rotation), so a crash resumes or rolls back. */
export interface PendingOperation {
  id: string;
  type: string;
  keyId: string | null;
  step: string;
  /** sealed on disk: may hold a new credential not yet stored on its key */
  data: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

export interface KdfParams {
  algorithm: 'argon2id';
  memoryKiB: number;
  iterations: number;
  parallelism: number;
}

export interface VaultStats {
  path: string;
  formatVersion: number;
  kdf: KdfParams;
  workspaces: number;
  environments: number;
  keys: number;
}

/**
 * An unlocked vault. Every write is one SQLite transaction; `transaction()` groups several.
 * Methods throw KeyholdError (NOT_FOUND, CONFLICT, INVALID_INPUT, LOCKED, INTEGRITY).
 */
export interface VaultSession {
  readonly path: string;
  stats(): VaultStats;
  /** `bulk`: many rows at once (import, sync): committed with synchronous=NORMAL, durable against a
   * killed process but not power loss until the next ordinary write. */
  transaction<T>(fn: () => T, options?: { bulk?: boolean }): T;

  addWorkspace(input: { name: string; provider: Provider; url?: string | null }): Workspace;
  listWorkspaces(): Workspace[];
  /** by id or by name */
  getWorkspace(idOrName: string): Workspace;
  updateWorkspace(id: string, patch: Partial<Pick<Workspace, 'name' | 'url' | 'credentialKeyId'>>): Workspace;
  removeWorkspace(id: string): void;

  addEnvironment(input: { workspaceId: string; name: string; remoteId?: string | null }): Environment;
  listEnvironments(workspaceId?: string): Environment[];
  getEnvironment(idOrName: string, workspaceId?: string): Environment;
  removeEnvironment(id: string): void;

  addKey(input: NewKey): KeyRecord;
  /** many keys in one transaction (bulk import, sync, bench) */
  addKeys(inputs: NewKey[]): KeyRecord[];
  getKey(id: string): KeyRecord;
  listKeys(query?: KeyQuery): KeyPage;
  updateKey(id: string, patch: KeyPatch): KeyRecord;
  removeKey(id: string): void;
  /** The current secret, for main-process use (providers, export, signing). Not audited: the
   * caller audits what it does with it. Throws NOT_FOUND when the key has no secret. */
  readSecret(id: string): string;
  /** Makes `secret` the key's current version; the old one is kept as a previous version. */
  addVersion(id: string, secret: string, patch?: KeyPatch): KeyRecord;
  listVersions(id: string): KeyVersion[];

  audit(event: AuditInput): void;
  listAudit(filter?: { keyId?: string; limit?: number }): AuditEvent[];
  /** Checks the hash chain; throws INTEGRITY naming the first broken event. */
  verifyAudit(): { events: number };

  addPending(op: { type: string; keyId?: string | null; step: string; data: Record<string, unknown> }): PendingOperation;
  updatePending(id: string, step: string, data?: Record<string, unknown>): PendingOperation;
  listPending(type?: string): PendingOperation[];
  removePending(id: string): void;

  /** A 32-byte key derived from the vault key for one purpose (the content hashes of imports):
   * never stored; the caller zeroes it after use. */
  derivedKey(purpose: string): Buffer;

  getSetting(name: string): string | null;
  setSetting(name: string, value: string): void;

  /** Sets the policy of a scope (workspace by id or name, environment by id or name), replacing the
   * one it had. NOT_FOUND for an unknown scope, INVALID_INPUT for days out of range. */
  setPolicy(input: NewPolicy): Policy;
  listPolicies(): Policy[];
  removePolicy(id: string): void;

  /** Zeroes the vault key and the decrypted index and closes the file. */
  lock(): void;
}
