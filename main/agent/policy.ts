// Whether one signature may be made: the key's agent setting, SHA-1, forwarding, host binding,
// then the user's approval. Host binding follows OpenSSH's destination constraints
// (ssh-add -h): the connection's LAST session binding names the host, a host-bound key signs only
// user authentication for that very session, and a connection never bound signs nothing for it.
import { fingerprint } from '../keys/fingerprint';
import { parsePublicBlob } from '../keys/public-key';
import { signatureAlgorithmFor, type SignatureAlgorithm } from '../keys/ssh-signature';
import type { AgentKey } from './key-source';
import { hostHasKey, plainNamesForKey, type KnownHostLine } from './known-hosts';
import { parseUserauthRequest, type SessionBinding } from './session-bind';

export type Decision = 'allowed' | 'refused';

/** What an approver (desktop dialog, askpass) is shown. */
export interface ApprovalRequest {
  keyFingerprint: string;
  comment: string;
  /** the calling program's executable, when the peer could be identified */
  program?: string;
  /** the bound host's name when known_hosts names it, else its host key fingerprint */
  host?: string;
  forwarded: boolean;
}

export interface UseReport {
  keyFingerprint: string;
  program?: string;
  host?: string;
  forwarded: boolean;
  decision: Decision;
  reason: string;
}

export interface SignContext {
  key: AgentKey;
  data: Buffer;
  flags: number;
  bindings: readonly SessionBinding[];
  program?: string;
  knownHosts: () => Promise<KnownHostLine[]>;
  approve: (request: ApprovalRequest) => Promise<boolean>;
}

export interface Verdict {
  decision: Decision;
  reason: string;
  algorithm?: SignatureAlgorithm;
  report: Omit<UseReport, 'decision' | 'reason'>;
}

export function keyFingerprint(blob: Buffer): string {
  try {
    return fingerprint(parsePublicBlob(blob));
  } catch {
    return '(unreadable key)';
  }
}

function hostLabel(lines: readonly KnownHostLine[], hostKeyBlob: Buffer): string {
  return plainNamesForKey(lines, hostKeyBlob)[0] ?? `host key ${keyFingerprint(hostKeyBlob)}`;
}

/**
 * Whether a key is listed on a connection, as OpenSSH's agent hides destination-constrained keys
 * a connection may not use: a forwarded connection does not even learn of keys that refuse
 * forwarding, nor a session bound elsewhere of keys bound to other hosts. Sign requests are still
 * checked in full by decide().
 */
export async function visibleOn(
  key: AgentKey,
  bindings: readonly SessionBinding[],
  knownHosts: () => Promise<KnownHostLine[]>,
): Promise<boolean> {
  if (key.policy.agent === 'off') return false;
  if (bindings.some((b) => b.forwarded) && key.policy.agentForwarding !== 'allow') return false;
  const last = bindings[bindings.length - 1];
  if (!last || key.policy.agentHosts.length === 0) return true;
  const lines = await knownHosts();
  return key.policy.agentHosts.some((h) => hostHasKey(lines, h, last.hostKeyBlob));
}

export async function decide(ctx: SignContext): Promise<Verdict> {
  const { key, bindings } = ctx;
  const last = bindings[bindings.length - 1];
  // a forwarded binding anywhere in the chain means the request came through a forwarded agent
  const forwarded = bindings.some((b) => b.forwarded);
  const report: Verdict['report'] = { keyFingerprint: keyFingerprint(key.publicKeyBlob), forwarded };
  if (ctx.program) report.program = ctx.program;
  const refuse = (reason: string): Verdict => ({ decision: 'refused', reason, report });

  if (key.policy.agent === 'off') return refuse('agent use is off for this key');
  const algorithm = signatureAlgorithmFor(parsePublicBlob(key.publicKeyBlob), ctx.flags);
  if (algorithm === 'ssh-rsa' && key.policy.agentSha1 !== 'allow') return refuse('SHA-1 (ssh-rsa) signatures are not allowed for this key');

  let lines: KnownHostLine[] | undefined;
  if (last) {
    lines = await ctx.knownHosts();
    report.host = hostLabel(lines, last.hostKeyBlob);
  }
  if (forwarded && key.policy.agentForwarding !== 'allow') return refuse('forwarded agent requests are not allowed for this key');

  if (key.policy.agentHosts.length > 0) {
    if (!last || !lines) return refuse('the key is bound to hosts and the connection is not bound to a session');
    const auth = parseUserauthRequest(ctx.data);
    if (!auth) return refuse('a host-bound key signs only SSH authentication');
    if (!auth.sessionId.equals(last.sessionId)) return refuse('the request is for another session than the one bound');
    if (auth.hostKeyBlob && !auth.hostKeyBlob.equals(last.hostKeyBlob))
      return refuse('the request names another host key than the one bound');
    const host = key.policy.agentHosts.find((h) => hostHasKey(lines!, h, last.hostKeyBlob));
    if (!host) return refuse('the bound host is not one this key is for');
    report.host = host;
  }

  if (key.policy.agent === 'confirm') {
    const request: ApprovalRequest = { keyFingerprint: report.keyFingerprint, comment: key.comment, forwarded };
    if (report.program) request.program = report.program;
    if (report.host) request.host = report.host;
    let approved: boolean;
    try {
      approved = await ctx.approve(request);
    } catch {
      approved = false;
    }
    if (!approved) return refuse('not approved');
    return { decision: 'allowed', reason: 'approved', algorithm, report };
  }
  return { decision: 'allowed', reason: 'allowed by the key settings', algorithm, report };
}
