// audit.*: the vault's hash-chained event trail.
import { z } from 'zod';
import { def, Empty, Id, type NamespaceChannels } from './common';

export const AuditEventView = z.object({
  seq: z.number().int(),
  at: z.string(),
  action: z.string(),
  keyId: z.string().nullable(),
  workspaceId: z.string().nullable(),
  detail: z.string(),
});
export const AuditListInput = z.object({ keyId: Id.optional(), limit: z.number().int().min(1).max(100_000).optional() }).strict();
export const AuditVerify = z.object({ ok: z.literal(true), events: z.number().int() });

export const auditChannels = {
  'audit.list': def(AuditListInput, z.array(AuditEventView), ['LOCKED', 'INTEGRITY']),
  'audit.verify': def(Empty, AuditVerify, ['LOCKED', 'INTEGRITY']),
} as const satisfies NamespaceChannels<'audit'>;
