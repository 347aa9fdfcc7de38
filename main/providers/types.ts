// The one face every remote platform shows the service layer: what it can do (capabilities), and
// the operations common to all (check the managing credential, list environments and keys).
// Platform-specific operations (Rancher's activate, Syncano's reset_key, ...) are methods of
// each provider; the service asks the capabilities before it calls them.

import { REMOTE_PROVIDERS, type KeyKind, type RemoteProvider } from '../api/constants';

export { REMOTE_PROVIDERS, type RemoteProvider } from '../api/constants';

export function isRemoteProvider(p: string): p is RemoteProvider {
  return (REMOTE_PROVIDERS as readonly string[]).includes(p);
}

/** Key kinds as the platforms know them (the same names as the vault's, kept apart on purpose). */
export type RemoteKeyKind =
  'account_key' | 'api_key' | 'user_key' | 'access_key_pair' | 'ssh_key_pair' | 'token' | 'deploy_key' | 'signing_key';

export interface Capabilities {
  /** what `workspace connect` needs */
  connect: 'email_password' | 'access_key_pair' | 'signing_key' | 'token';
  /** keys carry a time to live (Rancher 2 tokens: --ttl DAYS) */
  ttl?: boolean;
  /** kinds `key create` can make on the platform */
  create: RemoteKeyKind[];
  /** a key's secret can be replaced in place (Syncano reset_key): reset IS the rotation */
  reset: boolean;
  activate: boolean;
  deactivate: boolean;
  /** delete is refused while the key is active (Rancher) */
  deleteRequiresInactive: boolean;
  /** name / description / flags can be edited remotely */
  edit: boolean;
  /** how a public key is registered: by API, or guided by hand in the platform's web app */
  registration: 'api' | 'guided' | 'none';
  /** requests are signed with a key pair instead of sending a secret */
  signedRequests: boolean;
  environments: boolean;
  /** runs on the user's own server: a workspace needs a URL (no default base URL) */
  selfHosted: boolean;
  /** keys carry on/off flags (Syncano API key flags) */
  flags: boolean;
  /** the platform's docs advise an unprotected private key (export warns when one is protected) */
  plainKeyExport: boolean;
}

export const CAPABILITIES: Record<RemoteProvider, Capabilities> = {
  syncano: {
    connect: 'email_password',
    create: ['api_key'],
    reset: true,
    activate: false,
    deactivate: false,
    deleteRequiresInactive: false,
    edit: true,
    registration: 'none',
    signedRequests: false,
    environments: true,
    selfHosted: false,
    flags: true,
    plainKeyExport: false,
  },
  rancher: {
    connect: 'access_key_pair',
    create: ['access_key_pair'],
    reset: false,
    activate: true,
    deactivate: true,
    deleteRequiresInactive: true,
    edit: true,
    registration: 'none',
    signedRequests: false,
    environments: true,
    selfHosted: true,
    flags: false,
    plainKeyExport: false,
  },
  encord: {
    connect: 'signing_key',
    create: ['ssh_key_pair'],
    reset: false,
    activate: false,
    deactivate: false,
    deleteRequiresInactive: false,
    edit: false,
    registration: 'guided',
    signedRequests: true,
    environments: true,
    selfHosted: false,
    flags: false,
    plainKeyExport: true,
  },
  // deploy keys live in repositories (OWNER/REPO environments); signing keys are the user's
  github: {
    connect: 'token',
    create: ['ssh_key_pair', 'deploy_key', 'signing_key'],
    reset: false,
    activate: false,
    deactivate: false,
    deleteRequiresInactive: false,
    edit: false,
    registration: 'api',
    signedRequests: false,
    environments: true,
    selfHosted: false,
    flags: false,
    plainKeyExport: false,
  },
  // no update through /v3 (PUT is 404 "no store found"): no edit, no enable/disable
  rancher2: {
    connect: 'token',
    create: ['token'],
    reset: false,
    activate: false,
    deactivate: false,
    deleteRequiresInactive: false,
    edit: false,
    registration: 'none',
    signedRequests: false,
    environments: true,
    selfHosted: true,
    flags: false,
    plainKeyExport: false,
    ttl: true,
  },
};

export interface RemoteEnvironment {
  /** Syncano instance name, Rancher project id (1a5), Encord project hash */
  remoteId: string;
  name: string;
  description: string;
  /** the credential's role there, where the platform says (Syncano: full, write, read) */
  role?: string;
}

export interface RemoteKey {
  remoteId: string;
  kind: RemoteKeyKind;
  name: string;
  description: string;
  state: 'active' | 'inactive' | 'revoked' | 'expired';
  /** RFC 3339, where the platform reports them (kept in the key's meta by sync, the key's age counts
   * from createdAt: GitHub created_at, Rancher created, Syncano created_at; docs/CLI.md). Absent:
   * not reported; null: reported empty. */
  createdAt?: string | null;
  expiresAt?: string | null;
  lastUsedAt?: string | null;
  /** the environment it belongs to (null: account-level) */
  environmentRemoteId: string | null;
  /** Rancher access key, GitHub public key line */
  publicPart: string | null;
  flags: Record<string, boolean>;
  /** only where the platform hands the secret out on reads (Syncano API and user keys) */
  secret: string | null;
  meta: Record<string, string>;
}

/** Operations a platform may refuse to a credential that lacks a scope or a role. */
export const REMOTE_OPERATIONS = ['list', 'create', 'edit', 'revoke', 'rotate'] as const;
export type RemoteOperation = (typeof REMOTE_OPERATIONS)[number];

/**
 * What the managing credential may do, as the platform itself shows it (GitHub's X-OAuth-Scopes,
 * Syncano's role per instance): what the UI shows and warns with before an action it will refuse.
 */
export interface CredentialAccess {
  /** what the platform says the credential holds (scopes, "instance: role"); null: it does not say */
  grants: string[] | null;
  /** in words: "can add keys, cannot delete them" */
  summary: string;
  /** what the platform will refuse; environment: only in that environment (its remote id) */
  /** kinds: a refusal only for these kinds of key */
  refuses: { operation: RemoteOperation; environment?: string; reason: string; kinds?: KeyKind[] }[];
}

export interface RemotePlatform {
  readonly provider: RemoteProvider;
  readonly capabilities: Capabilities;
  /** proves the managing credential works; gives who it is (an email, an access key, a login),
   * and what it may do where the platform shows it */
  check(): Promise<{ identity: string; access?: CredentialAccess }>;
  listEnvironments(): Promise<RemoteEnvironment[]>;
  /** the keys the platform lists (per environment where keys live in environments) */
  listKeys(environmentRemoteId?: string | null): Promise<RemoteKey[]>;
}

/** Options shared by every provider's constructor. */
export interface ProviderOptions {
  baseUrl?: string;
  timeoutMs?: number;
  retries?: number;
  backoffMs?: number;
  maxResponseBytes?: number;
}
