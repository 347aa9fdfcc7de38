// Every signature decision of the agent, as one audit event 'agent_signed' on the key (key,
// program, host, forwarded, allowed or refused and why; never data or a signature), and a key's
// recent uses read back from the trail. The detail is plain text a person can read in the
// history, with fields in a fixed order so that it parses back.
import type { UseReport } from '../agent/policy';
import type { AuditEvent, VaultSession } from '../vault/types';

export interface AgentUse {
  at: string;
  decision: 'allowed' | 'refused';
  reason: string;
  program: string | null;
  host: string | null;
  forwarded: boolean;
}

const SEP = ' | ';

/** Our separator and control characters never reach the trail from a program name or host. */
function clean(s: string): string {
  return s.replace(/[\x00-\x1f\x7f|]+/g, ' ').slice(0, 300);
}

export function useDetail(report: UseReport): string {
  return [
    `${report.decision}: ${clean(report.reason)}`,
    `program ${report.program ? clean(report.program) : '(unknown)'}`,
    `host ${report.host ? clean(report.host) : '(none)'}`,
    report.forwarded ? 'forwarded' : 'direct',
  ].join(SEP);
}

export function parseUse(event: Pick<AuditEvent, 'at' | 'detail'>): AgentUse | null {
  const parts = event.detail.split(SEP);
  if (parts.length !== 4) return null;
  const [head, program, host, way] = parts as [string, string, string, string];
  const m = /^(allowed|refused): (.*)$/.exec(head);
  if (!m || !program.startsWith('program ') || !host.startsWith('host ') || (way !== 'forwarded' && way !== 'direct')) return null;
  const prog = program.slice('program '.length);
  const h = host.slice('host '.length);
  return {
    at: event.at,
    decision: m[1] === 'allowed' ? 'allowed' : 'refused',
    reason: m[2] ?? '',
    program: prog === '(unknown)' ? null : prog,
    host: h === '(none)' ? null : h,
    forwarded: way === 'forwarded',
  };
}

/** The key's last `limit` agent uses, newest first. */
export function recentAgentUses(session: VaultSession, keyId: string, limit = 20): AgentUse[] {
  const uses: AgentUse[] = [];
  const events = session.listAudit({ keyId, limit: Math.max(limit * 5, 100) }).filter((e) => e.action === 'agent_signed');
  for (let i = events.length - 1; i >= 0 && uses.length < limit; i--) {
    const u = parseUse(events[i]!);
    if (u) uses.push(u);
  }
  return uses;
}
