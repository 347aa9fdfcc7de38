// Runs crash.testkit.ts in a child process that SIGKILLs itself at one point of the rotation journal,
// for the kill -9 tests of every strategy.
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..', '..');

export interface DriverRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Rotates `ids` in a child and kills it with SIGKILL right after `point` (e.g. 'stored' or 'stored@2'). */
export function runCrashDriver(vaultPath: string, password: string, point: string, ids: string[]): Promise<DriverRun> {
  return new Promise((done) => {
    const child = spawn(
      join(ROOT, 'node_modules', '.bin', 'tsx'),
      [join(__dirname, 'crash.testkit.ts'), vaultPath, password, point, ...ids],
      {
        cwd: ROOT,
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code, signal) => done({ code, signal, stdout, stderr }));
  });
}

/** tsx runs the script in a child of its own and relays a SIGKILL as exit code 137 */
export function killed(run: DriverRun): boolean {
  if (run.signal === 'SIGKILL' || run.code === 137) return true;
  throw new Error(`driver was not killed: code ${run.code}, ${run.stdout} ${run.stderr}`.slice(0, 500));
}
