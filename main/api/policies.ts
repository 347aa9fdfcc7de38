// policies.*: rotation policies (maximum key age, warning window) per workspace or environment.
import { z } from 'zod';
import { def, Empty, Id, IdInput, Removed, type NamespaceChannels } from './common';

export const PolicyView = z.object({
  id: z.string(),
  workspaceId: z.string(),
  workspace: z.string(),
  environmentId: z.string().nullable(),
  environment: z.string().nullable(),
  maxAgeDays: z.number().int(),
  warnDays: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
/** Days are checked by the service (USAGE for zero or negative), as the CLI's are. */
export const PolicySetInput = z
  .object({ workspaceId: Id, environmentId: Id.nullable().optional(), maxAgeDays: z.number().int(), warnDays: z.number().int().optional() })
  .strict();

export const policiesChannels = {
  'policies.list': def(Empty, z.array(PolicyView), ['LOCKED', 'INTEGRITY']),
  'policies.set': def(PolicySetInput, PolicyView, ['LOCKED', 'NOT_FOUND', 'USAGE']),
  'policies.remove': def(IdInput, Removed, ['LOCKED', 'NOT_FOUND']),
} as const satisfies NamespaceChannels<'policies'>;
