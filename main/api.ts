// THE contract between the renderer (and any other client) and the main process: every IPC
// channel, its zod input and output schema, and the error codes it may raise. The renderer and
// preload import only types from here; main/ipc/router.ts enforces the schemas at runtime.
import { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from './errors';
import { KEY_KINDS, KEY_STATES, PROVIDERS } from './vault/types';

export { ERROR_CODES, type ErrorCode };

export const ErrorShape = z.object({ code: z.enum(ERROR_CODES), message: z.string() });
export type ApiError = z.infer<typeof ErrorShape>;

/** What every call answers: a value or a coded error, never a thrown Error across the bridge. */
export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };

interface ChannelDef {
  input: z.ZodType;
  output: z.ZodType;
  errors: readonly ErrorCode[];
}

const def = <I extends z.ZodType, O extends z.ZodType, const E extends readonly ErrorCode[]>(
  input: I,
  output: O,
  errors: E,
) => ({ input, output, errors });

const Empty = z.object({}).strict();

// ---- app -----------------------------------------------------------------------------------
export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  platform: z.string(),
  harness: z.enum(['electron', 'bridge', 'cli']),
});

// ---- vault ---------------------------------------------------------------------------------
export const VaultState = z.enum(['absent', 'locked', 'unlocked']);
export const VaultStatus = z.object({
  state: VaultState,
  path: z.string(),
});

// ---- vault, workspaces, environments, keys (issue 3): schemas ------------------------------
export const KdfInfo = z.object({
  algorithm: z.literal('argon2id'),
  memoryKiB: z.number().int(),
  iterations: z.number().int(),
  parallelism: z.number().int(),
});
const KdfChoice = z.object({
  memoryKiB: z.number().int().min(65536).max(4 * 1024 * 1024),
  iterations: z.number().int().min(3).max(1000),
  parallelism: z.number().int().min(1).max(255),
});
const Password = z.string().min(1).max(4096);
export const VaultCreateInput = z.object({ password: Password, kdf: KdfChoice.optional() }).strict();
export const VaultUnlockInput = z.object({ password: Password }).strict();
export const VaultChangePasswordInput = z.object({ currentPassword: Password, newPassword: Password }).strict();
export const VaultInfo = z.object({
  path: z.string(),
  formatVersion: z.number().int(),
  kdf: KdfInfo,
  workspaces: z.number().int(),
  environments: z.number().int(),
  keys: z.number().int(),
});
export const Theme = z.enum(['system', 'light', 'dark']);
export const VaultSettings = z.object({
  /** 0 = never */
  autoLockMinutes: z.number().int().min(0).max(24 * 60),
  clipboardClearSeconds: z.number().int().min(5).max(3600),
  theme: Theme,
});
export const VaultSettingsPatch = VaultSettings.partial().strict();
export const VaultKdf = z.object({ kdf: KdfInfo, floor: z.object({ memoryKiB: z.number(), iterations: z.number() }) });
export const VaultKdfMeasureInput = KdfChoice.strict();
export const VaultKdfSetInput = z.object({ password: Password, kdf: KdfChoice }).strict();
export const VaultBackupInput = z.object({ path: z.string().min(1), passphrase: Password, force: z.boolean().optional() }).strict();
export const VaultBackupOutput = z.object({ path: z.string(), bytes: z.number().int(), keys: z.number().int() });
/** Restores a backup file as the app's vault (which must not exist yet), under a new master password. */
export const VaultRestoreInput = z.object({ file: z.string().min(1), passphrase: Password, password: Password }).strict();
export const VaultRestoreOutput = z.object({ path: z.string(), workspaces: z.number().int(), environments: z.number().int(), keys: z.number().int() });

