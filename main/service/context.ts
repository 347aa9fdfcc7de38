import type { EventName, EventPayload, Harness } from '../api';
import type { Platform } from '../platform/types';

export type { Harness };

/** What every use case gets: where the vault is, the desktop services, and an event sink. */
export interface ServiceContext {
  vaultPath: string;
  harness: Harness;
  platform: Platform;
  /** run the desktop SSH agent (docs/SECURITY.md), at this socket or the default place; absent: none */
  agent?: { socketPath?: string };
  emit<E extends EventName>(name: E, payload: EventPayload<E>): void;
}
