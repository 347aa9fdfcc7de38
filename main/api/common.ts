// What every namespace of the contract shares: the channel definition helper, the error shape,
// and the small schemas (ids, passwords, enums) that several namespaces use.
import { z } from 'zod';
import { ERROR_CODES, REMOTE_FAILURE_REASONS, type ErrorCode, type RemoteFailure, type RemoteFailureReason } from '../errors';
import { KEY_KINDS, KEY_STATES, PROVIDERS } from './constants';

export { ERROR_CODES, REMOTE_FAILURE_REASONS, type ErrorCode, type RemoteFailure, type RemoteFailureReason };

export const RemoteFailureShape = z.object({ status: z.number().int().nullable(), reason: z.enum(REMOTE_FAILURE_REASONS) });
/** A failure as it crosses IPC; `remote` says why a platform call failed, so no one reads the message. */
export const ErrorShape = z.object({ code: z.enum(ERROR_CODES), message: z.string(), remote: RemoteFailureShape.optional() });
export type ApiError = z.infer<typeof ErrorShape>;

/** What every call answers: a value or a coded error, never a thrown Error across the bridge. */
export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export interface ChannelDef {
  input: z.ZodType;
  output: z.ZodType;
  /** the codes a handler of the channel may raise (besides INVALID_INPUT for a bad payload and
   * INTERNAL); tests fail when a handler raises one that is not listed (main/ipc/router.testkit.ts) */
  errors: readonly ErrorCode[];
}

/** The channels of one namespace: every name starts with `<namespace>.`. */
export type NamespaceChannels<N extends string> = Record<`${N}.${string}`, ChannelDef>;

/** The events of one namespace (main -> renderer): every name starts with `<namespace>.`. */
export type NamespaceEvents<N extends string> = Record<`${N}.${string}`, z.ZodType>;

export const def = <I extends z.ZodType, O extends z.ZodType, const E extends readonly ErrorCode[]>(input: I, output: O, errors: E) => ({
  input,
  output,
  errors,
});

export const Empty = z.object({}).strict();
export const Id = z.string().min(1).max(200);
export const Password = z.string().min(1).max(4096);
export const IdInput = z.object({ id: Id }).strict();
export const Removed = z.object({ removed: z.string() });
export const ProviderName = z.enum(PROVIDERS);
export const KeyKindName = z.enum(KEY_KINDS);
export const KeyStateName = z.enum(KEY_STATES);

/** The token main's file dialog gave with a path (main/ipc/file-grants.ts): in the desktop app a
 * path to read or write must come with it. */
export const FileToken = z.string().min(1).max(100);
