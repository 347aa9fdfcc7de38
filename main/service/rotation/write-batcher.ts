// Vault writes of concurrent rotations, grouped so that a bulk rotation pays one fsync per turn
// of the event loop instead of one per step of each key.
import type { VaultSession } from '../../vault/types';

/**
 * Vault writes of concurrent rotations grouped into one transaction (one fsync) per turn of the
 * event loop. Each write still completes before its caller goes on to the remote call it guards.
 */
export class WriteBatcher {
  private queue: { fn: () => unknown; resolve: (v: unknown) => void; reject: (e: unknown) => void }[] = [];
  private scheduled = false;

  constructor(
    private readonly session: VaultSession,
    private readonly windowMs = 2,
  ) {}

  run<T>(fn: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setTimeout(() => this.flush(), this.windowMs);
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.queue.splice(0);
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      this.session.transaction(() => {
        for (const item of batch) {
          try {
            outcomes.push({ ok: true, value: item.fn() });
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
      });
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    batch.forEach((item, i) => {
      const o = outcomes[i]!;
      if (o.ok) item.resolve(o.value);
      else item.reject(o.error);
    });
  }
}
