// The enums both main and the renderer need, one definition each. Values only: no zod, no Node,
// nothing that cannot run in the renderer (which imports this file as values, the rest of
// main/api as types only).

/** Platforms Keyhold talks to; `local` keys live only in the vault. */
export const REMOTE_PROVIDERS = ['syncano', 'rancher', 'encord', 'github', 'rancher2'] as const;
export type RemoteProvider = (typeof REMOTE_PROVIDERS)[number];
export const PROVIDERS = [...REMOTE_PROVIDERS, 'local'] as const;
export type Provider = (typeof PROVIDERS)[number];

// kinds and states are appended only: the vault's key index stores them by position. login and
// note: credentials moved in from other managers (login: the login as public part, the URL in
// meta.url; note: the text as its secret). deploy_key and signing_key: GitHub's key pairs of a
// repository and of commit signing.
export const KEY_KINDS = [
  'account_key',
  'api_key',
  'user_key',
  'access_key_pair',
  'ssh_key_pair',
  'token',
  'login',
  'note',
  'deploy_key',
  'signing_key',
] as const;
export type KeyKind = (typeof KEY_KINDS)[number];

/** Kinds whose secret is an OpenSSH private key and whose public part its public line: a plain
 * key pair, a GitHub repository deploy key, a GitHub SSH signing key. */
export const KEY_PAIR_KINDS = ['ssh_key_pair', 'deploy_key', 'signing_key'] as const satisfies readonly KeyKind[];
export function isKeyPairKind(kind: string): boolean {
  return (KEY_PAIR_KINDS as readonly string[]).includes(kind);
}

/** expired: the platform says the key's time to live ran out (Rancher 2 tokens) */
export const KEY_STATES = ['active', 'inactive', 'revoked', 'expired'] as const;
export type KeyState = (typeof KEY_STATES)[number];

export const VAULT_STATES = ['absent', 'locked', 'unlocked'] as const;
export type VaultStateName = (typeof VAULT_STATES)[number];

/** Why the vault locked itself (or was locked). */
export const LOCK_REASONS = ['explicit', 'idle', 'suspend', 'screen-lock'] as const;
export type LockReason = (typeof LOCK_REASONS)[number];

/** Who runs the service layer: the desktop app, the e2e browser bridge, or the CLI. */
export const HARNESSES = ['electron', 'bridge', 'cli'] as const;
export type Harness = (typeof HARNESSES)[number];

export const THEMES = ['system', 'light', 'dark'] as const;

export const KEY_SORT_FIELDS = ['name', 'createdAt', 'rotatedAt', 'kind', 'state'] as const;
export const KEY_EXPORT_FORMATS = ['openssh', 'pkcs8', 'pub', 'txt'] as const;
export const EXPORT_FORMATS = ['netrc', 'dotenv', 'curl'] as const;

/** What `keyhold migrate --from` and the import wizard read (main/migrate; main/api/migrate.ts
 * checks the two lists are the same). */
export const MIGRATION_SOURCE_NAMES = [
  'keepassxc-xml',
  'keepassxc-csv',
  'bitwarden-json',
  '1password-csv',
  'netrc',
  'dotenv',
  'ssh-dir',
] as const;
/** What an imported group or folder becomes: an environment of the workspace, a workspace of its
 * own, or nothing. */
export const GROUP_MAPPINGS = ['environments', 'workspaces', 'flat'] as const;
export type GroupMapping = (typeof GROUP_MAPPINGS)[number];

/** Syncano API key flags and what each means, in Syncano's own words (docs/PLATFORMS.md). */
export const SYNCANO_FLAG_INFO = {
  ignore_acl: {
    what: 'Ignores permissions',
    why: 'A key with this flag ignores the permissions set for instance resources. Give it only to trusted back-end code.',
  },
  allow_user_create: {
    what: 'Can create users',
    why: 'A key with this flag can be used to create Users, which a standard API key cannot.',
  },
  allow_group_create: {
    what: 'Can create groups',
    why: 'A key with this flag can be used to create user Groups.',
  },
  allow_anonymous_read: {
    what: 'Anonymous read',
    why: 'The key can read Classes and Data Objects whose other_permissions are set to read or higher, without a user.',
  },
} as const;
export type SyncanoFlag = keyof typeof SYNCANO_FLAG_INFO;
export const SYNCANO_FLAGS = [
  'ignore_acl',
  'allow_user_create',
  'allow_group_create',
  'allow_anonymous_read',
] as const satisfies readonly SyncanoFlag[];

/** Encord workspace roles a service account can hold, and what each grants (docs/PLATFORMS.md). */
export const ENCORD_ROLE_INFO = {
  Admin: 'Executive privileges over the workspace: adding and removing users, and viewing all projects.',
  Member: 'No administrative privileges: can only view projects it creates or is invited to.',
} as const;
export type EncordRole = keyof typeof ENCORD_ROLE_INFO;
export const ENCORD_ROLES = ['Admin', 'Member'] as const satisfies readonly EncordRole[];

/** Who holds an Encord access key. */
export const ENCORD_HOLDERS = ['service_account', 'user'] as const;
export type EncordHolder = (typeof ENCORD_HOLDERS)[number];

/** Where a key's age counts from: the platform's own date, Keyhold making (or rotating) it, a date
 * given by hand, or the time it was added. */
export const AGE_SOURCES = ['platform', 'keyhold', 'manual', 'added'] as const;
export type AgeSource = (typeof AGE_SOURCES)[number];
/** A key against its rotation policy. */
export const KEY_STATUSES = ['ok', 'warn', 'due'] as const;
export type KeyStatus = (typeof KEY_STATUSES)[number];
