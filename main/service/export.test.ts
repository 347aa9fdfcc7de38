import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'dotenv';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startBasicAuthServer, type BasicAuthServer } from '../export/basic-auth-server.testkit';
import { createVault } from '../vault';
import type { KeyRecord, VaultSession } from '../vault/types';
import { execEnv, exportCurlConfig, exportDotenvFile, exportDotenvText, exportNetrc, previewExport } from './export';

const run = promisify(execFile);
const KDF = { memoryKiB: 65536, iterations: 3, parallelism: 1 };
const ACCESS = 'A1B2C3D4E5F6';
const SECRET = 'sEcReT "with" spaces #and\\ $HOME';
const API_KEY = 'syncano-0123456789abcdef';

let dir: string;
let server: BasicAuthServer;
let session: VaultSession;
let pair: KeyRecord;
let apiKey: KeyRecord;
let n = 0;

beforeAll(async () => {
  server = await startBasicAuthServer(ACCESS, SECRET);
});
afterAll(() => server.close());

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kh-export-svc-'));
  session = await createVault(join(dir, `vault${n++}.keyhold`), 'master pw', { kdf: KDF });
  const rancher = session.addWorkspace({ name: 'rancher', provider: 'rancher', url: server.url });
  const syncano = session.addWorkspace({ name: 'syncano', provider: 'syncano', url: 'https://api.syncano.io/v1.1/' });
  pair = session.addKey({ workspaceId: rancher.id, kind: 'access_key_pair', name: 'Rancher admin', publicPart: ACCESS, secret: SECRET });
  apiKey = session.addKey({ workspaceId: syncano.id, kind: 'api_key', name: 'ci token', secret: API_KEY });
});
afterEach(() => {
  session.lock();
  rmSync(dir, { recursive: true, force: true });
});

async function codeOf(p: Promise<unknown> | (() => unknown)): Promise<string> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    return (e as { code?: string }).code ?? 'not a KeyholdError';
  }
  return 'ok';
}

function exportedEvents() {
  return session.listAudit().filter((e) => e.action === 'exported');
}

function auditHoldsNoSecret() {
  const text = JSON.stringify(session.listAudit());
  for (const s of [SECRET, API_KEY]) expect(text).not.toContain(s);
}

describe('netrc export', () => {
  it('merges the key with the workspace host; curl is then authorized; one audit event names the file', async () => {
    const path = join(dir, '.netrc');
    writeFileSync(path, '# mine\nmachine other.example login me password mine\n');
    const r = await exportNetrc(session, { keyIds: [pair.id], path });
    expect(r.changes).toEqual([{ keyId: pair.id, machine: '127.0.0.1', login: ACCESS, change: 'added' }]);
    expect(r.backupPath).toBe(`${path}.bak`);
    const { stdout } = await run('curl', ['-s', '--netrc-file', path, server.url]);
    expect(stdout).toBe('authorized');
    expect(readFileSync(path, 'utf8').startsWith('# mine\nmachine other.example login me password mine\n')).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(exportedEvents().map((e) => [e.keyId, e.detail])).toEqual([[pair.id, `exported to ${path}`]]);
    auditHoldsNoSecret();

    const again = await exportNetrc(session, { keyIds: [pair.id], path });
    expect(again.changes[0]!.change).toBe('unchanged');
    const { stdout: py } = await run('python3', [
      '-c',
      'import netrc,sys; print(netrc.netrc(sys.argv[1]).authenticators("127.0.0.1")[0])',
      path,
    ]);
    expect(py.trim()).toBe(ACCESS);
  });

  it('a key with only a secret needs --login (no made-up login); with one it is written', async () => {
    const path = join(dir, 'netrc');
    expect(await codeOf(exportNetrc(session, { keyIds: [apiKey.id], path }))).toBe('INVALID_INPUT');
    const r = await exportNetrc(session, { keyIds: [apiKey.id], path, login: 'x-api-key', host: 'gh.example' });
    expect(r.changes[0]).toMatchObject({ machine: 'gh.example', login: 'x-api-key', change: 'added' });
    expect(readFileSync(path, 'utf8')).toBe(`machine gh.example login x-api-key password ${API_KEY}\n`);
  });

  it('refuses revoked keys, ssh key pairs, unknown ids, and a key without a workspace URL unless --host', async () => {
    const path = join(dir, 'netrc');
    session.updateKey(pair.id, { state: 'revoked' });
    expect(await codeOf(exportNetrc(session, { keyIds: [pair.id], path }))).toBe('INVALID_INPUT');
    const ssh = session.addKey({ kind: 'ssh_key_pair', name: 'laptop', publicPart: 'ssh-ed25519 AAAA', secret: 'PRIVATE' });
    expect(await codeOf(exportNetrc(session, { keyIds: [ssh.id], path }))).toBe('INVALID_INPUT');
    expect(await codeOf(exportNetrc(session, { keyIds: ['no-such-key'], path }))).toBe('NOT_FOUND');
    const loose = session.addKey({ kind: 'access_key_pair', name: 'loose', publicPart: 'AK', secret: 'SK' });
    expect(await codeOf(exportNetrc(session, { keyIds: [loose.id], path }))).toBe('INVALID_INPUT');
    expect((await exportNetrc(session, { keyIds: [loose.id], path, host: 'h.example' })).changes[0]!.change).toBe('added');
    expect(exportedEvents()).toHaveLength(1);
  });

  it('preview shows the masked diff and writes and audits nothing', async () => {
    const path = join(dir, '.netrc');
    writeFileSync(path, `machine 127.0.0.1 login ${ACCESS} password old-one\n`);
    const p = await previewExport(session, { format: 'netrc', keyIds: [pair.id], path });
    expect(p).toMatchObject({ format: 'netrc', path, exists: true, conflict: false, changes: [{ change: 'updated' }] });
    expect(p.diff).toContain(`-machine 127.0.0.1 login ${ACCESS} password ********`);
    expect(p.diff).toContain(`+machine 127.0.0.1 login ${ACCESS} password ********`);
    expect(JSON.stringify(p)).not.toContain('old-one');
    expect(JSON.stringify(p)).not.toContain('sEcReT');
    expect(readFileSync(path, 'utf8')).toBe(`machine 127.0.0.1 login ${ACCESS} password old-one\n`);
    expect(exportedEvents()).toEqual([]);
  });
});

