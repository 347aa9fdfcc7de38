// How the real `keyhold` process ends when its pipe closes or the user presses Ctrl-C.
// - A closed stdout (`keyhold key list | head -1`) ends the process quietly with 141 (128 +
//   SIGPIPE, what a shell shows for a program the pipe killed), never a stack trace.
// - SIGINT restores the terminal (a hidden-input prompt leaves it in raw mode), removes the temp
//   files of atomic writes in progress and exits 130. Nothing is half-written: vault writes are
//   synchronous SQLite transactions (a signal is handled between them, never inside one) and
//   files only ever appear whole, by rename. While `exec` runs a command it owns SIGINT (the
//   command decides), so this handler steps aside.
import { removeTempFilesNow } from '../export/atomic-file';

export const EXIT_PIPE = 141;
export const EXIT_INTERRUPTED = 130;

interface Proc {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  on(event: 'SIGINT', fn: () => void): unknown;
  listenerCount(event: string): number;
  exit(code: number): never;
}

function restoreTerminal(proc: Proc): void {
  if (proc.stdin.isTTY && proc.stdin.isRaw) proc.stdin.setRawMode(false);
}

export function installExitHandling(proc: Proc = process): void {
  proc.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') {
      removeTempFilesNow();
      proc.exit(EXIT_PIPE);
    }
  });
  // stderr gone too: nothing left to tell anyone
  proc.stderr.on('error', () => undefined);
  const onInterrupt = (): void => {
    if (proc.listenerCount('SIGINT') > 1) return; // exec is forwarding it to its command
    restoreTerminal(proc);
    removeTempFilesNow();
    proc.exit(EXIT_INTERRUPTED);
  };
  proc.on('SIGINT', onInterrupt);
}
