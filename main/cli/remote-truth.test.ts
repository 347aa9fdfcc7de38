// Every remote command run through the CLI against the emulators; after each, what Keyhold
// reports (--json, exit code) is compared with what the platform holds, read through the
// emulator's own HTTP API as any client would (docs/PLATFORMS.md: the truth rule). Also hostile
// answers: a platform answering with wrong types is a coded REMOTE error, never a crash.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGithub, type GithubEmulator } from '../../emulators/github';
import { startRancher, type RancherEmulator } from '../../emulators/rancher';
import { startSyncano, type SyncanoEmulator } from '../../emulators/syncano';
import { runKeyhold } from './harness.testkit';

const PW = 'pw-remote-truth';
const FLOOR = ['--kdf-memory', '64', '--kdf-iterations', '3', '--kdf-parallelism', '1'];
let dir: string;
let vault: string;
let rancher: RancherEmulator;
let syncano: SyncanoEmulator;
let github: GithubEmulator;
const kh = (args: string[], stdin?: string) =>
  runKeyhold(['--vault', vault, '--json', ...args], { env: { KEYHOLD_PASSWORD: PW }, ...(stdin !== undefined ? { stdin } : {}) });
const errorOf = (r: { stderr: string }) => (JSON.parse(r.stderr) as { error: { code: string; message: string } }).error;

interface Key {
  id: string;
  state: string;
  public: string | null;
  remoteId: string | null;
  name: string;
  description: string;
  flags: Record<string, boolean>;
}

beforeAll(async () => {
  [rancher, syncano, github] = await Promise.all([startRancher({ transitionMs: 20 }), startSyncano(), startGithub()]);
});
afterAll(async () => {
  await Promise.all([rancher.close(), syncano.close(), github.close()]);
});
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'keyhold-truth-cli-'));
  vault = join(dir, 'v.keyhold');
  expect((await kh(['init', ...FLOOR])).code).toBe(0);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The platform's view, through its HTTP API with the demo's own credentials. */
async function rancherKey(
  id: string,
): Promise<{ status: number; state?: string; name?: string; description?: string; publicValue?: string }> {
  const auth = `Basic ${Buffer.from(`${rancher.demo.accessKey}:${rancher.demo.secretKey}`).toString('base64')}`;
  for (const path of [`/v2-beta/apikeys/${id}`, `/v2-beta/projects/1a5/apikeys/${id}`]) {
    const res = await fetch(`${rancher.url}${path}`, { headers: { Authorization: auth } });
    if (res.status === 200) return { status: 200, ...((await res.json()) as object) };
  }
  return { status: 404 };
}
async function rancherLogsIn(pub: string, secret: string): Promise<boolean> {
  return (
    (
      await fetch(`${rancher.url}/v2-beta/apikeys?limit=1`, {
        headers: { Authorization: `Basic ${Buffer.from(`${pub}:${secret}`).toString('base64')}` },
      })
    ).status === 200
  );
}
async function githubKeys(token: string): Promise<{ id: number; key: string }[]> {
  return (await (await fetch(`${github.url}/user/keys?per_page=100`, { headers: { Authorization: `Bearer ${token}` } })).json()) as {
    id: number;
    key: string;
  }[];
}
async function syncanoApiKeys(
  instance: string,
): Promise<{ status: number; objects: { id: number; api_key: string; description: string; ignore_acl: boolean }[] }> {
  const login = (await (
    await fetch(`${syncano.url}/v1.1/account/auth/`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: syncano.demo.email, password: syncano.demo.password }),
    })
  ).json()) as { account_key: string };
  const res = await fetch(`${syncano.url}/v1.1/instances/${instance}/api_keys/?page_size=100`, {
    headers: { 'X-API-KEY': login.account_key },
  });
  return { status: res.status, objects: res.status === 200 ? ((await res.json()) as { objects: never[] }).objects : [] };
}

