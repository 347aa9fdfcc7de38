// audit.*: the event trail and its hash-chain check.
import { listAuditEvents, verifyAuditTrail } from '../../service/audit';
import type { HandlersFor } from '../router';
import type { HandlerDeps } from './deps';

export function auditHandlers({ vault }: HandlerDeps): HandlersFor<'audit'> {
  return {
    'audit.list': (filter) => listAuditEvents(vault.session(), filter),
    'audit.verify': () => verifyAuditTrail(vault.session()),
  };
}
