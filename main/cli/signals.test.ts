// The real `keyhold` process: a closed pipe and Ctrl-C, in a shell and in a pseudo-terminal.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { removeTempFilesNow, writeFileAtomic, type AtomicFs } from '../export/atomic-file';
import { bulkAddKeys } from '../service/keys';
import { TEST_PASSWORD, newTestVault } from '../vault/test-vault.testkit';

const ROOT = join(__dirname, '..', '..');
const CLI = join(__dirname, '..', 'cli.ts');
const KEYHOLD = `'${process.execPath}' --import tsx '${CLI}'`;

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
  onStdout?: (all: string, write: (s: string) => void) => void,
): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const fullEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
    // no password in the environment: keyhold must prompt
    if (env.KEYHOLD_PASSWORD === undefined) delete fullEnv.KEYHOLD_PASSWORD;
    const p = spawn(cmd, args, { cwd: ROOT, env: fullEnv, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      onStdout?.(stdout, (s) => p.stdin.write(s));
    });
    p.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('keyhold as a real process: pipes and signals', () => {
  let dir: string;
  let vault: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'keyhold-signals-'));
    const made = await newTestVault(dir);
    vault = made.path;
    // enough keys that the listing is larger than a pipe's buffer
    await bulkAddKeys(
      made.session,
      Array.from({ length: 3000 }, (_, i) => ({
        kind: 'api_key' as const,
        name: `key-${String(i).padStart(5, '0')}-with-a-longer-name`,
        secret: `s${i}`,
      })),
    );
    made.session.lock();
  }, 60_000);

  it('`keyhold key list | head -1` prints one line and ends quietly with 141 (SIGPIPE status)', async () => {
    const r = await run('bash', ['-c', `${KEYHOLD} --vault '${vault}' key list | head -1; echo "status=\${PIPESTATUS[0]}"`], {
      KEYHOLD_PASSWORD: TEST_PASSWORD,
    });
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/key-00000-with-a-longer-name$/);
    expect(lines[1]).toBe('status=141');
    expect(r.stderr).toBe('');
  }, 60_000);

  it('Ctrl-C at the password prompt restores the terminal and exits 130', async () => {
    // a real pty (script(1)); after keyhold ends, stty reports whether echo is back on
    const inner = `${KEYHOLD} --vault '${vault}' key list; echo "status=$?"; stty -a`;
    let sent = false;
    const r = await run('script', ['-qefc', inner, '/dev/null'], {}, (all, write) => {
      if (!sent && all.includes('Master password:')) {
        sent = true;
        write('\x03');
      }
    });
    expect(sent).toBe(true);
    expect(r.stdout).toContain('status=130');
    expect(r.stdout).toMatch(/(^|\s)echo(\s|$)/m);
    expect(r.stdout).toMatch(/(^|\s)icanon(\s|$)/m);
    expect(r.stdout).not.toMatch(/at .*\.ts:\d+/);
  }, 60_000);

  it('SIGINT sent to the process at the prompt restores the terminal and exits 130', async () => {
    // the prompt is the sign that keyhold is up and waiting: then the signal, from outside
    const marker = join(dir, 'pid');
    const inner = `sh -c "echo \\$$ > '${marker}'; exec ${KEYHOLD.replace(/'/g, '')} --vault ${vault} key list"; echo "status=$?"; stty -a`;
    let sent = false;
    const r = await run('script', ['-qefc', inner, '/dev/null'], {}, (all) => {
      if (!sent && all.includes('Master password:')) {
        sent = true;
        process.kill(Number(readFileSync(marker, 'utf8').trim()), 'SIGINT');
      }
    });
    expect(sent).toBe(true);
    expect(r.stdout).toContain('status=130');
    expect(r.stdout).toMatch(/(^|\s)echo(\s|$)/m);
  }, 60_000);

  it('an interrupted atomic write leaves neither the target nor its temp file', async () => {
    const target = join(dir, 'secret.conf');
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let atRename!: () => void;
    const reached = new Promise<void>((r) => (atRename = r));
    const slowFs: AtomicFs = {
      ...fsp,
      rename: async (a, b) => {
        atRename();
        await held;
        return fsp.rename(a, b);
      },
    };
    const writing = writeFileAtomic(target, 'secret=1\n', { overwrite: true, fs: slowFs });
    await reached;
    // the temp file is complete and waiting to be renamed: what SIGINT's handler removes
    expect(readdirSync(dir).some((f) => f.startsWith('.secret.conf.keyhold-'))).toBe(true);
    removeTempFilesNow();
    expect(readdirSync(dir).some((f) => f.startsWith('.secret.conf.keyhold-'))).toBe(false);
    release();
    await expect(writing).rejects.toThrow();
    expect(existsSync(target)).toBe(false);
  });
});
