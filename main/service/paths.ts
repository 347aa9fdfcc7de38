import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where the desktop app keeps its vault, computed without Electron so that the CLI finds the
 * same file (Electron's userData for an app named "keyhold").
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'keyhold');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'keyhold');
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'keyhold');
}

export function defaultVaultPath(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  return join(defaultDataDir(env, platform), 'vault.keyhold');
}

/** --vault, else $KEYHOLD_VAULT, else the desktop app's default (CLI.md). */
export function resolveVaultPath(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return flag ?? env.KEYHOLD_VAULT ?? defaultVaultPath(env);
}
