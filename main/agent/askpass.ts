// Confirmation for the CLI agent as ssh-agent does it for keys added with `ssh-add -c`: run
// $SSH_ASKPASS with the question as its argument and SSH_ASKPASS_PROMPT=confirm (a yes/no dialog
// rather than a passphrase field); exit status 0 approves. No askpass program, a failure to run
// it, or no answer in time all refuse.
import { spawn } from 'node:child_process';
import type { ApprovalRequest } from './policy';

const DEFAULT_TIMEOUT_MS = 60_000;

/** The question shown, on one line per fact; every fact is from our side or sanitized. */
export function confirmPrompt(req: ApprovalRequest): string {
  const clean = (s: string) => s.replace(/[\x00-\x1f\x7f]+/g, ' ').slice(0, 200);
  const lines = [`Allow use of key ${clean(req.comment || '(no comment)')}?`, `Key fingerprint ${req.keyFingerprint}.`];
  if (req.program) lines.push(`Program: ${clean(req.program)}`);
  if (req.host) lines.push(`Host: ${clean(req.host)}${req.forwarded ? ' (through a forwarded agent)' : ''}`);
  else if (req.forwarded) lines.push('Through a forwarded agent.');
  return lines.join('\n');
}

export function askpassApprover(
  opts: { askpass?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): (req: ApprovalRequest) => Promise<boolean> {
  const env = opts.env ?? process.env;
  return (req) => {
    const program = opts.askpass ?? env.SSH_ASKPASS;
    if (!program) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      let done = false;
      const finish = (ok: boolean): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve(ok);
      };
      const child = spawn(program, [confirmPrompt(req)], {
        env: { ...env, SSH_ASKPASS_PROMPT: 'confirm' },
        stdio: ['ignore', 'ignore', 'ignore'],
      });
      const timer = setTimeout(() => {
        child.kill('SIGTERM');
        finish(false);
      }, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
      child.once('error', () => finish(false));
      child.once('exit', (code) => finish(code === 0));
    });
  };
}
