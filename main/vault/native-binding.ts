import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Options } from 'better-sqlite3';

// better-sqlite3 is a native addon: Node (tests, CLI) and Electron (the app) need different
// builds. node_modules keeps the Node build; scripts/electron-native.mjs puts an Electron build in
// .electron-native/, and the Electron entry points the vault at it. A packaged app has only the
// Electron build (electron-builder rebuilds it), so there the default is right.
let nativeBinding: string | undefined;

export function configureSqliteBinding(dir: string | undefined): void {
  const file = dir ? join(dir, 'better_sqlite3.node') : undefined;
  nativeBinding = file && existsSync(file) ? file : undefined;
}

/** Options every `new Database()` in main/ must be given. */
export function sqliteBindingOptions(): Options {
  return nativeBinding ? { nativeBinding } : {};
}
