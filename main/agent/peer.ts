// Which program is on the other end of an agent connection. Node has no SO_PEERCRED, so on Linux
// the peer is found through the kernel's socket diagnostics as `ss -xpn` prints them: our
// accepted socket's inode (from /proc/self/fd) is the peer inode of the client's socket row, and
// that row names the processes holding it; /proc/PID/exe gives the executable.
// Limits, honestly: `ss` must be installed (iproute2); without root it sees only the processes
// of the same user (an agent's clients are); a process that inherited the client's socket is also
// listed, and the first one is taken; a client that exits before the lookup is not named.
// Elsewhere (macOS, Windows) the program stays unknown for now.
import { execFile } from 'node:child_process';
import { readlink } from 'node:fs/promises';
import type { Socket } from 'node:net';

export interface Peer {
  pid?: number;
  /** the executable's path */
  program?: string;
}

const SS_CANDIDATES = ['/usr/bin/ss', '/bin/ss', '/usr/sbin/ss', '/sbin/ss'];

function socketFd(socket: Socket): number | undefined {
  // the libuv handle's fd: internal, but stable for Unix sockets since Node 0.x
  const handle = (socket as unknown as { _handle?: { fd?: unknown } })._handle;
  return typeof handle?.fd === 'number' && handle.fd >= 0 ? handle.fd : undefined;
}

async function socketInode(fd: number): Promise<string | undefined> {
  const link = await readlink(`/proc/self/fd/${fd}`);
  return /^socket:\[(\d+)\]$/.exec(link)?.[1];
}

function runSs(): Promise<string> {
  return new Promise((resolve, reject) => {
    const tryAt = (i: number): void => {
      const bin = SS_CANDIDATES[i];
      if (!bin) return reject(new Error('ss not found'));
      execFile(bin, ['-xpnH'], { encoding: 'utf8', timeout: 5000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout) => {
        if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') return tryAt(i + 1);
        if (err) return reject(err);
        resolve(stdout);
      });
    };
    tryAt(0);
  });
}

/** The pid holding the socket whose peer is `inode`, from `ss -xpn` output. */
export function pidOfPeer(ssOutput: string, inode: string): number | undefined {
  for (const line of ssOutput.split('\n')) {
    const m = /\s(\d+)\s+\S+\s+(\d+)\s+users:\(\((.*)\)\)\s*$/.exec(line);
    if (!m || m[2] !== inode) continue;
    const pid = /pid=(\d+)/.exec(m[3] ?? '')?.[1];
    if (pid) return Number(pid);
  }
  return undefined;
}

export async function identifyPeer(socket: Socket): Promise<Peer> {
  if (process.platform !== 'linux') return {};
  try {
    const fd = socketFd(socket);
    if (fd === undefined) return {};
    const inode = await socketInode(fd);
    if (!inode) return {};
    const pid = pidOfPeer(await runSs(), inode);
    if (pid === undefined) return {};
    try {
      return { pid, program: await readlink(`/proc/${pid}/exe`) };
    } catch {
      return { pid };
    }
  } catch {
    return {};
  }
}
