// What the service layer needs from the desktop, behind interfaces so that everything but
// main/platform/electron.ts runs (and is tested) under plain Node.
// Asynchronous because Electron's clipboard is (from Electron 45 on, after the W3C Clipboard API).
export interface Clipboard {
  readText(): Promise<string>;
  writeText(text: string): Promise<void>;
  clear(): void;
}

export type SystemLockReason = 'suspend' | 'screen-lock';

export interface SystemEvents {
  /** Calls back when the machine suspends or the screen locks; returns an unsubscribe. */
  onSystemLock(listener: (reason: SystemLockReason) => void): () => void;
}

export interface FileFilter {
  name: string;
  /** extensions without the dot; '*' for any */
  extensions: string[];
}

export interface Dialogs {
  /** The absolute path the user picked, or null when cancelled or when there is no desktop. */
  showOpenFile(options: { title: string; filters?: FileFilter[] }): Promise<string | null>;
  showSaveFile(options: { title: string; defaultPath?: string; filters?: FileFilter[] }): Promise<string | null>;
}

/** A desktop notification (title and one line); never a secret in it. */
export interface Notice {
  title: string;
  body: string;
}

export interface Platform {
  clipboard: Clipboard;
  /** Shows a desktop notification where the desktop has them; quietly nothing elsewhere. */
  notify(notice: Notice): void;
  system: SystemEvents;
  dialogs: Dialogs;
  /** Opens an address in the user's browser; the caller has already checked it is https. */
  openExternal(url: string): Promise<void>;
}
