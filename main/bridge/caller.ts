// Which program is calling the app socket, for the approval and the grant that follows it:
// the peer process as main/agent/peer.ts finds it (the kernel's socket table), its real uid, its
// executable and script (node runs the CLI: the script tells keyhold from another node program),
// and its parent, the shell that ran it, with the parent's start time so that a recycled pid never
// inherits an approval. Linux only (/proc); elsewhere the caller is unidentified and the CLI
// unlocks on its own as before.
import { readFile, readlink } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import type { Socket } from 'node:net';
import { identifyPeer } from '../agent/peer';

export interface ProcessInfo {
  pid: number;
  /** the executable (/proc/PID/exe) */
  program: string;
  /** the script an interpreter runs, when there is one */
  script: string | null;
  /** clock ticks since boot: with the pid, names this process and no later one */
  startTime: string;
}

export interface Caller extends ProcessInfo {
  uid: number;
  parent: ProcessInfo | null;
  /** the parent's own ancestors, nearest first (a few levels): a completion runs keyhold from a
   * subshell of the shell the user approved */
  ancestors: ProcessInfo[];
}

const ANCESTOR_LEVELS = 3;

/** Options of node (and the like) that take the next argument as their value. */
const VALUE_OPTIONS = new Set([
  '--import',
  '-r',
  '--require',
  '--loader',
  '--experimental-loader',
  '-e',
  '--eval',
  '-p',
  '--print',
  '--conditions',
  '-C',
]);

/** The script an interpreter's command line names: the first argument that is not an option. */
export function scriptOf(argv: readonly string[], cwd: string): string | null {
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') return argv[i + 1] ? resolve(cwd, argv[i + 1]!) : null;
    if (a.startsWith('-')) {
      if (VALUE_OPTIONS.has(a)) i++;
      continue;
    }
    return isAbsolute(a) ? a : resolve(cwd, a);
  }
  return null;
}

async function processInfo(pid: number): Promise<ProcessInfo & { uid: number; ppid: number }> {
  const [exe, cmdline, stat, status, cwd] = await Promise.all([
    readlink(`/proc/${pid}/exe`),
    readFile(`/proc/${pid}/cmdline`, 'utf8'),
    readFile(`/proc/${pid}/stat`, 'utf8'),
    readFile(`/proc/${pid}/status`, 'utf8'),
    readlink(`/proc/${pid}/cwd`).catch(() => '/'),
  ]);
  // stat: "pid (comm) state ppid ..." where comm may hold spaces and parentheses
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const uid = /^Uid:\s+(\d+)/m.exec(status)?.[1];
  if (uid === undefined || fields[1] === undefined || fields[19] === undefined) throw new Error('unreadable /proc entry');
  const argv = cmdline.split('\0').filter((a, i, all) => a !== '' || i < all.length - 1);
  return { pid, program: exe, script: scriptOf(argv, cwd), startTime: fields[19], uid: Number(uid), ppid: Number(fields[1]) };
}

/** The calling program, or null when it cannot be told (then it is never approved). */
export async function identifyCaller(socket: Socket): Promise<Caller | null> {
  if (process.platform !== 'linux') return null;
  const peer = await identifyPeer(socket);
  if (peer.pid === undefined) return null;
  try {
    const self = await processInfo(peer.pid);
    const line: ProcessInfo[] = [];
    for (let ppid = self.ppid; ppid > 1 && line.length <= ANCESTOR_LEVELS;) {
      const p = await processInfo(ppid).catch(() => null);
      if (!p) break;
      line.push({ pid: p.pid, program: p.program, script: p.script, startTime: p.startTime });
      ppid = p.ppid;
    }
    const { ppid: _ppid, ...caller } = self;
    return { ...caller, parent: line[0] ?? null, ancestors: line.slice(1) };
  } catch {
    return null;
  }
}

/** What one approval covers: this program (and script) run by this very parent process. */
export function grantKey(c: Caller, p: ProcessInfo | null = c.parent): string {
  return JSON.stringify([c.uid, c.program, c.script, p?.pid ?? null, p?.startTime ?? null, p?.program ?? null]);
}

/** The caller in words, for the approval dialog. */
export function describeCaller(c: Caller): string {
  const prog = c.script ? `${c.program} ${c.script}` : c.program;
  return c.parent ? `${prog} (pid ${c.pid}), run by ${c.parent.program} (pid ${c.parent.pid})` : `${prog} (pid ${c.pid})`;
}
