import type { Notice, Platform, SystemLockReason } from './types';

/** A Platform without a desktop: used by the CLI, the e2e bridge and tests. It has no dialogs
 * (they answer null, as if cancelled) and opens nothing: openExternal only records the address
 * in `opened`, so a test can see what the app asked for; notifications land in `notices`. */
export function createMemoryPlatform(): Platform & { fireSystemLock(reason: SystemLockReason): void; readonly opened: string[]; readonly notices: Notice[] } {
  let text = '';
  const listeners = new Set<(reason: SystemLockReason) => void>();
  const opened: string[] = [];
  const notices: Notice[] = [];
  return {
    clipboard: {
      readText: async () => text,
      writeText: async (t) => {
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
    dialogs: {
      showOpenFile: async () => null,
      showSaveFile: async () => null,
    },
    openExternal: async (url) => {
      opened.push(url);
    },
    opened,
    notify: (notice) => {
      notices.push({ ...notice });
    },
    notices,
    fireSystemLock(reason) {
      for (const l of listeners) l(reason);
    },
  };
}
