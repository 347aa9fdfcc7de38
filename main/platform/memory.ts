import type { Platform, SystemLockReason } from './types';

/** A Platform without a desktop: used by the CLI, the e2e bridge and tests. */
export function createMemoryPlatform(): Platform & { fireSystemLock(reason: SystemLockReason): void } {
  let text = '';
  const listeners = new Set<(reason: SystemLockReason) => void>();
  return {
    clipboard: {
      readText: () => text,
      writeText: (t) => {
        text = t;
      },
      clear: () => {
        text = '';
      },
    },
    system: {
      onSystemLock(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    },
    fireSystemLock(reason) {
      for (const l of listeners) l(reason);
    },
  };
}