describe('.env export', () => {
  it('writes NAME=secret and NAME_ACCESS_KEY / NAME_SECRET_KEY, read back exactly by dotenv', async () => {
    const path = join(dir, '.env');
    const r = await exportDotenvFile(session, { keyIds: [pair.id, apiKey.id], path, prefix: 'APP_' });
    expect(r.names).toEqual(['APP_RANCHER_ADMIN_ACCESS_KEY', 'APP_RANCHER_ADMIN_SECRET_KEY', 'APP_CI_TOKEN']);
    expect(parse(readFileSync(path))).toEqual({
      APP_RANCHER_ADMIN_ACCESS_KEY: ACCESS,
      APP_RANCHER_ADMIN_SECRET_KEY: SECRET,
      APP_CI_TOKEN: API_KEY,
    });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(exportedEvents().map((e) => e.detail)).toEqual([`exported to ${path}`, `exported to ${path}`]);
    auditHoldsNoSecret();
  });

  it('does not replace an existing file without force (CONFLICT, file kept), and does with it', async () => {
    const path = join(dir, '.env');
    writeFileSync(path, 'KEEP=me\n');
    expect(await codeOf(exportDotenvFile(session, { keyIds: [apiKey.id], path }))).toBe('CONFLICT');
    expect(readFileSync(path, 'utf8')).toBe('KEEP=me\n');
    expect(exportedEvents()).toEqual([]);
    await exportDotenvFile(session, { keyIds: [apiKey.id], path, force: true, names: { [apiKey.id]: 'SYNCANO_API_KEY' } });
    expect(parse(readFileSync(path))).toEqual({ SYNCANO_API_KEY: API_KEY });
  });

  it('to stdout: the text, audited as exported to stdout', () => {
    const r = exportDotenvText(session, { keyIds: [apiKey.id] });
    expect(parse(r.text)).toEqual({ CI_TOKEN: API_KEY });
    expect(exportedEvents().map((e) => e.detail)).toEqual(['exported to stdout']);
  });

  it('refuses clashing names and bad given names', async () => {
    const twin = session.addKey({ kind: 'api_key', name: 'CI-token', secret: 'x' });
    expect(await codeOf(() => exportDotenvText(session, { keyIds: [apiKey.id, twin.id] }))).toBe('INVALID_INPUT');
    expect(await codeOf(() => exportDotenvText(session, { keyIds: [apiKey.id], names: { [apiKey.id]: 'BAD-NAME' } }))).toBe(
      'INVALID_INPUT',
    );
    expect(exportedEvents()).toEqual([]);
  });
});

describe('curl config export', () => {
  it('writes a 0600 config that curl -K authenticates with', async () => {
    const path = join(dir, 'rancher.curlrc');
    await exportCurlConfig(session, { keyId: pair.id, path });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const { stdout } = await run('curl', ['-s', '-K', path, server.url]);
    expect(stdout).toBe('authorized');
    expect(exportedEvents().map((e) => e.detail)).toEqual([`exported to ${path}`]);
  });
});

describe('exec environment', () => {
  it('gives the secrets (and a public part on request) and audits "exec COMMAND" without args', () => {
    const vars = execEnv(
      session,
      [{ keyId: pair.id, name: 'RANCHER_SECRET_KEY' }, { keyId: pair.id, name: 'RANCHER_ACCESS_KEY', public: true }, { keyId: apiKey.id }],
      'terraform',
    );
    expect(vars).toEqual({ RANCHER_SECRET_KEY: SECRET, RANCHER_ACCESS_KEY: ACCESS, CI_TOKEN: API_KEY });
    expect(exportedEvents().map((e) => e.detail)).toEqual(['exported to exec terraform', 'exported to exec terraform']);
  });
});
