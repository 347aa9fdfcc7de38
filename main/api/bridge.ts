// bridge.*: the CLI through the running app (docs/SECURITY.md "The CLI through the running app").
// When a program asks the app's socket to run a command, main sends `bridge.approval.requested`;
// the renderer shows who is asking and answers through `bridge.answer`. No answer in time is a
// refusal, and main then sends `bridge.approval.closed` so the dialog goes away.
import { z } from 'zod';
import { def, type NamespaceChannels, type NamespaceEvents } from './common';

export const BRIDGE_ANSWERS = ['allow-once', 'allow-until-lock', 'deny'] as const;
export const BridgeAnswer = z.enum(BRIDGE_ANSWERS);
export type BridgeAnswer = z.infer<typeof BridgeAnswer>;

const ProcessShape = z.object({ pid: z.number().int(), program: z.string(), script: z.string().nullable() });

export const BridgeApprovalRequest = z.object({
  id: z.string().min(1).max(100),
  /** the calling program: its executable, and the script when an interpreter runs one */
  caller: ProcessShape,
  /** the shell (or other program) that started it: an approval until lock covers this one only */
  parent: ProcessShape.nullable(),
  /** the command line it asks the app to run, values of password-like options masked */
  commandLine: z.string(),
  /** the command's words ("key list") */
  command: z.string(),
  /** when the request is refused if nobody answers (ms since the epoch) */
  expiresAt: z.number(),
});
export type BridgeApprovalRequest = z.infer<typeof BridgeApprovalRequest>;

export const BridgeAnswerInput = z.object({ id: z.string().min(1).max(100), answer: BridgeAnswer }).strict();

export const bridgeChannels = {
  /** accepted: false when the request is no longer waiting (timed out, vault locked) */
  'bridge.answer': def(BridgeAnswerInput, z.object({ accepted: z.boolean() }), []),
} as const satisfies NamespaceChannels<'bridge'>;

export const bridgeEvents = {
  'bridge.approval.requested': BridgeApprovalRequest,
  'bridge.approval.closed': z.object({ id: z.string(), reason: z.enum(['answered', 'timeout', 'locked']) }),
} satisfies NamespaceEvents<'bridge'>;
