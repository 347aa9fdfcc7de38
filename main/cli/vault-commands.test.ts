import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runKeyhold } from './harness.testkit';
import { FORMAT_VERSION } from '../vault/schema';

const FLOOR = ['--kdf-memory', '64', '--kdf-iterations', '3', '--kdf-parallelism', '4'];
const PW = 'correct horse battery staple';

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'keyhold-cli-'));
}

describe('keyhold init / status / passwd', () => {
  let dir: string;
  let vault: string;
  beforeAll(async () => {
    dir = tmp();
    vault = join(dir, 'v.keyhold');
    const run = await runKeyhold(['--vault', vault, '--json', '--password-stdin', 'init', ...FLOOR], { stdin: `${PW}\n` });
    expect(run.code, run.stderr).toBe(0);
  });

  it('init prints path, format version and the KDF parameters it was given, and writes a 0600 file', async () => {
    const run = await runKeyhold(['--vault', vault, '--json', 'status'], { env: { KEYHOLD_PASSWORD: PW } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.json()).toMatchObject({
      path: vault,
      formatVersion: FORMAT_VERSION,
      kdf: { algorithm: 'argon2id', memoryKiB: 65536, iterations: 3, parallelism: 4 },
      workspaces: 0,
      keys: 0,
    });
    expect(statSync(vault).mode & 0o777).toBe(0o600);
  });

  it('init refuses an existing file with CONFLICT (exit 6) and leaves it alone', async () => {
    const before = readFileSync(vault);
    const run = await runKeyhold(['--vault', vault, '--json', '--password-stdin', 'init', ...FLOOR], { stdin: `${PW}\n` });
    expect(run.code).toBe(6);
    expect(JSON.parse(run.stderr)).toMatchObject({ error: { code: 'CONFLICT' } });
    expect(readFileSync(vault).equals(before)).toBe(true);
  });

  it('init refuses KDF parameters below the floor with USAGE (exit 1)', async () => {
    for (const flags of [
      ['--kdf-memory', '32'],
      ['--kdf-iterations', '2'],
      ['--kdf-memory', 'lots'],
    ]) {
      const run = await runKeyhold(['--vault', join(dir, 'weak.keyhold'), '--json', '--password-stdin', 'init', ...flags], {
        stdin: `${PW}\n`,
      });
      expect(run.code).toBe(1);
      expect(JSON.parse(run.stderr)).toMatchObject({ error: { code: 'USAGE' } });
    }
  });

  it('a wrong master password is WRONG_PASSWORD (exit 2)', async () => {
    const run = await runKeyhold(['--vault', vault, '--json', '--password-stdin', 'status'], { stdin: 'not it\n' });
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stderr)).toMatchObject({ error: { code: 'WRONG_PASSWORD' } });
    expect(run.stderr).not.toContain('not it');
  });

  it('a missing vault is NOT_FOUND (exit 3), found through $KEYHOLD_VAULT too', async () => {
    const run = await runKeyhold(['--json', 'status'], { env: { KEYHOLD_VAULT: join(dir, 'nope.keyhold'), KEYHOLD_PASSWORD: PW } });
    expect(run.code).toBe(3);
    expect(JSON.parse(run.stderr)).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });

  it('a file that is not a vault is INTEGRITY (exit 4)', async () => {
    const junk = join(dir, 'junk.keyhold');
    writeFileSync(junk, 'hello, I am not a vault');
    const run = await runKeyhold(['--vault', junk, '--json', 'status'], { env: { KEYHOLD_PASSWORD: PW } });
    expect(run.code).toBe(4);
    expect(JSON.parse(run.stderr)).toMatchObject({ error: { code: 'INTEGRITY' } });
  });

  it('passwd changes the master password: the old one stops working, the new one opens', async () => {
    const v2 = join(dir, 'pw.keyhold');
    expect((await runKeyhold(['--vault', v2, '--password-stdin', 'init', ...FLOOR], { stdin: `${PW}\n` })).code).toBe(0);
    const run = await runKeyhold(['--vault', v2, '--json', '--password-stdin', 'passwd', '--new-password-stdin'], {
      stdin: `${PW}\nnew secret words\n`,
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.json()).toEqual({ changed: true });
    expect((await runKeyhold(['--vault', v2, '--password-stdin', 'status'], { stdin: `${PW}\n` })).code).toBe(2);
    const ok = await runKeyhold(['--vault', v2, '--json', '--password-stdin', 'status'], { stdin: 'new secret words\n' });
    expect(ok.code).toBe(0);
    const audit = await runKeyhold(['--vault', v2, '--json', '--password-stdin', 'audit'], { stdin: 'new secret words\n' });
    expect(audit.json<Array<{ action: string }>>().map((e) => e.action)).toContain('password_changed');
  });

  it('passwd without the new password on stdin is USAGE', async () => {
    const run = await runKeyhold(['--vault', vault, '--json', '--password-stdin', 'passwd', '--new-password-stdin'], { stdin: `${PW}\n` });
    expect(run.code).toBe(1);
  });
});

