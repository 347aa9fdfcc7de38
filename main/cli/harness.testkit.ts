// Runs the CLI in-process with captured streams, for the CLI tests of every domain.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { allCommands } from './commands';
import { startEarlyUnlock, type EarlyUnlock } from './early-unlock';
import type { CliStreams } from './io';
import { runCli } from './program';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (for --json runs) */
  json<T = unknown>(): T;
  /** the KDF head start the run was given (`early`), if one started */
  early?: EarlyUnlock;
}

export interface RunOptions {
  stdin?: string;
  env?: NodeJS.ProcessEnv;
  /** leave standard input open after `stdin` (a pipe whose writer never closes it) */
  stdinOpen?: boolean;
  /** start the KDF ahead as `keyhold`'s entry does: from this run's own command line and
   * environment (true), or from another's (what the head start guessed is then not what runs) */
  early?: true | { argv: string[]; env?: NodeJS.ProcessEnv };
}

/** The CLI's config folder in tests (the rollback records live there): never the user's ~/.config. */
let configHome: string | undefined;

export async function runKeyhold(argv: string[], options: RunOptions = {}): Promise<CliRun> {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  if (options.stdinOpen) stdin.write(options.stdin ?? '');
  else stdin.end(options.stdin ?? '');
  const env = { XDG_CONFIG_HOME: (configHome ??= mkdtempSync(join(tmpdir(), 'keyhold-cli-config-'))), ...(options.env ?? {}) };
  const streams: CliStreams = { stdin, stdout, stderr, env };
  const guess = options.early === true ? { argv, env } : options.early;
  const early = guess ? startEarlyUnlock(guess.argv, { ...streams, env: { ...env, ...(guess.env ?? {}) } }) : undefined;
  try {
    const code = await runCli(argv, streams, allCommands, early ? { early } : {});
    return { code, stdout: out, stderr: err, json: <T>() => JSON.parse(out) as T, ...(early ? { early } : {}) };
  } finally {
    early?.dispose();
    stdin.destroy();
  }
}