const ProviderName = z.enum(PROVIDERS);
const KeyKindName = z.enum(KEY_KINDS);
const KeyStateName = z.enum(KEY_STATES);
const Id = z.string().min(1).max(200);
export const WorkspaceView = z.object({
  id: z.string(),
  name: z.string(),
  provider: ProviderName,
  url: z.string().nullable(),
  credentialKeyId: z.string().nullable(),
  createdAt: z.string(),
});
export const EnvironmentView = z.object({
  id: z.string(),
  workspaceId: z.string(),
  workspace: z.string(),
  name: z.string(),
  remoteId: z.string().nullable(),
  createdAt: z.string(),
});
export const WorkspaceAddInput = z.object({ name: z.string().min(1).max(1024), provider: ProviderName, url: z.string().max(2048).nullable().optional() }).strict();
export const WorkspaceUpdateInput = z.object({ id: Id, name: z.string().min(1).max(1024).optional(), url: z.string().max(2048).nullable().optional() }).strict();
export const EnvironmentAddInput = z.object({ workspaceId: Id, name: z.string().min(1).max(1024), remoteId: z.string().max(1024).nullable().optional() }).strict();
export const IdInput = z.object({ id: Id }).strict();
export const Removed = z.object({ removed: z.string() });

/** A key as the UI and `key list/show --json` see it: never the secret. */
export const KeyView = z.object({
  id: z.string(),
  workspaceId: z.string().nullable(),
  workspace: z.string().nullable(),
  environmentId: z.string().nullable(),
  environment: z.string().nullable(),
  provider: ProviderName.nullable(),
  kind: KeyKindName,
  name: z.string(),
  description: z.string(),
  state: KeyStateName,
  public: z.string().nullable(),
  fingerprint: z.string().nullable(),
  remoteId: z.string().nullable(),
  flags: z.record(z.string(), z.boolean()),
  role: z.string().nullable(),
  meta: z.record(z.string(), z.string()),
  hasSecret: z.boolean(),
  remoteMissing: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  rotatedAt: z.string().nullable(),
  /** key pairs (issue 4 fills these in keys.get) */
  publicKey: z.string().optional(),
  randomart: z.string().optional(),
});
export const KeyListInput = z
  .object({
    workspaceId: Id.optional(),
    environmentId: Id.optional(),
    kind: KeyKindName.optional(),
    state: KeyStateName.optional(),
    provider: ProviderName.optional(),
    search: z.string().max(1024).optional(),
    sort: z.enum(['name', 'createdAt', 'rotatedAt', 'kind', 'state']).optional(),
    order: z.enum(['asc', 'desc']).optional(),
    offset: z.number().int().min(0).optional(),
    limit: z.number().int().min(0).max(10_000).optional(),
  })
  .strict();
export const KeyListOutput = z.object({ total: z.number().int(), items: z.array(KeyView) });
export const KeyAddInput = z
  .object({
    workspaceId: Id.nullable().optional(),
    environmentId: Id.nullable().optional(),
    kind: KeyKindName,
    name: z.string().min(1).max(1024),
    description: z.string().max(65536).optional(),
    publicPart: z.string().max(65536).nullable().optional(),
    flags: z.record(z.string(), z.boolean()).optional(),
    role: z.string().max(1024).nullable().optional(),
    secret: z.string().max(4 * 1024 * 1024).nullable().optional(),
  })
  .strict();
export const KeyEditInput = z
  .object({
    id: Id,
    name: z.string().min(1).max(1024).optional(),
    description: z.string().max(65536).optional(),
    environmentId: Id.nullable().optional(),
    flags: z.record(z.string(), z.boolean()).optional(),
    role: z.string().max(1024).nullable().optional(),
  })
  .strict();
