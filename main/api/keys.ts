// keys.*: keys in the vault (list, add, edit, reveal...), key pairs (generate, import, export),
// and keys on their platform (create, rotate, activate, deactivate, revoke, check).
import { z } from 'zod';
import { AuditEventView } from './audit';
import {
  def,
  ErrorShape,
  FileToken,
  Id,
  IdInput,
  KeyKindName,
  KeyStateName,
  ProviderName,
  Removed,
  type NamespaceChannels,
  type NamespaceEvents,
} from './common';
import { AGE_SOURCES, KEY_EXPORT_FORMATS, KEY_SORT_FIELDS, KEY_STATUSES, SYNCANO_FLAGS } from './constants';

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
  /** key ages against the rotation policies (docs/CLI.md, Key ages and policies) */
  ageDays: z.number().int(),
  ageSource: z.enum(AGE_SOURCES),
  lastUsedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
  dueAt: z.string().nullable(),
  status: z.enum(KEY_STATUSES),
  /** GitHub deploy keys: read-only access to the repository */
  readOnly: z.boolean().optional(),
  /** key pairs: filled in by keys.get */
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
    sort: z.enum(KEY_SORT_FIELDS).optional(),
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
    secret: z
      .string()
      .max(4 * 1024 * 1024)
      .nullable()
      .optional(),
    /** when the key was made elsewhere (its age counts from then) */
    createdAt: z.string().max(64).nullable().optional(),
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
export const KeyHistory = z.object({ versions: z.array(KeyVersionView), events: z.array(AuditEventView) });
export const KeyReveal = z.object({ id: z.string(), secret: z.string() });
export const KeyCopy = z.object({ id: z.string(), clearAfterSeconds: z.number().int() });

// ---- key pairs
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
    token: FileToken.optional(),
    content: z
      .string()
      .min(1)
      .max(512 * 1024)
      .optional(),
    encoding: z.enum(['text', 'base64']).optional(),
    passphrase: z.string().max(4096).optional(),
    /** where pasted content came from, for the audit trail */
    fileName: z.string().max(4096).optional(),
    ...KeyPairScope,
  })
  .strict()
  .refine((v) => (v.path === undefined) !== (v.content === undefined), { message: 'give either path or content', path: ['path'] });
export const KeyExportFormat = z.enum(KEY_EXPORT_FORMATS);
/** Export to an absolute path (the file never passes through the renderer). */
export const KeyExportInput = z
  .object({
    id: Id,
    format: KeyExportFormat,
    path: z.string().min(1).max(4096),
    token: FileToken.optional(),
    passphrase: z.string().max(4096).optional(),
    force: z.boolean().optional(),
  })
  .strict();
export const KeyExportResult = z.object({
  id: z.string(),
  format: KeyExportFormat,
  path: z.string(),
  mode: z.number().int(),
  replaced: z.boolean(),
  passphraseProtected: z.boolean(),
  /** a warning about the export (Encord: its docs say to leave the passphrase blank) */
  note: z.string().optional(),
});
export const KeyRandomart = z.object({ id: z.string(), fingerprint: z.string(), fingerprintLine: z.string(), randomart: z.string() });

// ---- keys on their platform
export const RemoteFlag = z.enum(SYNCANO_FLAGS);
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
    /** GitHub deploy keys: read-only, and a repository OWNER/REPO the workspace does not have yet */
    readOnly: z.boolean().optional(),
    repository: z.string().min(3).max(140).optional(),
  })
  .strict();
export const RegistrationGuideView = z.object({ url: z.string(), steps: z.array(z.string()), registered: z.boolean() });
export const KeyCreateOutput = z.object({ key: KeyView, registration: RegistrationGuideView.optional() });
export const KeyRotateInput = z
  .object({ ids: z.array(Id).min(1).max(100_000), concurrency: z.number().int().min(1).max(256).optional() })
  .strict();
