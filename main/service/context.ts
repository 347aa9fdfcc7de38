import type { EventName, EventPayload, Harness } from '../api';
import type { Platform } from '../platform/types';
import type { Clock } from './ages/status';

export type { Harness };

/** What every use case gets: where the vault is, the desktop services, and an event sink. */
export interface ServiceContext {
  vaultPath: string;
  /** the app's config folder (paths.ts defaultDataDir): this computer's rollback records; none in
   * tests that do not ask for them */
  configDir?: string;
  harness: Harness;
  platform: Platform;
  /** run the desktop SSH agent (docs/SECURITY.md), at this socket or the default place; absent: none */
  agent?: { socketPath?: string };
  /** the time key ages are computed at (tests inject one; the system clock otherwise) */
  clock?: Clock;
  emit<E extends EventName>(name: E, payload: EventPayload<E>): void;
}