export const KeyVersionView = z.object({
  version: z.number().int(),
  createdAt: z.string(),
  publicPart: z.string().nullable(),
  remoteId: z.string().nullable(),
  current: z.boolean(),
});
export const AuditEventView = z.object({
  seq: z.number().int(),
  at: z.string(),
  action: z.string(),
  keyId: z.string().nullable(),
  workspaceId: z.string().nullable(),
  detail: z.string(),
});
export const KeyHistory = z.object({ versions: z.array(KeyVersionView), events: z.array(AuditEventView) });
export const KeyReveal = z.object({ id: z.string(), secret: z.string() });
export const KeyCopy = z.object({ id: z.string(), clearAfterSeconds: z.number().int() });
export const AuditListInput = z.object({ keyId: Id.optional(), limit: z.number().int().min(1).max(100_000).optional() }).strict();
export const AuditVerify = z.object({ ok: z.literal(true), events: z.number().int() });

// ---- key pairs (issue 4): schemas -------------------------------------------------------------
const KeyPairName = z.string().min(1).max(1024);
const KeyPairScope = { workspaceId: Id.nullable().optional(), environmentId: Id.nullable().optional() };
/** A new ed25519 key pair, like `ssh-keygen -t ed25519` (comment default user@host). */
export const KeyGenerateInput = z
  .object({ name: KeyPairName, comment: z.string().max(1024).optional(), description: z.string().max(65536).optional(), ...KeyPairScope })
  .strict();
/** A key file (OpenSSH, PKCS#8, PKCS#1 or a public line): its absolute `path`, read in main so a
 * private key never passes through the renderer, or its `content`. A protected file without its
 * passphrase, or with a wrong one, is WRONG_PASSWORD: the UI then asks for the passphrase. */
export const KeyImportInput = z
  .object({
    name: KeyPairName,
    description: z.string().max(65536).optional(),
    path: z.string().min(1).max(4096).optional(),
    content: z.string().min(1).max(512 * 1024).optional(),
    encoding: z.enum(['text', 'base64']).optional(),
    passphrase: z.string().max(4096).optional(),
    /** where pasted content came from, for the audit trail */
    fileName: z.string().max(4096).optional(),
    ...KeyPairScope,
  })
  .strict()
  .refine((v) => (v.path === undefined) !== (v.content === undefined), { message: 'give either path or content', path: ['path'] });
export const KeyExportFormat = z.enum(['openssh', 'pkcs8', 'pub', 'txt']);
/** Export to an absolute path (the file never passes through the renderer). */
export const KeyExportInput = z
  .object({ id: Id, format: KeyExportFormat, path: z.string().min(1).max(4096), passphrase: z.string().max(4096).optional(), force: z.boolean().optional() })
  .strict();
export const KeyExportResult = z.object({
  id: z.string(),
  format: KeyExportFormat,
  path: z.string(),
  mode: z.number().int(),
  replaced: z.boolean(),
  passphraseProtected: z.boolean(),
  /** why the export differs from what was asked (Encord keys go out without a passphrase) */
  note: z.string().optional(),
});
export const KeyRandomart = z.object({ id: z.string(), fingerprint: z.string(), fingerprintLine: z.string(), randomart: z.string() });

// ---- remote platforms (issue 5): schemas ------------------------------------------------------
// Secrets in these inputs (password, secret key, token) are used once and never echoed back.
export const WorkspaceConnectInput = z
  .object({
    workspaceId: Id,
    email: z.string().min(1).max(1024).optional(),
    password: Password.optional(),
    accessKey: z.string().min(1).max(4096).optional(),
    secretKey: Password.optional(),
    token: Password.optional(),
    keyId: Id.optional(),
  })
  .strict();