export const RotationResultView = z.object({
  id: z.string(),
  ok: z.boolean(),
  version: z.number().int().optional(),
  resumed: z.boolean().optional(),
  /** the same shape as a failed call's error, remote failure included */
  error: ErrorShape.optional(),
});
export const KeyRotateOutput = z.object({ rotated: z.number().int(), failed: z.number().int(), results: z.array(RotationResultView) });
export const KeyEditRemoteInput = z
  .object({
    id: Id,
    name: z.string().min(1).max(1024).optional(),
    description: z.string().max(4096).optional(),
    flags: z.array(RemoteFlag).max(4).optional(),
  })
  .strict();
export const KeyCheckOutput = z.object({ id: z.string(), works: z.boolean(), detail: z.string() });
export const RotationProgressEvent = z.object({
  total: z.number().int(),
  done: z.number().int(),
  failed: z.number().int(),
  keyId: z.string(),
  ok: z.boolean(),
});

export const keysChannels = {
  'keys.list': def(KeyListInput, KeyListOutput, ['LOCKED']),
  'keys.get': def(IdInput, KeyView, ['LOCKED', 'NOT_FOUND']),
  'keys.add': def(KeyAddInput, KeyView, ['LOCKED', 'NOT_FOUND', 'INVALID_INPUT']),
  'keys.edit': def(KeyEditInput, KeyView, ['LOCKED', 'NOT_FOUND', 'INVALID_INPUT']),
  'keys.remove': def(IdInput, Removed, ['LOCKED', 'NOT_FOUND']),
  'keys.history': def(IdInput, KeyHistory, ['LOCKED', 'NOT_FOUND']),
  'keys.reveal': def(IdInput, KeyReveal, ['LOCKED', 'NOT_FOUND']),
  'keys.copy': def(IdInput, KeyCopy, ['LOCKED', 'NOT_FOUND']),
  'keys.generate': def(KeyGenerateInput, KeyView, ['LOCKED', 'NOT_FOUND', 'INVALID_INPUT']),
  'keys.import': def(KeyImportInput, KeyView, ['LOCKED', 'NOT_FOUND', 'INVALID_INPUT', 'WRONG_PASSWORD', 'CONFLICT']),
  'keys.export': def(KeyExportInput, KeyExportResult, ['LOCKED', 'NOT_FOUND', 'INVALID_INPUT', 'CONFLICT']),
  'keys.randomart': def(IdInput, KeyRandomart, ['LOCKED', 'NOT_FOUND', 'INVALID_INPUT']),
  'keys.create': def(KeyCreateInput, KeyCreateOutput, ['LOCKED', 'NOT_FOUND', 'USAGE', 'REMOTE', 'CONFLICT', 'INVALID_INPUT']),
  'keys.rotate': def(KeyRotateInput, KeyRotateOutput, ['LOCKED', 'NOT_FOUND', 'USAGE', 'REMOTE']),
  'keys.activate': def(IdInput, KeyView, ['LOCKED', 'NOT_FOUND', 'USAGE', 'REMOTE']),
  'keys.deactivate': def(IdInput, KeyView, ['LOCKED', 'NOT_FOUND', 'USAGE', 'REMOTE', 'CONFLICT']),
  'keys.revoke': def(IdInput, KeyView, ['LOCKED', 'NOT_FOUND', 'USAGE', 'REMOTE', 'CONFLICT']),
  'keys.check': def(IdInput, KeyCheckOutput, ['LOCKED', 'NOT_FOUND', 'USAGE', 'REMOTE']),
  'keys.editRemote': def(KeyEditRemoteInput, KeyView, ['LOCKED', 'NOT_FOUND', 'USAGE', 'REMOTE', 'INVALID_INPUT']),
} as const satisfies NamespaceChannels<'keys'>;

export const keysEvents = {
  'keys.rotation.progress': RotationProgressEvent,
} satisfies NamespaceEvents<'keys'>;
