// `keyhold exec`: runs a command with extra variables in ITS environment only (like `op run` or
// `aws-vault exec`). The secrets go into the child's env object, never into process.env or a
// file; SIGINT, SIGTERM and SIGHUP sent to us are passed on (but see sharesTerminal), and our exit
// status is the child's (128 + the signal's number when a signal ended it).
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { constants } from 'node:os';
import type { Readable, Writable } from 'node:stream';
import { KeyholdError } from '../errors';

export const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export interface ExecStreams {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
}

export interface ExecOptions {
  command: string;
  args: readonly string[];
  /** the variables to add (or replace) in the child's environment */
  vars: Readonly<Record<string, string>>;
  /** the environment the child starts from; default process.env */
  baseEnv?: NodeJS.ProcessEnv;
  /** 'inherit' (the real CLI) or streams to pipe through (tests, embedding) */
  stdio?: 'inherit' | ExecStreams;
  /** the process whose signals are forwarded; default process */
  signals?: NodeJS.EventEmitter;
  cwd?: string;
}

export interface ExecResult {
  /** the child's exit code, or 128 + the signal's number when a signal ended it */
  exitCode: number;
  signal: NodeJS.Signals | null;
}

export function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  const n = signal ? constants.signals[signal] : undefined;
  return n !== undefined ? 128 + n : 1;
}

/** The CLI's master password variable: never handed on to a command, whatever its base env. */
export const MASTER_PASSWORD_ENV = 'KEYHOLD_PASSWORD';

export async function runExec(options: ExecOptions): Promise<ExecResult> {
  if (Object.prototype.hasOwnProperty.call(options.vars, MASTER_PASSWORD_ENV)) {
    throw new KeyholdError('INVALID_INPUT', `${MASTER_PASSWORD_ENV} is never passed to a command: choose another variable name.`);
  }
  const { [MASTER_PASSWORD_ENV]: _masterPassword, ...base } = options.baseEnv ?? process.env;
  return spawnWithEnv(options, { ...base, ...options.vars });
}

function spawnWithEnv(options: ExecOptions, env: NodeJS.ProcessEnv): Promise<ExecResult> {
  const piped = options.stdio !== undefined && options.stdio !== 'inherit' ? options.stdio : null;
  const stdio: StdioOptions = piped ? ['pipe', 'pipe', 'pipe'] : 'inherit';
  const signals = options.signals ?? process;

  return new Promise((resolve, reject) => {
    // Listen before spawning: the child can start (and a signal arrive) before spawn() returns,
    // and a signal with no listener yet would kill us with the default action.
    // A Ctrl-C at a terminal the child shares with us already reached it (the whole foreground
    // process group gets it); sending it again would read as a second Ctrl-C, which tools like
    // terraform take as "abort now". We still listen, so that we wait for the child's exit code.
    const sharesTerminal = !piped && options.signals === undefined && Boolean(process.stdin.isTTY);
    let child: ChildProcess | undefined;
    const early: NodeJS.Signals[] = [];
    const forward = FORWARDED_SIGNALS.map((sig) => {
      const listener = () => {
        if (sig === 'SIGINT' && sharesTerminal) return;
        if (child) child.kill(sig);
        else early.push(sig);
      };
      signals.on(sig, listener);
      return () => signals.off(sig, listener);
    });
    try {
      child = spawn(options.command, [...options.args], { env, stdio, cwd: options.cwd });
    } catch (e) {
      forward.forEach((off) => off());
      reject(
        new KeyholdError('INVALID_INPUT', `Could not run ${options.command}: ${(e as NodeJS.ErrnoException).code ?? 'invalid command'}`),
      );
      return;
    }
    for (const sig of early) child.kill(sig);
    const cleanup = () => forward.forEach((off) => off());

    if (piped) {
      child.stdout?.pipe(piped.stdout, { end: false });
      child.stderr?.pipe(piped.stderr, { end: false });
      if (child.stdin) {
        child.stdin.on('error', () => undefined); // the child may exit without reading its input
        piped.stdin.pipe(child.stdin);
      }
    }

    child.on('error', (e: NodeJS.ErrnoException) => {
      cleanup();
      if (e.code === 'ENOENT') reject(new KeyholdError('NOT_FOUND', `Command not found: ${options.command}`));
      else if (e.code === 'EACCES')
        reject(new KeyholdError('INVALID_INPUT', `Command cannot be run (permission denied): ${options.command}`));
      else reject(new KeyholdError('INTERNAL', `Could not run ${options.command}: ${e.code ?? 'unexpected failure'}`));
    });
    child.on('close', (code, signal) => {
      cleanup();
      if (piped) piped.stdin.unpipe();
      resolve({ exitCode: exitCodeOf(code, signal), signal });
    });
  });
}