export const WorkspaceConnectOutput = z.object({ workspace: WorkspaceView, credentialKeyId: z.string(), identity: z.string() });
export const WorkspaceSyncOutput = z.object({
  workspace: z.string(),
  environments: z.object({ total: z.number().int(), added: z.number().int() }),
  keys: z.object({ total: z.number().int(), added: z.number().int(), updated: z.number().int(), missing: z.number().int() }),
});
export const RemoteFlag = z.enum(['ignore_acl', 'allow_user_create', 'allow_group_create', 'allow_anonymous_read']);
export const KeyCreateInput = z
  .object({
    workspaceId: Id,
    environmentId: Id.optional(),
    kind: KeyKindName,
    name: z.string().min(1).max(1024),
    description: z.string().max(4096).optional(),
    flags: z.array(RemoteFlag).max(4).optional(),
    keyId: Id.optional(),
    role: z.string().max(64).optional(),
    /** Rancher 2 tokens: days to live (0: the server's default); the cluster is the environment */
    ttlDays: z.number().int().min(0).max(36_500).optional(),
  })
  .strict();
export const RegistrationGuideView = z.object({ url: z.string(), steps: z.array(z.string()), registered: z.boolean() });
export const KeyCreateOutput = z.object({ key: KeyView, registration: RegistrationGuideView.optional() });
export const KeyRotateInput = z.object({ ids: z.array(Id).min(1).max(100_000), concurrency: z.number().int().min(1).max(256).optional() }).strict();
export const RotationResultView = z.object({
  id: z.string(),
  ok: z.boolean(),
  version: z.number().int().optional(),
  resumed: z.boolean().optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});
export const KeyRotateOutput = z.object({ rotated: z.number().int(), failed: z.number().int(), results: z.array(RotationResultView) });
export const KeyEditRemoteInput = z
  .object({ id: Id, name: z.string().min(1).max(1024).optional(), description: z.string().max(4096).optional(), flags: z.array(RemoteFlag).max(4).optional() })
  .strict();
export const KeyCheckOutput = z.object({ id: z.string(), works: z.boolean(), detail: z.string() });
export const RemoteCapabilities = z.record(
  z.string(),
  z.object({
    connect: z.string(),
    create: z.array(KeyKindName),
    reset: z.boolean(),
    activate: z.boolean(),
    deactivate: z.boolean(),
    deleteRequiresInactive: z.boolean(),
    edit: z.boolean(),
    registration: z.string(),
    signedRequests: z.boolean(),
    environments: z.boolean(),
  }),
);
export const PendingRotationView = z.object({ id: z.string(), keyId: z.string().nullable(), step: z.string(), createdAt: z.string() });
export const RotationProgressEvent = z.object({ total: z.number().int(), done: z.number().int(), failed: z.number().int(), keyId: z.string(), ok: z.boolean() });


// ---- export (issue 6): schemas ----------------------------------------------------------------
const ExportPath = z.string().min(1).max(4096);
const ExportKeyIds = z.array(Id).min(1).max(10_000);
const EnvPrefix = z.string().max(200);
const EnvNames = z.record(z.string(), z.string().min(1).max(200));
export const ExportFormat = z.enum(['netrc', 'dotenv', 'curl']);
/** netrc: path defaults to ~/.netrc; host to the workspace URL's host; login is for keys that
 * have only a secret. Paths over IPC must be absolute. */
export const ExportNetrcInput = z
  .object({ keyIds: ExportKeyIds, path: ExportPath.optional(), host: z.string().min(1).max(253).optional(), login: z.string().min(1).max(1024).optional() })
  .strict();
export const ExportDotenvInput = z
  .object({ keyIds: ExportKeyIds, path: ExportPath, prefix: EnvPrefix.optional(), names: EnvNames.optional(), force: z.boolean().optional() })
  .strict();
export const ExportCurlInput = z.object({ keyId: Id, path: ExportPath, login: z.string().min(1).max(1024).optional(), force: z.boolean().optional() }).strict();
export const ExportPreviewInput = z
  .object({
    format: ExportFormat,
    keyIds: ExportKeyIds,
    path: ExportPath.optional(),
    host: z.string().min(1).max(253).optional(),
    login: z.string().min(1).max(1024).optional(),
    prefix: EnvPrefix.optional(),
    names: EnvNames.optional(),
    force: z.boolean().optional(),
  })
  .strict();
