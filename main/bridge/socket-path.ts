// Where the desktop app listens for the CLI (docs/SECURITY.md "The CLI through the running app"):
// a socket 0600 in a folder 0700 of this user, at a fixed place so that the CLI finds it without
// being told: $XDG_RUNTIME_DIR/keyhold/app.sock, else <tmp>/keyhold-<uid>/app.sock;
// $KEYHOLD_APP_SOCKET overrides both (tests, several apps). Both sides check that the folder is
// this user's and private: a socket someone else planted is never talked to.
import { lstatSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { KeyholdError } from '../errors';

export function appSocketPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.KEYHOLD_APP_SOCKET) return env.KEYHOLD_APP_SOCKET;
  if (env.XDG_RUNTIME_DIR) return join(env.XDG_RUNTIME_DIR, 'keyhold', 'app.sock');
  return join(tmpdir(), `keyhold-${process.getuid?.() ?? 'user'}`, 'app.sock');
}

/** True when `dir` is a folder of this user that no one else may enter. */
export function isPrivateFolder(dir: string): boolean {
  try {
    const st = lstatSync(dir);
    const uid = process.getuid?.();
    return st.isDirectory() && (uid === undefined || st.uid === uid) && (st.mode & 0o077) === 0;
  } catch {
    return false;
  }
}

/** Makes the socket's folder (0700) or checks the one that is there. */
export function preparePrivateFolder(socketPath: string): void {
  const dir = dirname(socketPath);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (!isPrivateFolder(dir)) throw new KeyholdError('CONFLICT', `The app socket's folder ${dir} is not a private folder of this user.`);
}

/** The socket as the CLI may use it: in a private folder, a socket owned by this user. */
export function trustedSocket(socketPath: string): boolean {
  if (!isPrivateFolder(dirname(socketPath))) return false;
  try {
    const st = lstatSync(socketPath);
    const uid = process.getuid?.();
    return st.isSocket() && (uid === undefined || st.uid === uid);
  } catch {
    return false;
  }
}
