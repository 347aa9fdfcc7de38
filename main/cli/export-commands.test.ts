import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'dotenv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBasicAuthServer, type BasicAuthServer } from '../export/basic-auth-server.testkit';
import { createVault, openVault } from '../vault';
import { PASSWORD_ENV_WARNING } from './export-commands';
import { runKeyhold } from './harness.testkit';

const run = promisify(execFile);
const KDF = { memoryKiB: 65536, iterations: 3, parallelism: 1 };
const PASSWORD = 'correct horse';
const ACCESS = 'AK0123456789';
const SECRET = 's3cr3t with \'quotes\' "and" #hash $HOME';
const API_KEY = 'apikey-abcdef0123';

let dir: string;
let vaultPath: string;
let server: BasicAuthServer;
let pairId: string;
let apiId: string;
const env = () => ({ KEYHOLD_PASSWORD: PASSWORD });

beforeAll(async () => {
  server = await startBasicAuthServer(ACCESS, SECRET);
  dir = mkdtempSync(join(tmpdir(), 'kh-export-cli-'));
  vaultPath = join(dir, 'vault.keyhold');
  const s = await createVault(vaultPath, PASSWORD, { kdf: KDF });
  const ws = s.addWorkspace({ name: 'rancher', provider: 'rancher', url: server.url });
  pairId = s.addKey({ workspaceId: ws.id, kind: 'access_key_pair', name: 'rancher admin', publicPart: ACCESS, secret: SECRET }).id;
  apiId = s.addKey({ kind: 'api_key', name: 'Syncano CI', secret: API_KEY }).id;
  s.lock();
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

async function exportedDetails(): Promise<string[]> {
  const s = await openVault(vaultPath, PASSWORD);
  try {
    return s
      .listAudit()
      .filter((e) => e.action === 'exported')
      .map((e) => e.detail);
  } finally {
    s.lock();
  }
}

describe('keyhold netrc', () => {
  it('merges into --out, prints what changed, and curl is then authorized', async () => {
    const out = join(dir, 'netrc');
    writeFileSync(out, 'default login anonymous password guest\n');
    const r = await runKeyhold(['--vault', vaultPath, '--json', 'netrc', pairId, '--out', out], { env: env() });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({
      path: out,
      backupPath: `${out}.bak`,
      changes: [{ keyId: pairId, machine: '127.0.0.1', login: ACCESS, change: 'added' }],
    });
    expect(r.stdout).not.toContain('s3cr3t');
    expect(readFileSync(out, 'utf8')).toMatch(
      /^machine 127\.0\.0\.1 login AK0123456789 password ".*"\ndefault login anonymous password guest\n$/,
    );
    const { stdout } = await run('curl', ['-s', '--netrc-file', out, server.url]);
    expect(stdout).toBe('authorized');
    const again = await runKeyhold(['--vault', vaultPath, 'netrc', pairId, '--out', out], { env: env() });
    expect(again.stdout).toContain('unchanged');
  });

  it('writes ~/.netrc ($HOME/.netrc) when no --out is given', async () => {
    const home = mkdtempSync(join(dir, 'home-'));
    const r = await runKeyhold(['--vault', vaultPath, 'netrc', pairId], { env: { ...env(), HOME: home } });
    expect(r.code).toBe(0);
    expect(readFileSync(join(home, '.netrc'), 'utf8')).toContain(`machine 127.0.0.1 login ${ACCESS} password`);
    expect(statSync(join(home, '.netrc')).mode & 0o777).toBe(0o600);
  });

  it('--dry-run shows the masked diff and writes nothing', async () => {
    const out = join(dir, 'netrc-dry');
    const r = await runKeyhold(['--vault', vaultPath, 'netrc', pairId, '--out', out, '--dry-run'], { env: env() });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`+machine 127.0.0.1 login ${ACCESS} password ********`);
    expect(r.stdout).not.toContain('s3cr3t');
    expect(readdirSync(dir)).not.toContain('netrc-dry');
  });

  it('an unparsable netrc: exit 7 INVALID_INPUT, file untouched', async () => {
    const out = join(dir, 'bad-netrc');
    writeFileSync(out, 'machine a login b password "open\n');
    const r = await runKeyhold(['--vault', vaultPath, '--json', 'netrc', pairId, '--out', out], { env: env() });
    expect(r.code).toBe(7);
    expect(JSON.parse(r.stderr)).toMatchObject({ error: { code: 'INVALID_INPUT' } });
    expect(readFileSync(out, 'utf8')).toBe('machine a login b password "open\n');
  });

  it('a key with only a secret: exit 7 pointing at --login', async () => {
    const r = await runKeyhold(['--vault', vaultPath, 'netrc', apiId, '--out', join(dir, 'n2'), '--host', 'h'], { env: env() });
    expect(r.code).toBe(7);
    expect(r.stderr).toContain('--login');
  });

  it('a wrong master password: exit 2, nothing written', async () => {
    const r = await runKeyhold(['--vault', vaultPath, 'netrc', pairId, '--out', join(dir, 'n3')], { env: { KEYHOLD_PASSWORD: 'wrong' } });
    expect(r.code).toBe(2);
    expect(readdirSync(dir)).not.toContain('n3');
  });
});

describe('keyhold dotenv', () => {
  it('prints .env lines to stdout by default, read back exactly by dotenv', async () => {
    const r = await runKeyhold(['--vault', vaultPath, 'dotenv', apiId, '--prefix', 'X_'], { env: env() });
    expect(r.code).toBe(0);
    expect(parse(r.stdout)).toEqual({ X_SYNCANO_CI: API_KEY });
    expect(await exportedDetails()).toContain('exported to stdout');
  });

  it('refuses a secret that a shell would read differently from dotenv (a \' with $ and "): exit 7, naming the variable only', async () => {
    const r = await runKeyhold(['--vault', vaultPath, 'dotenv', pairId, apiId, '--prefix', 'X_'], { env: env() });
    expect(r.code).toBe(7);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('X_RANCHER_ADMIN_SECRET_KEY');
    expect(r.stderr).not.toContain(SECRET);
  });

  it('writes --out FILE (0600), refuses to overwrite without --force (exit 6), --name sets a name', async () => {
    const out = join(dir, 'app.env');
    const r = await runKeyhold(['--vault', vaultPath, 'dotenv', apiId, '--out', out, '--name', `${apiId}=SYNCANO_API_KEY`], { env: env() });
    expect(r.code).toBe(0);
    expect(parse(readFileSync(out))).toEqual({ SYNCANO_API_KEY: API_KEY });
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const again = await runKeyhold(['--vault', vaultPath, 'dotenv', apiId, '--out', out], { env: env() });
    expect(again.code).toBe(6);
    expect(parse(readFileSync(out))).toEqual({ SYNCANO_API_KEY: API_KEY });
    const forced = await runKeyhold(['--vault', vaultPath, 'dotenv', apiId, '--out', out, '--force'], { env: env() });
    expect(forced.code).toBe(0);
    expect(parse(readFileSync(out))).toEqual({ SYNCANO_CI: API_KEY });
    expect(await exportedDetails()).toContain(`exported to ${resolve(out)}`);
  });

  it('a bad --name is USAGE', async () => {
    const r = await runKeyhold(['--vault', vaultPath, 'dotenv', apiId, '--name', 'nonsense'], { env: env() });
    expect(r.code).toBe(1);
  });
});

describe('keyhold curlrc', () => {
  it('writes a curl config that curl -K authenticates with', async () => {
    const out = join(dir, 'r.curlrc');
    const r = await runKeyhold(['--vault', vaultPath, 'curlrc', pairId, '--out', out], { env: env() });
    expect(r.code).toBe(0);
    const { stdout } = await run('curl', ['-s', '-K', out, server.url]);
    expect(stdout).toBe('authorized');
  });
});

describe('keyhold exec', () => {
  it('runs the command after -- with the secret in its environment only and exits with its code', async () => {
    const r = await runKeyhold(
      [
        '--vault',
        vaultPath,
        'exec',
        '--key',
        `${pairId}=RANCHER_SECRET_KEY`,
        '--public',
        `${pairId}=RANCHER_ACCESS_KEY`,
        '--',
        'sh',
        '-c',
        'printf "%s|%s|%s" "$RANCHER_ACCESS_KEY" "$RANCHER_SECRET_KEY" "${KEYHOLD_PASSWORD-unset}"; exit 3',
      ],
      { env: env() },
    );
    expect(r.stderr).toBe(`${PASSWORD_ENV_WARNING}\n`);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe(`${ACCESS}|${SECRET}|unset`);
    expect(process.env.RANCHER_SECRET_KEY).toBeUndefined();
    expect(Object.values(process.env).some((v) => v?.includes(SECRET))).toBe(false);
    // nothing on disk holds the secret in clear (the vault file is encrypted)
    const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    const withSecret = files.filter(
      (e) => !/\.(curlrc|env)$|netrc/.test(e.name) && readFileSync(join(e.parentPath, e.name)).includes(SECRET),
    );
    expect(withSecret).toEqual([]);
    expect(await exportedDetails()).toContain('exported to exec sh');
  });

  it('passes stdin after --password-stdin on to the command, with no warning', async () => {
    const r = await runKeyhold(
      ['--vault', vaultPath, '--password-stdin', 'exec', '--key', apiId, '--', 'sh', '-c', 'read l; printf "%s:%s" "$l" "$SYNCANO_CI"'],
      {
        stdin: `${PASSWORD}\nhello\n`,
      },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`hello:${API_KEY}`);
  });

  it('without a key is USAGE; an unknown command is NOT_FOUND (exit 3)', async () => {
    expect((await runKeyhold(['--vault', vaultPath, 'exec', '--', 'true'], { env: env() })).code).toBe(1);
    expect((await runKeyhold(['--vault', vaultPath, 'exec', '--key', `${apiId}=T`, '--', join(dir, 'nope')], { env: env() })).code).toBe(3);
  });

  it('as a real process: SIGTERM to keyhold reaches the command, and keyhold exits with its code', async () => {
    const cli = join(__dirname, '..', 'cli.ts');
    // the child sees no KEYHOLD_PASSWORD of its own; our initial environment (its parent's) still
    // holds it, which is what the warning is about
    const script = `test -z "\${KEYHOLD_PASSWORD+set}" || exit 9; tr '\\0' '\\n' < /proc/$PPID/environ | grep -q '^KEYHOLD_PASSWORD=' && echo parent-has-it; trap 'kill $! 2>/dev/null; echo "term:$T"; exit 42' TERM; sleep 30 & echo ready; wait`;
    const proc = spawn(
      process.execPath,
      ['--import', 'tsx', cli, '--vault', vaultPath, 'exec', '--key', `${apiId}=T`, '--', 'sh', '-c', script],
      {
        cwd: join(__dirname, '..', '..'),
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, KEYHOLD_PASSWORD: PASSWORD },
      },
    );
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    proc.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = once(proc, 'exit');
    while (!stdout.includes('ready')) await Promise.race([once(proc.stdout, 'data'), exited]);
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
    const [code] = (await exited) as [number | null];
    clearTimeout(timer);
    expect(stderr).toBe(`${PASSWORD_ENV_WARNING}\n`);
    expect(stderr).not.toContain(PASSWORD);
    expect(code).toBe(42);
    expect(stdout).toBe(`parent-has-it\nready\nterm:${API_KEY}\n`);
  }, 20_000);
});
