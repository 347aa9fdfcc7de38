// attention.*: what needs attention (due and warned keys, expiring tokens, unused keys, keys
// registered outside Keyhold) and rotating what is due, with the progress of keys.rotate.
import { z } from 'zod';
import { def, Id, type NamespaceChannels } from './common';
import { KeyRotateOutput, KeyView } from './keys';

export const AttentionCounts = z.object({
  due: z.number().int(),
  warn: z.number().int(),
  expiring: z.number().int(),
  unused: z.number().int(),
  unknown: z.number().int(),
});
export const AttentionView = z.object({
  due: z.array(KeyView),
  warn: z.array(KeyView),
  expiring: z.array(KeyView),
  unused: z.array(KeyView),
  unknown: z.array(KeyView),
  counts: AttentionCounts,
});
export const ManualRotationView = z.object({
  id: z.string(),
  name: z.string(),
  workspace: z.string().nullable(),
  reason: z.string(),
  steps: z.array(z.string()),
});
export const AttentionScope = z.object({ workspaceId: Id.optional() }).strict();
export const RotateDueInput = z.object({ workspaceId: Id.optional(), concurrency: z.number().int().min(1).max(256).optional() }).strict();
export const RotateDueOutput = KeyRotateOutput.extend({ manual: z.array(ManualRotationView) });

export const attentionChannels = {
  'attention.get': def(AttentionScope, AttentionView, ['LOCKED', 'NOT_FOUND']),
  'attention.rotateDue': def(RotateDueInput, RotateDueOutput, ['LOCKED', 'NOT_FOUND', 'USAGE', 'REMOTE']),
  /** a key registered outside Keyhold that the admin knows about and keeps */
  'attention.acknowledge': def(z.object({ id: Id }).strict(), KeyView, ['LOCKED', 'NOT_FOUND']),
} as const satisfies NamespaceChannels<'attention'>;
