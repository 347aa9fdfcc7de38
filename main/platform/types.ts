// What the service layer needs from the desktop, behind interfaces so that everything but
// main/platform/electron.ts runs (and is tested) under plain Node.
export interface Clipboard {
  readText(): string;
  writeText(text: string): void;
  clear(): void;
}

export type SystemLockReason = 'suspend' | 'screen-lock';

export interface SystemEvents {
  /** Calls back when the machine suspends or the screen locks; returns an unsubscribe. */
  onSystemLock(listener: (reason: SystemLockReason) => void): () => void;
}

export interface Platform {
  clipboard: Clipboard;
  system: SystemEvents;
}
