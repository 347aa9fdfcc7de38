// The face each platform's service module shows the use cases (connect, sync, key create /
// check / activate / revoke / edit, rotation): the use cases do what is common (the vault
// transaction, the audit, the refusals that hold for every platform) and ask the platform's
// module for the rest, so no use case branches on a provider's name.
import { KeyholdError } from '../../errors';
import type { RegistrationGuide } from '../../providers/encord';
import type { Capabilities, CredentialAccess, RemoteEnvironment, RemotePlatform, RemoteProvider } from '../../providers/types';
import type { Environment, KeyKind, KeyRecord, VaultSession } from '../../vault/types';
import type { RemoteOptions, RemoteWorkspace } from '../remote';
import type { RotationStrategy } from '../rotation/journal';

export interface ConnectInput {
  workspace: string;
  /** Syncano */
  email?: string;
  password?: string;
  /** Rancher: an account API key pair */
  accessKey?: string;
  secretKey?: string;
  /** GitHub */
  token?: string;
  /** Encord: a key pair of the vault, registered on the platform */
  keyId?: string;
}

export interface CreateRemoteKeyInput {
  workspace: string;
  env?: string;
  kind: KeyKind;
  name: string;
  description?: string;
  /** Syncano API key flags */
  flags?: string[];
  /** GitHub / Encord: register this vault key pair instead of generating one */
  keyId?: string;
  /** Encord: who holds the key, and its role */
  role?: string;
  /** Rancher 2 tokens: time to live in days (0: the server's default) */
  ttlDays?: number;
  /** Rancher 2 tokens: scope to this cluster (its id; or give the cluster as env) */
  cluster?: string;
  /** GitHub deploy keys: read-only (chosen at create: keys are immutable) */
  readOnly?: boolean;
}

export interface CreateRemoteKeyResult {
  key: KeyRecord;
  /** Encord: how to register it by hand, when the check did not find it registered yet */
  registration?: RegistrationGuide & { registered: boolean };
}

export interface RemoteEditInput {
  name?: string;
  description?: string;
  /** Syncano API key flags, complete: absent ones are switched off */
  flags?: string[];
}

/** What `key check` found (null from a platform: the real call succeeded). */
export interface CheckOutcome {
  works: boolean;
  detail: string;
}

export interface PlatformService<P extends RemoteProvider = RemoteProvider> {
  readonly provider: P;
  /** the platform's name as people write it */
  readonly label: string;
  readonly capabilities: Capabilities;
  /** a client of the platform that signs in with the workspace's credential */
  client(session: VaultSession, ws: RemoteWorkspace, opts: RemoteOptions): RemotePlatform;
  /** checks what the user gave with a real call and stores the credential (not yet linked to the workspace) */
  connect(
    session: VaultSession,
    ws: RemoteWorkspace,
    input: ConnectInput,
    opts: RemoteOptions,
  ): Promise<{ record: KeyRecord; identity: string; access?: CredentialAccess }>;
  /** what the credential may do, from the environments a sync listed (Syncano: roles) */
  accessOf?(environments: RemoteEnvironment[]): CredentialAccess;
  /** after the workspace points at its new credential */
  afterConnect?(session: VaultSession, credential: KeyRecord): void;
  /** the key listings of a sync: an environment's remote id, or null for the account */
  syncScopes(environments: RemoteEnvironment[]): (string | null)[];
  /** the sync scope a vault key is listed in, where it is not its environment's (GitHub signing keys) */
  scopeOf?(key: KeyRecord, environmentRemoteId: string | null): string | null;
  /** the platform answers 404 for a scope the credential may not read (GitHub): a sync skips it */
  hidesWith404?: boolean;
  /** the environment `key create --env` names; null: one the platform module adds itself */
  environmentFor?(session: VaultSession, ws: RemoteWorkspace, ref: string): Environment | null;
  /** the platform lists the workspace's own credential among its keys */
  readonly listsCredential: boolean;
  /** creates (or registers) a key on the platform and stores it, audited */
  create(
    session: VaultSession,
    ws: RemoteWorkspace,
    env: Environment | null,
    input: CreateRemoteKeyInput,
    opts: RemoteOptions,
  ): Promise<CreateRemoteKeyResult>;
  check(session: VaultSession, ws: RemoteWorkspace, key: KeyRecord, opts: RemoteOptions): Promise<CheckOutcome | null>;
  setActive(session: VaultSession, ws: RemoteWorkspace, key: KeyRecord, active: boolean, opts: RemoteOptions): Promise<void>;
  /** deletes the key on the platform (gone already is fine) */
  revoke(session: VaultSession, ws: RemoteWorkspace, key: KeyRecord, opts: RemoteOptions): Promise<void>;
  /** edits the key on the platform; flags when the platform answered with them */
  edit(
    session: VaultSession,
    ws: RemoteWorkspace,
    key: KeyRecord,
    input: RemoteEditInput,
    opts: RemoteOptions,
  ): Promise<{ flags?: Record<string, boolean> }>;
  readonly rotation: RotationStrategy | { refused: string };
}

/** Activate / deactivate on a platform without such a state. */
export function noActiveState(provider: RemoteProvider, hint = ''): KeyholdError {
  return new KeyholdError('USAGE', `${provider} keys cannot be activated or deactivated: the platform has no such state${hint}.`);
}

export function need(value: string | undefined, what: string): string {
  if (!value) throw new KeyholdError('USAGE', `${what} is needed to connect this workspace.`);
  return value;
}