export const NetrcEntryChange = z.object({ keyId: z.string(), machine: z.string(), login: z.string(), change: z.enum(['added', 'updated', 'unchanged']) });
/** What an export would do; never a secret (the netrc diff has every password masked). */
export const ExportPreview = z.object({
  format: ExportFormat,
  path: z.string(),
  exists: z.boolean(),
  /** .env / curl: the file exists and force is not set */
  conflict: z.boolean(),
  /** netrc: unified diff, passwords masked; null otherwise */
  diff: z.string().nullable(),
  /** .env: the variable names */
  names: z.array(z.string()),
  changes: z.array(NetrcEntryChange),
  warnings: z.array(z.string()),
});
export const ExportNetrcOutput = z.object({
  written: z.boolean(),
  path: z.string(),
  backupPath: z.string().nullable(),
  changes: z.array(NetrcEntryChange),
  warnings: z.array(z.string()),
});
export const ExportFileOutput = z.object({ path: z.string(), names: z.array(z.string()), replaced: z.boolean() });

// ---- desktop (file dialogs, external links, sync progress): schemas ------------------------------
const FileFilter = z.object({ name: z.string().min(1).max(100), extensions: z.array(z.string().regex(/^(\*|[A-Za-z0-9_-]{1,20})$/)).min(1).max(20) }).strict();
const DialogTitle = z.string().min(1).max(200);
export const DesktopOpenFileInput = z.object({ title: DialogTitle, filters: z.array(FileFilter).max(20).optional() }).strict();
export const DesktopSaveFileInput = z.object({ title: DialogTitle, defaultPath: z.string().min(1).max(4096).optional(), filters: z.array(FileFilter).max(20).optional() }).strict();
/** null: cancelled, or no desktop (the CLI / e2e bridge): type the path instead */
export const DesktopChosenFile = z.object({ path: z.string().nullable() });
export const DesktopOpenExternalInput = z.object({ url: z.string().min(1).max(2048) }).strict();
export const SyncProgressEvent = z.object({
  workspaceId: z.string(),
  /** environments: listing the platform's environments; keys: listing the keys of one scope; saving: writing to the vault */
  phase: z.enum(['environments', 'keys', 'saving']),
  done: z.number().int(),
  total: z.number().int(),
});

