// Running the real OpenSSH clients against an agent that lives in the test's own process: always
// asynchronously (a synchronous exec would block the very event loop that must answer them).
import { execFile } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireBinary } from '../keys/openssh-tools.testkit';

export const SSH_ADD = '/usr/bin/ssh-add';

export interface RunResult {
  status: number;
  stdout: string;
  stderr: string;
}

export function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, input?: string): Promise<RunResult> {
  requireBinary(cmd);
  return new Promise((resolve) => {
    const child = execFile(cmd, args, { encoding: 'utf8', env, timeout: 30_000 }, (err, stdout, stderr) => {
      const code = err && typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : err ? -1 : 0;
      resolve({ status: code, stdout, stderr });
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** An askpass program that records its prompt and environment, then exits with `status`. */
export function askpassScript(dir: string, name: string, status: number): { path: string; log: string } {
  const path = join(dir, name);
  const log = join(dir, `${name}.log`);
  writeFileSync(path, `#!/bin/sh\nprintf '%s\\n%s\\n' "$SSH_ASKPASS_PROMPT" "$1" >> '${log}'\nexit ${status}\n`);
  chmodSync(path, 0o700);
  return { path, log };
}

/** `ssh` with only the agent key matching `pubPath`, checking the host against `knownHosts`. */
export function sshArgs(opts: {
  port: number;
  pubPath: string;
  knownHosts: string;
  user: string;
  command: string;
  forwardAgent?: boolean;
}): string[] {
  return [
    '-F',
    '/dev/null',
    '-o',
    'IdentitiesOnly=yes',
    '-i',
    opts.pubPath,
    '-o',
    `UserKnownHostsFile=${opts.knownHosts}`,
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    'BatchMode=yes',
    '-o',
    'PasswordAuthentication=no',
    '-o',
    'ConnectTimeout=10',
    ...(opts.forwardAgent ? ['-A'] : ['-a']),
    '-p',
    String(opts.port),
    `${opts.user}@127.0.0.1`,
    opts.command,
  ];
}
