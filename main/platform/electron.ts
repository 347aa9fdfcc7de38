import { clipboard, powerMonitor } from 'electron';
import type { Platform, SystemLockReason } from './types';

export function createElectronPlatform(): Platform {
  return {
    clipboard: {
      readText: () => clipboard.readText(),
      writeText: (t) => clipboard.writeText(t),
      clear: () => clipboard.clear(),
    },
    system: {
      onSystemLock(listener) {
        const onSuspend = () => listener('suspend' satisfies SystemLockReason);
        const onLock = () => listener('screen-lock' satisfies SystemLockReason);
        powerMonitor.on('suspend', onSuspend);
        powerMonitor.on('lock-screen', onLock);
        return () => {
          powerMonitor.off('suspend', onSuspend);
          powerMonitor.off('lock-screen', onLock);
        };
      },
    },
  };
}
