// Test-only helpers that run the real OpenSSH binaries (ssh-keygen, ssh, sshd) in temp folders.
// Missing binaries make the calling test fail: interop is never skipped silently.
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const SSH_KEYGEN = '/usr/bin/ssh-keygen';
export const SSH = '/usr/bin/ssh';
export const SSHD = '/usr/sbin/sshd';
const SSHD_PRIVSEP_DIR = '/run/sshd';

export function requireBinary(path: string): void {
  if (!existsSync(path)) throw new Error(`${path} is missing: the OpenSSH interop tests need openssh-client and openssh-server`);
}

export function makeTempDir(prefix = 'keyhold-keys-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs ssh-keygen and gives its stdout; a failure throws with its stderr. */
export function sshKeygen(args: string[], input?: string): string {
  requireBinary(SSH_KEYGEN);
  return execFileSync(SSH_KEYGEN, args, { encoding: 'utf8', input: input ?? '', stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Like sshKeygen, but gives the exit status and stderr instead of throwing. */
export function sshKeygenResult(args: string[]): { status: number; stdout: string; stderr: string } {
  requireBinary(SSH_KEYGEN);
  try {
    return { status: 0, stdout: execFileSync(SSH_KEYGEN, args, { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] }), stderr: '' };
  } catch (e) {
    const err = e as { status?: number; stdout?: string; stderr?: string };
    return { status: err.status ?? -1, stdout: String(err.stdout ?? ''), stderr: String(err.stderr ?? '') };
  }
}

/** `ssh-keygen -t TYPE` into dir/name (and name.pub); returns the private key path. */
export function keygen(
  dir: string,
  name: string,
  type: string,
  opts: { passphrase?: string; comment?: string; bits?: number } = {},
): string {
  const path = join(dir, name);
  const args = ['-q', '-t', type, '-N', opts.passphrase ?? '', '-C', opts.comment ?? '', '-f', path];
  if (opts.bits) args.push('-b', String(opts.bits));
  sshKeygen(args);
  return path;
}

export function writeKeyFile(dir: string, name: string, text: string, mode = 0o600): string {
  const path = join(dir, name);
  writeFileSync(path, text, { mode });
  return path;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface Sshd {
  port: number;
  stop: () => Promise<void>;
}

/** A real sshd on 127.0.0.1 with its own config, host key and authorized_keys, in `dir`. */
export async function startSshd(dir: string, authorizedKeys: string): Promise<Sshd> {
  requireBinary(SSHD);
  // sshd started as root insists on its privilege-separation folder, which Debian's init script
  // makes at boot (mkdir -p /run/sshd) and a container never booted does not have
  if (process.getuid?.() === 0) mkdirSync(SSHD_PRIVSEP_DIR, { recursive: true, mode: 0o755 });
  const hostKey = keygen(dir, 'ssh_host_ed25519_key', 'ed25519');
  const authorized = writeKeyFile(dir, 'authorized_keys', authorizedKeys, 0o600);
  const port = await freePort();
  const config = join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey}`,
      `AuthorizedKeysFile ${authorized}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      'PermitRootLogin yes', // the test runs as the current user, root on CI
      'StrictModes no', // the temp folder is not owned the way sshd wants home folders
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PubkeyAuthentication yes',
      'UsePAM no',
      'LogLevel VERBOSE',
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (c: Buffer) => (log += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // sshd is ready once it logs that it listens
  const deadline = Date.now() + 10_000;
  while (!/Server listening on 127\.0\.0\.1 port/.test(log)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`sshd did not start: ${log}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** `ssh -i key ... root@127.0.0.1 echo ok` in batch mode; gives the exit status and output. */
export async function sshLogin(port: number, keyPath: string, user: string): Promise<{ status: number; stdout: string; stderr: string }> {
  requireBinary(SSH);
  const args = [
    '-i',
    keyPath,
    '-o',
    'IdentitiesOnly=yes',
    '-o',
    'StrictHostKeyChecking=no',
    '-o',
    'UserKnownHostsFile=/dev/null',
    '-o',
    'BatchMode=yes',
    '-o',
    'ConnectTimeout=10',
    '-F',
    '/dev/null',
    '-p',
    String(port),
    `${user}@127.0.0.1`,
    'echo ok',
  ];
  try {
    const { stdout, stderr } = await promisify(execFile)(SSH, args, { encoding: 'utf8', timeout: 20_000 });
    return { status: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { status: typeof err.code === 'number' ? err.code : -1, stdout: String(err.stdout ?? ''), stderr: String(err.stderr ?? '') };
  }
}