describe('keyhold workspace / env / key', () => {
  let vault: string;
  const env = () => ({ KEYHOLD_PASSWORD: PW, KEYHOLD_VAULT: vault });
  const kh = (argv: string[], stdin?: string) => runKeyhold(['--json', ...argv], { env: env(), stdin });

  beforeAll(async () => {
    vault = join(tmp(), 'keys.keyhold');
    expect((await kh(['init', ...FLOOR])).code).toBe(0);
  });

  it('adds, lists and removes workspaces and environments; a duplicate name is CONFLICT', async () => {
    const ws = await kh(['workspace', 'add', '--provider', 'rancher', '--name', 'Rancher prod', '--url', 'https://rancher.example.com']);
    expect(ws.code, ws.stderr).toBe(0);
    expect(ws.json()).toMatchObject({ name: 'Rancher prod', provider: 'rancher', url: 'https://rancher.example.com' });
    const dup = await kh(['workspace', 'add', '--provider', 'local', '--name', 'rancher PROD']);
    expect(dup.code).toBe(6);
    const bad = await kh(['workspace', 'add', '--provider', 'gitlab', '--name', 'x']);
    expect(bad.code).toBe(1);
    const e = await kh(['env', 'add', '--workspace', 'Rancher prod', '--name', 'Default', '--remote-id', '1a5']);
    expect(e.code, e.stderr).toBe(0);
    expect(e.json()).toMatchObject({ name: 'Default', workspace: 'Rancher prod', remoteId: '1a5' });
    expect((await kh(['env', 'add', '--workspace', 'Rancher prod', '--name', 'default'])).code).toBe(6);
    expect((await kh(['env', 'add', '--workspace', 'nowhere', '--name', 'x'])).code).toBe(3);
    const envs = await kh(['env', 'list', '--workspace', 'Rancher prod']);
    expect(envs.json<Array<{ name: string }>>().map((x) => x.name)).toEqual(['Default']);
    const tmpWs = await kh(['workspace', 'add', '--provider', 'local', '--name', 'scratch']);
    expect((await kh(['env', 'add', '--workspace', 'scratch', '--name', 'tmp'])).code).toBe(0);
    const rm = await kh(['workspace', 'rm', 'scratch']);
    expect(rm.code, rm.stderr).toBe(0);
    expect(rm.json()).toEqual({ removed: tmpWs.json<{ id: string }>().id });
    const list = await kh(['workspace', 'list']);
    expect(list.json<Array<{ name: string }>>().map((w) => w.name)).toEqual(['Rancher prod']);
    expect((await kh(['env', 'list'])).json<unknown[]>()).toHaveLength(1);
    expect((await kh(['workspace', 'rm', 'scratch'])).code).toBe(3);
  });

  it('key add / list / show / edit / history / rm, with the secret only on --reveal', async () => {
    const add = await kh(
      [
        'key',
        'add',
        '--workspace',
        'Rancher prod',
        '--env',
        'Default',
        '--kind',
        'access_key_pair',
        '--name',
        'CI deploy',
        '--description',
        'pipeline',
        '--public',
        'AKIA123',
        '--secret-stdin',
      ],
      'sk-very-secret\n',
    );
    expect(add.code, add.stderr).toBe(0);
    expect(add.stdout).not.toContain('sk-very-secret');
    const id = add.json<{ id: string }>().id;
    const list = await kh(['key', 'list', '--search', 'deploy']);
    expect(list.code).toBe(0);
    expect(list.stdout).not.toContain('sk-very-secret');
    const items = list.json<Array<Record<string, unknown>>>();
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      id,
      workspace: 'Rancher prod',
      environment: 'Default',
      kind: 'access_key_pair',
      name: 'CI deploy',
      description: 'pipeline',
      state: 'active',
      public: 'AKIA123',
      fingerprint: null,
      rotatedAt: null,
    });
    expect(typeof items[0]!.createdAt).toBe('string');
    expect((await kh(['key', 'list', '--search', 'nothing-like-it'])).json()).toEqual([]);
    expect((await kh(['key', 'list', '--kind', 'api_key'])).json()).toEqual([]);
    expect((await kh(['key', 'list', '--kind', 'bogus'])).code).toBe(1);

    const show = await kh(['key', 'show', id]);
    expect(show.json()).not.toHaveProperty('secret');
    const reveal = await kh(['key', 'show', id, '--reveal']);
    expect(reveal.json()).toMatchObject({ id, secret: 'sk-very-secret', flags: {}, role: null });

    const edit = await kh(['key', 'edit', id, '--name', 'CI deploy (old)']);
    expect(edit.json()).toMatchObject({ name: 'CI deploy (old)' });
    expect((await kh(['key', 'edit', id])).code).toBe(1);

    const hist = await kh(['key', 'history', id]);
    const h = hist.json<{ versions: Array<{ version: number; current: boolean }>; events: Array<{ action: string; detail: string }> }>();
    expect(h.versions).toEqual([expect.objectContaining({ version: 1, current: true })]);
    expect(h.events.map((e) => e.action)).toEqual(['created', 'revealed', 'edited']);
    expect(JSON.stringify(h)).not.toContain('sk-very-secret');

    expect((await kh(['workspace', 'rm', 'Rancher prod'])).code).toBe(6); // still holds a key
    expect((await kh(['key', 'rm', id])).json()).toEqual({ removed: id });
    expect((await kh(['key', 'show', id])).code).toBe(3);
    expect((await kh(['key', 'rm', id])).code).toBe(3);

    const audit = await kh(['audit', '--verify']);
    expect(audit.code, audit.stderr).toBe(0);
    expect(audit.json()).toMatchObject({ ok: true });
  });

  it('refuses an empty name or secret with INVALID_INPUT and keeps huge and Unicode values intact', async () => {
    expect((await kh(['key', 'add', '--workspace', 'Rancher prod', '--kind', 'api_key', '--name', '  '])).code).toBe(7);
    expect((await kh(['key', 'add', '--workspace', 'Rancher prod', '--kind', 'api_key', '--name', 'x', '--secret-stdin'], '\n')).code).toBe(
      7,
    );
    const big = 'λ🔑'.repeat((1024 * 1024) / 6) + 'end';
    const name = 'ключ 🔑 \u202e émoji ✓ 名前';
    const add = await kh(['key', 'add', '--workspace', 'Rancher prod', '--kind', 'api_key', '--name', name, '--secret-stdin'], `${big}\n`);
    expect(add.code, add.stderr).toBe(0);
    const id = add.json<{ id: string }>().id;
    const shown = await kh(['key', 'show', id, '--reveal']);
    expect(shown.json()).toMatchObject({ name, secret: big });
    expect((await kh(['key', 'list', '--search', '🔑'])).json<unknown[]>()).toHaveLength(1);
  });
});

