// environments.*: scopes inside a workspace (Syncano instance, Rancher environment, Encord project).
import { z } from 'zod';
import { def, Id, IdInput, Removed, type NamespaceChannels } from './common';

export const EnvironmentView = z.object({
  id: z.string(),
  workspaceId: z.string(),
  workspace: z.string(),
  name: z.string(),
  remoteId: z.string().nullable(),
  createdAt: z.string(),
});
export const EnvironmentAddInput = z
  .object({ workspaceId: Id, name: z.string().min(1).max(1024), remoteId: z.string().max(1024).nullable().optional() })
  .strict();

export const environmentsChannels = {
  'environments.list': def(z.object({ workspaceId: Id.optional() }).strict(), z.array(EnvironmentView), ['LOCKED', 'NOT_FOUND']),
  'environments.add': def(EnvironmentAddInput, EnvironmentView, ['LOCKED', 'CONFLICT', 'NOT_FOUND', 'INVALID_INPUT']),
  'environments.remove': def(IdInput, Removed, ['LOCKED', 'NOT_FOUND']),
} as const satisfies NamespaceChannels<'environments'>;
