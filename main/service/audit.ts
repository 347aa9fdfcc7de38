// The audit trail as users see it: list and verify (INTEGRITY names the first broken event).
import type { AuditEvent, VaultSession } from '../vault/types';

export function listAuditEvents(session: VaultSession, filter: { keyId?: string; limit?: number } = {}): AuditEvent[] {
  return session.listAudit(filter);
}

export function verifyAuditTrail(session: VaultSession): { ok: true; events: number } {
  return { ok: true, events: session.verifyAudit().events };
}
