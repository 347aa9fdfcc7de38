// workspaces.*: accounts on a platform (or local groups), connecting them and syncing their keys.
import { z } from 'zod';
import { REMOTE_OPERATIONS } from '../providers/types';
import {
  def,
  Empty,
  Id,
  IdInput,
  KeyKindName,
  Password,
  ProviderName,
  Removed,
  type NamespaceChannels,
  type NamespaceEvents,
} from './common';

/** What the workspace's credential may do, as the platform showed it (GitHub scopes, Syncano roles). */
export const CredentialAccessView = z.object({
  /** scopes or "instance: role"; null: the platform does not say (a fine-grained token) */
  grants: z.array(z.string()).nullable(),
  summary: z.string(),
  /** what the platform will refuse (in one environment, by its remote id, when given) */
  refuses: z.array(
    z.object({
      operation: z.enum(REMOTE_OPERATIONS),
      environment: z.string().optional(),
      reason: z.string(),
      kinds: z.array(KeyKindName).optional(),
    }),
  ),
});

export const WorkspaceView = z.object({
  id: z.string(),
  name: z.string(),
  provider: ProviderName,
  url: z.string().nullable(),
  credentialKeyId: z.string().nullable(),
  createdAt: z.string(),
  /** filled by workspaces.list for a connected workspace whose platform shows it */
  access: CredentialAccessView.nullable().optional(),
});
export const WorkspaceAddInput = z
  .object({ name: z.string().min(1).max(1024), provider: ProviderName, url: z.string().max(2048).nullable().optional() })
  .strict();
export const WorkspaceUpdateInput = z
  .object({ id: Id, name: z.string().min(1).max(1024).optional(), url: z.string().max(2048).nullable().optional() })
  .strict();

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
export const WorkspaceConnectOutput = z.object({
  workspace: WorkspaceView,
  credentialKeyId: z.string(),
  identity: z.string(),
  access: CredentialAccessView.nullable(),
});
export const WorkspaceSyncOutput = z.object({
  workspace: z.string(),
  environments: z.object({ total: z.number().int(), added: z.number().int() }),
  keys: z.object({ total: z.number().int(), added: z.number().int(), updated: z.number().int(), missing: z.number().int() }),
  /** environments the credential could not read (their keys were left as they were), with the platform's reason */
  skipped: z.array(z.object({ environment: z.string().nullable(), name: z.string(), reason: z.string() })),
});
export const SyncProgressEvent = z.object({
  workspaceId: z.string(),
  /** environments: listing the platform's environments; keys: listing the keys of one scope; saving: writing to the vault */
  phase: z.enum(['environments', 'keys', 'saving']),
  done: z.number().int(),
  total: z.number().int(),
});

export const workspacesChannels = {
  'workspaces.list': def(Empty, z.array(WorkspaceView), ['LOCKED']),
  'workspaces.add': def(WorkspaceAddInput, WorkspaceView, ['LOCKED', 'CONFLICT', 'INVALID_INPUT']),
  'workspaces.update': def(WorkspaceUpdateInput, WorkspaceView, ['LOCKED', 'CONFLICT', 'NOT_FOUND', 'INVALID_INPUT']),
  'workspaces.remove': def(IdInput, Removed, ['LOCKED', 'NOT_FOUND', 'CONFLICT']),
  'workspaces.connect': def(WorkspaceConnectInput, WorkspaceConnectOutput, [
    'LOCKED',
    'NOT_FOUND',
    'USAGE',
    'REMOTE',
    'INVALID_INPUT',
    'CONFLICT',
  ]),
  'workspaces.sync': def(IdInput, WorkspaceSyncOutput, ['LOCKED', 'NOT_FOUND', 'USAGE', 'REMOTE']),
} as const satisfies NamespaceChannels<'workspaces'>;

export const workspacesEvents = {
  'workspaces.sync.progress': SyncProgressEvent,
} satisfies NamespaceEvents<'workspaces'>;
