import { BrowserWindow, Notification, clipboard, dialog, powerMonitor, shell } from 'electron';
import type { Platform, SystemLockReason } from './types';

/** Dialogs are modal to the focused window, or free-standing when none has focus. */
const parentWindow = () => BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];

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
    dialogs: {
      async showOpenFile({ title, filters }) {
        const options: Electron.OpenDialogOptions = { title, filters, properties: ['openFile', 'showHiddenFiles'] };
        const win = parentWindow();
        const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
        return r.canceled ? null : (r.filePaths[0] ?? null);
      },
      async showSaveFile({ title, defaultPath, filters }) {
        const options: Electron.SaveDialogOptions = {
          title,
          defaultPath,
          filters,
          properties: ['showHiddenFiles', 'showOverwriteConfirmation', 'createDirectory'],
        };
        const win = parentWindow();
        const r = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
        return r.canceled || !r.filePath ? null : r.filePath;
      },
    },
    openExternal: (url) => shell.openExternal(url),
    bringToFront() {
      const win = BrowserWindow.getAllWindows()[0];
      if (!win) return;
      if (win.isMinimized()) win.restore();
      if (!win.isVisible()) win.show();
      win.focus();
    },
    notify({ title, body }) {
      if (Notification.isSupported()) new Notification({ title, body }).show();
    },
  };
}