export const channels = {
  'app.info': def(Empty, AppInfo, []),
  'vault.status': def(Empty, VaultStatus, ['INTEGRITY']),
  // ---- vault, workspaces, environments, keys (issue 3): channels
  'vault.create': def(VaultCreateInput, VaultStatus, ['CONFLICT', 'INVALID_INPUT', 'USAGE']),
  'vault.unlock': def(VaultUnlockInput, VaultStatus, ['WRONG_PASSWORD', 'NOT_FOUND', 'INTEGRITY', 'CONFLICT']),
  'vault.lock': def(Empty, VaultStatus, []),
  'vault.info': def(Empty, VaultInfo, ['LOCKED', 'INTEGRITY']),
  'vault.changePassword': def(VaultChangePasswordInput, z.object({ changed: z.literal(true) }), ['LOCKED', 'WRONG_PASSWORD', 'INVALID_INPUT']),
  'vault.settings.get': def(Empty, VaultSettings, ['LOCKED']),
  'vault.settings.set': def(VaultSettingsPatch, VaultSettings, ['LOCKED', 'INVALID_INPUT']),
  'vault.kdf': def(Empty, VaultKdf, ['LOCKED']),
  'vault.kdf.measure': def(VaultKdfMeasureInput, z.object({ ms: z.number() }), []),
  'vault.kdf.set': def(VaultKdfSetInput, z.object({ kdf: KdfInfo, ms: z.number() }), ['LOCKED', 'WRONG_PASSWORD', 'INVALID_INPUT']),
  'vault.backup': def(VaultBackupInput, VaultBackupOutput, ['LOCKED', 'CONFLICT', 'INVALID_INPUT']),
  'vault.restore': def(VaultRestoreInput, VaultRestoreOutput, ['CONFLICT', 'WRONG_PASSWORD', 'INTEGRITY', 'NOT_FOUND']),
  'workspaces.list': def(Empty, z.array(WorkspaceView), ['LOCKED']),
  'workspaces.add': def(WorkspaceAddInput, WorkspaceView, ['LOCKED', 'CONFLICT', 'INVALID_INPUT']),
  'workspaces.update': def(WorkspaceUpdateInput, WorkspaceView, ['LOCKED', 'CONFLICT', 'NOT_FOUND', 'INVALID_INPUT']),
  'workspaces.remove': def(IdInput, Removed, ['LOCKED', 'NOT_FOUND', 'CONFLICT']),
  'environments.list': def(z.object({ workspaceId: Id.optional() }).strict(), z.array(EnvironmentView), ['LOCKED', 'NOT_FOUND']),
  'environments.add': def(EnvironmentAddInput, EnvironmentView, ['LOCKED', 'CONFLICT', 'NOT_FOUND', 'INVALID_INPUT']),
  'environments.remove': def(IdInput, Removed, ['LOCKED', 'NOT_FOUND']),
  'keys.list': def(KeyListInput, KeyListOutput, ['LOCKED']),
  'keys.get': def(IdInput, KeyView, ['LOCKED', 'NOT_FOUND']),
  'keys.add': def(KeyAddInput, KeyView, ['LOCKED', 'NOT_FOUND', 'INVALID_INPUT']),
  'keys.edit': def(KeyEditInput, KeyView, ['LOCKED', 'NOT_FOUND', 'INVALID_INPUT']),
  'keys.remove': def(IdInput, Removed, ['LOCKED', 'NOT_FOUND']),
  'keys.history': def(IdInput, KeyHistory, ['LOCKED', 'NOT_FOUND']),
  'keys.reveal': def(IdInput, KeyReveal, ['LOCKED', 'NOT_FOUND']),
  'keys.copy': def(IdInput, KeyCopy, ['LOCKED', 'NOT_FOUND']),
  'audit.list': def(AuditListInput, z.array(AuditEventView), ['LOCKED', 'INTEGRITY']),
  'audit.verify': def(Empty, AuditVerify, ['LOCKED', 'INTEGRITY']),
  // ---- key pairs (issue 4): channels
  'keys.generate': def(KeyGenerateInput, KeyView, ['LOCKED', 'NOT_FOUND', 'INVALID_INPUT']),
  'keys.import': def(KeyImportInput, KeyView, ['LOCKED', 'NOT_FOUND', 'INVALID_INPUT', 'WRONG_PASSWORD', 'CONFLICT']),
  'keys.export': def(KeyExportInput, KeyExportResult, ['LOCKED', 'NOT_FOUND', 'INVALID_INPUT', 'CONFLICT']),
  'keys.randomart': def(IdInput, KeyRandomart, ['LOCKED', 'NOT_FOUND', 'INVALID_INPUT']),
  // ---- remote platforms (issue 5): channels
  'workspaces.connect': def(WorkspaceConnectInput, WorkspaceConnectOutput, ['LOCKED', 'NOT_FOUND', 'USAGE', 'REMOTE', 'INVALID_INPUT', 'CONFLICT']),
  'workspaces.sync': def(IdInput, WorkspaceSyncOutput, ['LOCKED', 'NOT_FOUND', 'USAGE', 'REMOTE']),
  'keys.create': def(KeyCreateInput, KeyCreateOutput, ['LOCKED', 'NOT_FOUND', 'USAGE', 'REMOTE', 'CONFLICT', 'INVALID_INPUT']),
  'keys.rotate': def(KeyRotateInput, KeyRotateOutput, ['LOCKED', 'NOT_FOUND', 'USAGE', 'REMOTE']),
  'keys.activate': def(IdInput, KeyView, ['LOCKED', 'NOT_FOUND', 'USAGE', 'REMOTE']),
  'keys.deactivate': def(IdInput, KeyView, ['LOCKED', 'NOT_FOUND', 'USAGE', 'REMOTE', 'CONFLICT']),
  'keys.revoke': def(IdInput, KeyView, ['LOCKED', 'NOT_FOUND', 'USAGE', 'REMOTE', 'CONFLICT']),
  'keys.check': def(IdInput, KeyCheckOutput, ['LOCKED', 'NOT_FOUND', 'USAGE', 'REMOTE']),
  'keys.editRemote': def(KeyEditRemoteInput, KeyView, ['LOCKED', 'NOT_FOUND', 'USAGE', 'REMOTE', 'INVALID_INPUT']),
  'remote.capabilities': def(Empty, RemoteCapabilities, []),
  'remote.pending': def(Empty, z.array(PendingRotationView), ['LOCKED']),
  'remote.resume': def(Empty, KeyRotateOutput, ['LOCKED', 'REMOTE']),
  // ---- export (issue 6): channels
  'export.preview': def(ExportPreviewInput, ExportPreview, ['LOCKED', 'NOT_FOUND', 'INVALID_INPUT', 'USAGE', 'INTERNAL']),
  'export.netrc': def(ExportNetrcInput, ExportNetrcOutput, ['LOCKED', 'NOT_FOUND', 'INVALID_INPUT', 'CONFLICT', 'USAGE', 'INTERNAL']),
  'export.dotenv': def(ExportDotenvInput, ExportFileOutput, ['LOCKED', 'NOT_FOUND', 'INVALID_INPUT', 'CONFLICT', 'USAGE', 'INTERNAL']),
  'export.curl': def(ExportCurlInput, ExportFileOutput, ['LOCKED', 'NOT_FOUND', 'INVALID_INPUT', 'CONFLICT', 'USAGE', 'INTERNAL']),
  // ---- desktop: channels
  'desktop.openFile': def(DesktopOpenFileInput, DesktopChosenFile, []),
  'desktop.saveFile': def(DesktopSaveFileInput, DesktopChosenFile, []),
  'desktop.openExternal': def(DesktopOpenExternalInput, z.object({ opened: z.literal(true) }), ['INVALID_INPUT']),
  /** the user is at the window (keys, pointer): restarts the auto-lock timer; a no-op when locked */
  'vault.activity': def(Empty, z.object({}), []),
} as const satisfies Record<string, ChannelDef>;

