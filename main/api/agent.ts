// agent.*: the desktop's SSH agent (docs/SECURITY.md, SSH agent): whether it runs and where, a
// key pair's agent settings and recent uses, and the approval dialog's requests and answers.
import { z } from 'zod';
import { def, Empty, Id, IdInput, type NamespaceChannels, type NamespaceEvents } from './common';

export const AGENT_MODE_NAMES = ['on', 'off', 'confirm'] as const;
export const AGENT_APPROVAL_CHOICES = ['once', 'untilLock', 'deny'] as const;

export const AgentStatus = z.object({ enabled: z.boolean(), running: z.boolean(), socket: z.string().nullable() });
export const AgentKeySettings = z.object({
  agent: z.enum(AGENT_MODE_NAMES),
  agentHosts: z.array(z.string()),
  agentForwarding: z.enum(['allow', 'deny']),
});
export const AgentUseView = z.object({
  at: z.string(),
  decision: z.enum(['allowed', 'refused']),
  reason: z.string(),
  program: z.string().nullable(),
  host: z.string().nullable(),
  forwarded: z.boolean(),
});
export const AgentKeyView = z.object({ id: z.string(), settings: AgentKeySettings, uses: z.array(AgentUseView) });
export const AgentKeySetInput = z
  .object({
    id: Id,
    agent: z.enum(AGENT_MODE_NAMES).optional(),
    agentHosts: z.array(z.string().max(260)).max(64).optional(),
    agentForwarding: z.enum(['allow', 'deny']).optional(),
  })
  .strict();
/** What the approval dialog shows: nothing secret, and no signed data. */
export const AgentApprovalRequest = z.object({
  id: z.string(),
  keyFingerprint: z.string(),
  comment: z.string(),
  program: z.string().optional(),
  host: z.string().optional(),
  forwarded: z.boolean(),
});
export const AgentAnswerInput = z.object({ id: Id, choice: z.enum(AGENT_APPROVAL_CHOICES) }).strict();

export const agentChannels = {
  'agent.status': def(Empty, AgentStatus, []),
  'agent.key': def(IdInput, AgentKeyView, ['LOCKED', 'NOT_FOUND', 'INVALID_INPUT']),
  'agent.key.set': def(AgentKeySetInput, AgentKeyView, ['LOCKED', 'NOT_FOUND', 'INVALID_INPUT', 'USAGE']),
  'agent.pending': def(Empty, z.array(AgentApprovalRequest), []),
  'agent.answer': def(AgentAnswerInput, z.object({ answered: z.boolean() }), []),
} as const satisfies NamespaceChannels<'agent'>;

export const agentEvents = {
  /** a confirm key's signature waits for the user's choice */
  'agent.approvalRequested': AgentApprovalRequest,
  /** the request was answered or timed out: its dialog closes */
  'agent.approvalClosed': z.object({ id: z.string() }),
  /** a signature was asked for while the vault is locked: the app asks to unlock */
  'agent.unlockRequested': z.object({ keyFingerprint: z.string(), comment: z.string() }),
  /** a signature decision was made and audited: a key's recent uses changed */
  'agent.used': z.object({ keyIds: z.array(z.string()) }),
} satisfies NamespaceEvents<'agent'>;
