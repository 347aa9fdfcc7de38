// THE contract between the renderer (and any other client) and the main process: every IPC
// channel, its zod input and output schema, and the error codes it may raise. The renderer and
// preload import only types from here; main/ipc/router.ts enforces the schemas at runtime.
import { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from './errors';

export { ERROR_CODES, type ErrorCode };

export const ErrorShape = z.object({ code: z.enum(ERROR_CODES), message: z.string() });
export type ApiError = z.infer<typeof ErrorShape>;

/** What every call answers: a value or a coded error, never a thrown Error across the bridge. */
export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };

interface ChannelDef {
  input: z.ZodType;
  output: z.ZodType;
  errors: readonly ErrorCode[];
}

const def = <I extends z.ZodType, O extends z.ZodType, const E extends readonly ErrorCode[]>(
  input: I,
  output: O,
  errors: E,
) => ({ input, output, errors });

const Empty = z.object({}).strict();

// ---- app -----------------------------------------------------------------------------------
export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  platform: z.string(),
  harness: z.enum(['electron', 'bridge', 'cli']),
});

// ---- vault ---------------------------------------------------------------------------------
export const VaultState = z.enum(['absent', 'locked', 'unlocked']);
export const VaultStatus = z.object({
  state: VaultState,
  path: z.string(),
});

// ---- vault, workspaces, environments, keys (issue 3): schemas ------------------------------

// ---- key pairs (issue 4): schemas -------------------------------------------------------------

// ---- remote platforms (issue 5): schemas ------------------------------------------------------

// ---- export (issue 6): schemas ----------------------------------------------------------------

export const channels = {
  'app.info': def(Empty, AppInfo, []),
  'vault.status': def(Empty, VaultStatus, ['INTEGRITY']),
  // ---- vault, workspaces, environments, keys (issue 3): channels
  // ---- key pairs (issue 4): channels
  // ---- remote platforms (issue 5): channels
  // ---- export (issue 6): channels
} as const satisfies Record<string, ChannelDef>;

export type Channel = keyof typeof channels;
export type ChannelInput<C extends Channel> = z.input<(typeof channels)[C]['input']>;
export type ChannelOutput<C extends Channel> = z.output<(typeof channels)[C]['output']>;

// ---- events (main -> renderer) ---------------------------------------------------------------
export const events = {
  // each domain adds its events here (e.g. rotation progress)
  'vault.locked': z.object({ reason: z.enum(['explicit', 'idle', 'suspend', 'screen-lock']) }),
} as const satisfies Record<string, z.ZodType>;

export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

/** What preload exposes as window.keyhold (and what the e2e bridge stands in for). */
export interface KeyholdBridge {
  invoke(channel: string, input: unknown): Promise<ApiResult<unknown>>;
  onEvent(listener: (name: string, payload: unknown) => void): () => void;
}

/** IPC transport channel names: one for calls, one for events. Preload restates them against
 * these types (it may import only types from here), so a mismatch fails the type check. */
export type IpcInvokeChannel = 'keyhold:invoke';
export type IpcEventChannel = 'keyhold:event';
export const IPC_INVOKE: IpcInvokeChannel = 'keyhold:invoke';
export const IPC_EVENT: IpcEventChannel = 'keyhold:event';