describe('every remote command, compared with what the platform holds', () => {
  it('Rancher: connect, sync, create (by project id), edit, deactivate, activate, check, rotate, revoke', async () => {
    await kh(['workspace', 'add', '--provider', 'rancher', '--name', 'ra', '--url', rancher.url]);
    const connected = await kh(
      ['workspace', 'connect', 'ra', '--public', rancher.demo.accessKey, '--secret-stdin'],
      `${rancher.demo.secretKey}\n`,
    );
    expect(connected.code).toBe(0);
    expect(await rancherLogsIn(rancher.demo.accessKey, rancher.demo.secretKey)).toBe(true);

    const synced = await kh(['sync', 'ra']);
    expect(synced.code).toBe(0);
    const envs = (await kh(['env', 'list', '--workspace', 'ra'])).json<{ remoteId: string }[]>();
    expect(envs.map((e) => e.remoteId).sort()).toEqual(['1a5', '1a7']);

    const created = await kh(['key', 'create', '--workspace', 'ra', '--env', '1a5', '--kind', 'access_key_pair', '--name', 'deploy']);
    expect(created.code).toBe(0);
    const key = created.json<Key>();
    expect(await rancherKey(key.remoteId!)).toMatchObject({ status: 200, state: key.state, publicValue: key.public, name: 'deploy' });
    // E by the platform's own id, wherever the CLI takes one
    expect((await kh(['key', 'list', '--env', '1a5'])).json<Key[]>().map((k) => k.id)).toEqual([key.id]);
    expect((await kh(['key', 'list', '--workspace', 'ra', '--env', '1a7'])).json<Key[]>()).toEqual([]);

    const edited = await kh(['key', 'edit', key.id, '--name', 'deploy-2', '--description', 'CD']);
    expect(await rancherKey(key.remoteId!)).toMatchObject({ name: edited.json<Key>().name, description: edited.json<Key>().description });

    const off = await kh(['key', 'deactivate', key.id]);
    expect(off.json<Key>().state).toBe('inactive');
    expect((await rancherKey(key.remoteId!)).state).toBe('inactive');
    const checkOff = await kh(['key', 'check', key.id]);
    expect(checkOff.code).toBe(5);
    const on = await kh(['key', 'activate', key.id]);
    expect(on.json<Key>().state).toBe('active');
    expect((await rancherKey(key.remoteId!)).state).toBe('active');
    expect((await kh(['key', 'check', key.id])).json<{ works: boolean }>().works).toBe(true);

    const rotated = await kh(['key', 'rotate', key.id]);
    expect(rotated.code).toBe(0);
    const after = (await kh(['key', 'show', key.id])).json<Key>();
    expect((await rancherKey(key.remoteId!)).status === 404 || (await rancherKey(key.remoteId!)).state === 'removed').toBe(true);
    expect(await rancherKey(after.remoteId!)).toMatchObject({ status: 200, state: 'active', publicValue: after.public });

    const revoked = await kh(['key', 'revoke', key.id]);
    expect(revoked.json<Key>().state).toBe('revoked');
    expect((await rancherKey(after.remoteId!)).state).toBe('removed');
  });

  it('GitHub with a token lacking admin:public_key: connect says so, create lands, revoke and rotate exit 5 and the key stays on GitHub and active in the vault', async () => {
    await kh(['workspace', 'add', '--provider', 'github', '--name', 'gh', '--url', github.url]);
    const connected = await kh(['workspace', 'connect', 'gh', '--secret-stdin'], `${github.demo.addOnlyToken}\n`);
    expect(connected.code).toBe(0);
    expect(connected.json<{ access: { summary: string } }>().access.summary).toBe(
      'can add keys, cannot delete them (needs admin:public_key)',
    );
    const workspaces = await runKeyhold(['--vault', vault, 'workspace', 'list'], { env: { KEYHOLD_PASSWORD: PW } });
    expect(workspaces.stdout).toContain('credential: can add keys, cannot delete them (needs admin:public_key)');
    const created = (await kh(['key', 'create', '--workspace', 'gh', '--kind', 'ssh_key_pair', '--name', 'laptop'])).json<Key>();
    const listed = () => githubKeys(github.demo.addOnlyToken);
    expect((await listed()).map((k) => String(k.id))).toContain(created.remoteId);
    expect((await kh(['key', 'check', created.id])).json<{ works: boolean }>().works).toBe(true);

    const revoke = await kh(['key', 'revoke', created.id]);
    expect(revoke.code).toBe(5);
    expect(errorOf(revoke).message).toMatch(/still registered and still works; the token lacks the admin:public_key scope/);
    expect((await listed()).map((k) => String(k.id))).toContain(created.remoteId);
    expect((await kh(['key', 'show', created.id])).json<Key>().state).toBe('active');

    const rotate = await kh(['key', 'rotate', created.id]);
    expect(rotate.code).toBe(5);
    const result = rotate.json<{ rotated: number; results: { ok: boolean; error: { message: string } }[] }>();
    expect(result.rotated).toBe(0);
    expect(result.results[0]!.error.message).toMatch(/Not rotated yet/);
    const now = (await kh(['key', 'show', created.id])).json<Key>();
    // GitHub holds both: the new key Keyhold now uses and the old one it says is still there
    expect((await listed()).map((k) => String(k.id))).toEqual(expect.arrayContaining([created.remoteId, now.remoteId]));

    const sync = await kh(['sync', 'gh']);
    expect(sync.code).toBe(0);
  });

  it('Syncano: connect, sync (the read-only instance reported, not fatal), create, edit flags, rotate, check, revoke', async () => {
    await kh(['workspace', 'add', '--provider', 'syncano', '--name', 'sy', '--url', syncano.url]);
    const connected = await kh(
      ['workspace', 'connect', 'sy', '--email', syncano.demo.email, '--secret-stdin'],
      `${syncano.demo.password}\n`,
    );
    expect(connected.code).toBe(0);
    const sync = await kh(['sync', 'sy']);
    expect(sync.code).toBe(0);
    const res = sync.json<{ skipped: { name: string; reason: string }[] }>();
    expect(res.skipped.map((s) => s.name)).toEqual([syncano.demo.readOnlyInstance]);
    expect((await syncanoApiKeys(syncano.demo.readOnlyInstance)).status).toBe(403);
    const text = await runKeyhold(['--vault', vault, 'sync', 'sy'], { env: { KEYHOLD_PASSWORD: PW } });
    expect(text.stdout).toContain(
      `Could not read ${syncano.demo.readOnlyInstance}: Syncano: You do not have permission to perform this action.`,
    );

    const created = (
      await kh(['key', 'create', '--workspace', 'sy', '--env', 'demo-instance', '--kind', 'api_key', '--name', 'ci', '--description', 'ci'])
    ).json<Key>();
    const remote = async () => (await syncanoApiKeys('demo-instance')).objects.find((k) => String(k.id) === created.remoteId);
    expect(await remote()).toMatchObject({ description: 'ci', ignore_acl: false });
    const edited = (await kh(['key', 'edit', created.id, '--flag', 'ignore_acl'])).json<Key>();
    expect(edited.flags.ignore_acl).toBe(true);
    expect((await remote())!.ignore_acl).toBe(true);
    const before = (await remote())!.api_key;
    expect((await kh(['key', 'rotate', created.id])).code).toBe(0);
    expect((await remote())!.api_key).not.toBe(before);
    expect((await kh(['key', 'check', created.id])).json<{ works: boolean }>().works).toBe(true);
    expect((await kh(['key', 'revoke', created.id])).json<Key>().state).toBe('revoked');
    expect(await remote()).toBeUndefined();

    const refused = await kh([
      'key',
      'create',
      '--workspace',
      'sy',
      '--env',
      syncano.demo.readOnlyInstance,
      '--kind',
      'api_key',
      '--name',
      'x',
    ]);
    expect(refused.code).toBe(5);
    // Syncano's words, and what is missing: the role
    expect(errorOf(refused).message).toBe(
      `Syncano: You do not have permission to perform this action. (HTTP 403): your role on instance ${syncano.demo.readOnlyInstance} is read; API keys need role full.`,
    );
  });
});

