// Where the agent listens. Unix: a socket in a folder only the user can enter (0700), the socket
// itself 0600, in $XDG_RUNTIME_DIR (per-user, tmpfs, emptied at logout) where set, else a fresh
// private folder under the temp dir, as ssh-agent makes /tmp/ssh-XXXX.
// Windows: OpenSSH for Windows talks to the named pipe \\.\pipe\openssh-ssh-agent; Keyhold uses
// its own pipe name so as not to fight the Windows ssh-agent service, and the user points
// SSH_AUTH_SOCK (or IdentityAgent) at it. Untested: no Windows machine runs these tests, and a
// pipe's default DACL (not a file mode) is what keeps other users out there.
import { lstat, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { KeyholdError } from '../errors';

export interface SocketPlace {
  path: string;
  /** removes what was made for the socket (the private folder when we made it) */
  cleanup: () => Promise<void>;
}

export const WINDOWS_PIPE = `\\\\.\\pipe\\keyhold-ssh-agent-${safeName(userInfo().username)}`;

function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9_.-]/g, '_');
}

/** Makes (or checks) a folder that is ours and 0700: a folder someone else controls is refused. */
async function privateFolder(path: string): Promise<void> {
  await mkdir(path, { mode: 0o700, recursive: true });
  const st = await lstat(path);
  const uid = process.getuid?.();
  if (!st.isDirectory() || (uid !== undefined && st.uid !== uid) || (st.mode & 0o077) !== 0) {
    throw new KeyholdError('CONFLICT', `The agent folder ${path} is not a private folder of this user.`);
  }
}

export async function chooseSocketPlace(env: NodeJS.ProcessEnv = process.env): Promise<SocketPlace> {
  if (process.platform === 'win32') return { path: WINDOWS_PIPE, cleanup: async () => {} };
  const runtime = env.XDG_RUNTIME_DIR;
  if (runtime) {
    const dir = join(runtime, 'keyhold');
    await privateFolder(dir);
    const path = join(dir, 'agent.sock');
    return { path, cleanup: () => rm(path, { force: true }) };
  }
  const dir = await mkdtemp(join(tmpdir(), 'keyhold-agent-'));
  return { path: join(dir, 'agent.sock'), cleanup: () => rm(dir, { recursive: true, force: true }) };
}