describe('keyhold backup / restore', () => {
  it('round-trips a vault through an encrypted backup into a new vault file, and refuses what it must', async () => {
    const dir = tmp();
    const src = join(dir, 'src.keyhold');
    const kh = (argv: string[], stdin?: string, vault = src, pw = PW) =>
      runKeyhold(['--json', '--vault', vault, ...argv], { env: { KEYHOLD_PASSWORD: pw }, stdin });
    expect((await kh(['init', ...FLOOR])).code).toBe(0);
    expect((await kh(['workspace', 'add', '--provider', 'syncano', '--name', 'Syncano'])).code).toBe(0);
    const key = await kh(
      ['key', 'add', '--workspace', 'Syncano', '--kind', 'api_key', '--name', 'reader', '--secret-stdin'],
      'api-secret-1\n',
    );
    const id = key.json<{ id: string }>().id;

    const out = join(dir, 'backup.khb');
    const b = await kh(['backup', '--out', out, '--passphrase-stdin'], 'backup pass\n');
    expect(b.code, b.stderr).toBe(0);
    expect(b.json()).toMatchObject({ path: out, keys: 1 });
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(readFileSync(out).includes(Buffer.from('api-secret-1'))).toBe(false);
    expect(readFileSync(out).includes(Buffer.from('reader'))).toBe(false);
    expect((await kh(['backup', '--out', out, '--passphrase-stdin'], 'backup pass\n')).code).toBe(6);
    expect((await kh(['backup', '--out', out, '--passphrase-stdin', '--force'], 'backup pass\n')).code).toBe(0);

    const dst = join(dir, 'restored.keyhold');
    // the master password of the new vault comes first on stdin, then the passphrase
    const wrong = await runKeyhold(['--json', '--vault', dst, '--password-stdin', 'restore', out, '--passphrase-stdin', ...FLOOR], {
      stdin: 'new master\nwrong pass\n',
    });
    expect(wrong.code).toBe(2);
    const r = await runKeyhold(['--json', '--vault', dst, '--password-stdin', 'restore', out, '--passphrase-stdin', ...FLOOR], {
      stdin: 'new master\nbackup pass\n',
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ path: dst, keys: 1, workspaces: 1 });
    const shown = await kh(['key', 'show', id, '--reveal'], undefined, dst, 'new master');
    expect(shown.json()).toMatchObject({ id, name: 'reader', workspace: 'Syncano', secret: 'api-secret-1' });
    expect((await kh(['audit', '--verify'], undefined, dst, 'new master')).code).toBe(0);
    const again = await runKeyhold(['--json', '--vault', dst, '--password-stdin', 'restore', out, '--passphrase-stdin', ...FLOOR], {
      stdin: 'new master\nbackup pass\n',
    });
    expect(again.code).toBe(6);

    const damaged = readFileSync(out);
    damaged[Math.floor(damaged.length / 2)]! ^= 0x01;
    const bad = join(dir, 'damaged.khb');
    writeFileSync(bad, damaged);
    const d = await runKeyhold(
      ['--json', '--vault', join(dir, 'x.keyhold'), '--password-stdin', 'restore', bad, '--passphrase-stdin', ...FLOOR],
      { stdin: 'new master\nbackup pass\n' },
    );
    expect(d.code).toBe(4);
    const missing = await runKeyhold(
      ['--json', '--vault', join(dir, 'y.keyhold'), '--password-stdin', 'restore', join(dir, 'none.khb'), '--passphrase-stdin'],
      { stdin: 'a\nb\n' },
    );
    expect(missing.code).toBe(3);
  });
});
