// Runs the CLI in-process with captured streams, for the CLI tests of every domain.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { allCommands } from './commands';
import { runCli } from './program';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (for --json runs) */
  json<T = unknown>(): T;
}

/** The CLI's config folder in tests (the rollback records live there): never the user's ~/.config. */
let configHome: string | undefined;

export async function runKeyhold(argv: string[], options: { stdin?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  stdin.end(options.stdin ?? '');
  const code = await runCli(
    argv,
    {
      stdin,
      stdout,
      stderr,
      env: { XDG_CONFIG_HOME: (configHome ??= mkdtempSync(join(tmpdir(), 'keyhold-cli-config-'))), ...(options.env ?? {}) },
    },
    allCommands,
  );
  return { code, stdout: out, stderr: err, json: <T>() => JSON.parse(out) as T };
}
