// workspaces.*: accounts on a platform (or local groups), connecting them and syncing their keys.
import { z } from 'zod';
import { def, Empty, Id, IdInput, Password, ProviderName, Removed, type NamespaceChannels, type NamespaceEvents } from './common';

export const WorkspaceView = z.object({
  id: z.string(),
  name: z.string(),
  provider: ProviderName,
  url: z.string().nullable(),
  credentialKeyId: z.string().nullable(),
  createdAt: z.string(),
});
export const WorkspaceAddInput = z.object({ name: z.string().min(1).max(1024), provider: ProviderName, url: z.string().max(2048).nullable().optional() }).strict();
export const WorkspaceUpdateInput = z.object({ id: Id, name: z.string().min(1).max(1024).optional(), url: z.string().max(2048).nullable().optional() }).strict();

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
  'workspaces.connect': def(WorkspaceConnectInput, WorkspaceConnectOutput, ['LOCKED', 'NOT_FOUND', 'USAGE', 'REMOTE', 'INVALID_INPUT', 'CONFLICT']),
  'workspaces.sync': def(IdInput, WorkspaceSyncOutput, ['LOCKED', 'NOT_FOUND', 'USAGE', 'REMOTE']),
} as const satisfies NamespaceChannels<'workspaces'>;

export const workspacesEvents = {
  'workspaces.sync.progress': SyncProgressEvent,
} satisfies NamespaceEvents<'workspaces'>;
