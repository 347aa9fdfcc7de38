import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { runKeyhold } from './harness.testkit';

/** The real `keyhold` entry (main/cli.ts under tsx); stdin gets `input`, and stays open unless `end`. */
function keyholdProcess(args: string[], input: string, end: boolean): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, XDG_CACHE_HOME: mkdtempSync(join(tmpdir(), 'keyhold-cli-cache-')) };
    delete env.KEYHOLD_PASSWORD;
    const p = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '..', 'cli.ts'), ...args], { env, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    p.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, stdout, stderr }));
    p.stdin.write(input);
    if (end) p.stdin.end();
  });
}

const FLOOR = ['--kdf-memory', '64', '--kdf-iterations', '3', '--kdf-parallelism', '4'];
const PW = 'early unlock master password';

describe('the KDF head start of `keyhold` (early-unlock.ts)', () => {
  let dir: string;
  let vault: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'keyhold-cli-early-'));
    vault = join(dir, 'v.keyhold');
    const env = { KEYHOLD_PASSWORD: PW };
    expect((await runKeyhold(['--vault', vault, '--password-stdin', 'init', ...FLOOR], { stdin: `${PW}\n` })).code).toBe(0);
    expect((await runKeyhold(['--vault', vault, 'workspace', 'add', '--provider', 'local', '--name', 'ops'], { env })).code).toBe(0);
    const added = await runKeyhold(
      ['--vault', vault, 'key', 'add', '--workspace', 'ops', '--kind', 'api_key', '--name', 'deploy', '--secret-stdin'],
      { env, stdin: 'the-deploy-secret\n' },
    );
    expect(added.code, added.stderr).toBe(0);
  });

  it('key list with --password-stdin uses the key derived ahead and prints the keys, never the password', async () => {
    const run = await runKeyhold(['--vault', vault, '--json', '--password-stdin', 'key', 'list'], { stdin: `${PW}\n`, early: true });
    expect(run.code, run.stderr).toBe(0);
    expect(run.early?.used).toBe(true);
    expect(run.json<Array<{ name: string }>>().map((k) => k.name)).toEqual(['deploy']);
    expect(run.stdout + run.stderr).not.toContain(PW);
    expect(run.stdout + run.stderr).not.toContain('the-deploy-secret');
  });

  it('the global options after the command and $KEYHOLD_PASSWORD start it too', async () => {
    const run = await runKeyhold(['key', 'show', 'deploy', `--vault=${vault}`], { env: { KEYHOLD_PASSWORD: PW }, early: true });
    expect(run.code, run.stderr).toBe(0);
    expect(run.early?.used).toBe(true);
    expect(run.stdout).toContain('name:        deploy');
  });

  it('a wrong password through the head start is WRONG_PASSWORD (exit 2) with the usual message, and is never printed', async () => {
    const wrong = 'not the master password';
    const run = await runKeyhold(['--vault', vault, '--password-stdin', 'key', 'list'], { stdin: `${wrong}\n`, early: true });
    expect(run.early?.used).toBe(true);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('keyhold: The master password is wrong. (WRONG_PASSWORD)\n');
    expect(run.stdout).toBe('');
    const json = await runKeyhold(['--vault', vault, '--json', '--password-stdin', 'key', 'list'], { stdin: `${wrong}\n`, early: true });
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stderr)).toEqual({ error: { code: 'WRONG_PASSWORD', message: 'The master password is wrong.' } });
    expect(json.stderr).not.toContain(wrong);
  });

  it('a key derived from another password than the one the command reads is dropped: the command derives its own', async () => {
    const run = await runKeyhold(['--vault', vault, '--json', 'key', 'list'], {
      env: { KEYHOLD_PASSWORD: PW },
      early: { argv: ['--vault', vault, 'key', 'list'], env: { KEYHOLD_PASSWORD: 'a guess that is wrong' } },
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.early?.used).toBe(false);
    expect(run.json<unknown[]>()).toHaveLength(1);
  });

  it('a head start that waits on a stdin the command does not read never holds the command up', async () => {
    const run = await runKeyhold(['--vault', vault, '--json', 'key', 'list'], {
      env: { KEYHOLD_PASSWORD: PW },
      stdin: 'not a password, and no end of input',
      stdinOpen: true,
      early: { argv: ['--vault', vault, '--password-stdin', 'key', 'list'] },
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.early?.used).toBe(false);
    expect(run.json<unknown[]>()).toHaveLength(1);
  });

  it('no vault at the path: nothing starts, and the command reports NOT_FOUND (exit 3) as before', async () => {
    const missing = join(dir, 'missing.keyhold');
    const run = await runKeyhold(['--vault', missing, '--password-stdin', 'key', 'list'], { stdin: `${PW}\n`, early: true });
    expect(run.early).toBeUndefined();
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('NOT_FOUND');
  });

  it('a file that is not a vault, or an SQLite file without a header: nothing starts, and the command reports INTEGRITY (exit 4)', async () => {
    const junk = join(dir, 'junk.keyhold');
    writeFileSync(junk, 'this is not SQLite at all, just text');
    const other = join(dir, 'other.keyhold');
    const db = new Database(other);
    db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)');
    db.close();
    for (const path of [junk, other]) {
      const run = await runKeyhold(['--vault', path, '--json', '--password-stdin', 'key', 'list'], { stdin: `${PW}\n`, early: true });
      expect(run.early).toBeUndefined();
      expect(run.code).toBe(4);
      expect(JSON.parse(run.stderr)).toMatchObject({ error: { code: 'INTEGRITY' } });
      expect(run.stderr).not.toContain(PW);
    }
  });

  it('a header asking for a KDF beyond the limits starts nothing (it would run before any check)', async () => {
    const copy = join(dir, 'hostile.keyhold');
    const src = new Database(vault, { readonly: true });
    await src.backup(copy);
    src.close();
    const db = new Database(copy);
    const row = db.prepare('SELECT kdf FROM header WHERE id = 1').get() as { kdf: string };
    db.prepare('UPDATE header SET kdf = ? WHERE id = 1').run(JSON.stringify({ ...JSON.parse(row.kdf), memoryKiB: 2 ** 40 }));
    db.close();
    const run = await runKeyhold(['--vault', copy, '--json', '--password-stdin', 'key', 'list'], { stdin: `${PW}\n`, early: true });
    expect(run.early).toBeUndefined();
    expect(run.code).toBe(4);
    expect(JSON.parse(run.stderr)).toMatchObject({ error: { code: 'INTEGRITY' } });
  });

  it('commands that do not begin by opening the vault, help and a prompt start nothing', async () => {
    for (const argv of [
      ['--vault', vault, '--password-stdin', 'key', 'rm', 'no-such-key'],
      ['--vault', vault, '--password-stdin', 'key', 'list', '--help'],
      ['--vault', vault, 'key', 'list'],
    ]) {
      const run = await runKeyhold(argv, { stdin: `${PW}\n`, early: { argv } });
      expect(run.early, argv.join(' ')).toBeUndefined();
    }
  });

  it('the real entry: a piped password lists the keys; a wrong one is WRONG_PASSWORD (exit 2) and is never printed', async () => {
    const ok = await keyholdProcess(['--vault', vault, '--json', '--password-stdin', 'key', 'list'], `${PW}\n`, true);
    expect(ok.code, ok.stderr).toBe(0);
    expect((JSON.parse(ok.stdout) as Array<{ name: string }>).map((k) => k.name)).toEqual(['deploy']);
    const wrong = await keyholdProcess(['--vault', vault, '--json', '--password-stdin', 'key', 'list'], 'not it\n', true);
    expect(wrong.code).toBe(2);
    expect(JSON.parse(wrong.stderr)).toEqual({ error: { code: 'WRONG_PASSWORD', message: 'The master password is wrong.' } });
    expect(wrong.stdout + wrong.stderr).not.toContain('not it');
  }, 60_000);

  it('the real entry ends when its command fails before reading a stdin that stays open', async () => {
    // a usage error after the head start began reading stdin: the open pipe must not hold the process
    const r = await keyholdProcess(['--vault', vault, '--password-stdin', 'key', 'list', '--limit', 'many'], PW, false);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--limit takes a whole number');
    expect(r.stderr).not.toContain(PW);
  }, 60_000);
});
