// THE contract between the renderer (and any other client) and the main process: every IPC
// channel, its zod input and output schema, and the error codes it may raise, one file per
// channel namespace, merged here. The renderer and preload import only types from here (and
// values from ./constants); main/ipc/router.ts enforces the schemas at runtime.
import type { z } from 'zod';
import { appChannels } from './app';
import { auditChannels } from './audit';
import type { ApiResult, ChannelDef } from './common';
import { desktopChannels } from './desktop';
import { environmentsChannels } from './environments';
import { exportChannels } from './export';
import { keysChannels, keysEvents } from './keys';
import { migrateChannels } from './migrate';
import { remoteChannels } from './remote';
import { vaultChannels, vaultEvents } from './vault';
import { workspacesChannels, workspacesEvents } from './workspaces';

export * from './app';
export * from './audit';
export * from './common';
export * from './constants';
export * from './desktop';
export * from './environments';
export * from './export';
export * from './keys';
export * from './migrate';
export * from './remote';
export * from './vault';
export * from './workspaces';

export const channels = {
  ...appChannels,
  ...vaultChannels,
  ...workspacesChannels,
  ...environmentsChannels,
  ...keysChannels,
  ...auditChannels,
  ...remoteChannels,
  ...exportChannels,
  ...migrateChannels,
  ...desktopChannels,
} as const satisfies Record<string, ChannelDef>;

export type Channel = keyof typeof channels;
export type ChannelInput<C extends Channel> = z.input<(typeof channels)[C]['input']>;
export type ChannelOutput<C extends Channel> = z.output<(typeof channels)[C]['output']>;
/** The namespaces the channel names use: `keys` for `keys.list`, ... */
export type Namespace = Channel extends `${infer N}.${string}` ? N : never;
/** The channels of one namespace. */
export type ChannelOf<N extends Namespace> = Extract<Channel, `${N}.${string}`>;

// ---- events (main -> renderer) ---------------------------------------------------------------
export const events = {
  ...vaultEvents,
  ...keysEvents,
  ...workspacesEvents,
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