export type Channel = keyof typeof channels;
export type ChannelInput<C extends Channel> = z.input<(typeof channels)[C]['input']>;
export type ChannelOutput<C extends Channel> = z.output<(typeof channels)[C]['output']>;

// ---- events (main -> renderer) ---------------------------------------------------------------
export const events = {
  // each domain adds its events here (e.g. rotation progress)
  'vault.locked': z.object({ reason: z.enum(['explicit', 'idle', 'suspend', 'screen-lock']) }),
  'keys.rotation.progress': RotationProgressEvent,
  'workspaces.sync.progress': SyncProgressEvent,
} as const satisfies Record<string, z.ZodType>;

export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

/** What preload exposes as window.keyhold (and what the e2e bridge stands in for). */
export interface KeyholdBridge {
  invoke(channel: string, input: unknown): Promise<ApiResult<unknown>>;
  onEvent(listener: (name: string, payload: unknown) => void): () => void;
}

/** IPC transport channel names: one for calls, one for events. Preload restates them against
 * these types (it may import only types from here), so a mismatch fails the type check. */
export type IpcInvokeChannel = 'keyhold:invoke';
export type IpcEventChannel = 'keyhold:event';
export const IPC_INVOKE: IpcInvokeChannel = 'keyhold:invoke';
export const IPC_EVENT: IpcEventChannel = 'keyhold:event';