describe('a platform answering with the wrong types', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    // a real server that answers every platform's paths with well-formed JSON of the wrong shape
    server = createServer((req, res) => {
      res.setHeader('Content-Type', 'application/json');
      const path = req.url ?? '';
      if (path.startsWith('/v1.1/account/auth/')) return res.end(JSON.stringify({ id: 'one', email: 5, account_key: ['x'] }));
      if (path.startsWith('/v2-beta/'))
        return res.end(JSON.stringify({ type: 'collection', data: [{ id: 7, type: 'apiKey', publicValue: null, state: {} }] }));
      if (path.startsWith('/user/keys')) return res.end(JSON.stringify([{ id: 'not-a-number', key: 42 }]));
      return res.end('"hello"');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('connect is REMOTE "unexpected answer" for each platform, and nothing is stored', async () => {
    for (const [provider, args, stdin] of [
      ['syncano', ['--email', 'a@b.test'], 'pw\n'],
      ['rancher', ['--public', 'ABCDEF0123456789ABCD'], 'secret\n'],
      ['github', [], 'ghp_token\n'],
    ] as const) {
      await kh(['workspace', 'add', '--provider', provider, '--name', provider, '--url', url]);
      const r = await kh(['workspace', 'connect', provider, ...args, '--secret-stdin'], stdin);
      expect(r.code).toBe(5);
      expect(errorOf(r)).toMatchObject({ code: 'REMOTE', message: expect.stringMatching(/unexpected answer/) });
      expect(
        (await kh(['workspace', 'list'])).json<{ name: string; credentialKeyId: string | null }[]>().find((w) => w.name === provider)!
          .credentialKeyId,
      ).toBeNull();
    }
    expect((await kh(['key', 'list'])).json<unknown[]>()).toEqual([]);
  });
});
