import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startRancher, type RancherEmulator } from '../../emulators/rancher';
import { startSyncano, type SyncanoEmulator } from '../../emulators/syncano';
import { runKeyhold } from './harness.testkit';

const PW = 'pw-remote-cli';
const FLOOR = ['--kdf-memory', '64', '--kdf-iterations', '3', '--kdf-parallelism', '1'];
let dir: string;
let vault: string;
let rancher: RancherEmulator;
let syncano: SyncanoEmulator;
const env = () => ({ KEYHOLD_PASSWORD: PW });
const kh = (args: string[], stdin?: string) =>
  runKeyhold(['--vault', vault, '--json', ...args], { env: env(), ...(stdin !== undefined ? { stdin } : {}) });

beforeAll(async () => {
  [rancher, syncano] = await Promise.all([startRancher(), startSyncano()]);
});
afterAll(async () => {
  await Promise.all([rancher.close(), syncano.close()]);
});
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'keyhold-remote-cli-'));
  vault = join(dir, 'v.keyhold');
  expect((await kh(['init', ...FLOOR])).code).toBe(0);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('keyhold remote commands', () => {
  it('Rancher: connect, sync, key create, rotate with a progress line, deactivate, activate, revoke (all --json)', async () => {
    expect((await kh(['workspace', 'add', '--provider', 'rancher', '--name', 'ra', '--url', rancher.url])).code).toBe(0);
    const bad = await kh(['workspace', 'connect', 'ra', '--public', rancher.demo.accessKey, '--secret-stdin'], 'not-the-secret-at-all\n');
    expect(bad.code).toBe(5);
    expect(JSON.parse(bad.stderr).error).toEqual({ code: 'REMOTE', message: 'Rancher: Unauthorized (HTTP 401)' });
    expect(bad.stderr).not.toContain('not-the-secret');
    const connected = await kh(
      ['workspace', 'connect', 'ra', '--public', rancher.demo.accessKey, '--secret-stdin'],
      `${rancher.demo.secretKey}\n`,
    );
    expect(connected.code).toBe(0);
    expect(connected.json<{ identity: string }>().identity).toBe(rancher.demo.accessKey);
    expect(connected.stdout).not.toContain(rancher.demo.secretKey);
    const synced = await kh(['sync', 'ra']);
    expect(synced.json<{ environments: { added: number } }>().environments.added).toBe(2);
    const created = await kh(['key', 'create', '--workspace', 'ra', '--env', 'Default', '--kind', 'access_key_pair', '--name', 'deploy']);
    expect(created.code).toBe(0);
    const key = created.json<{ id: string; public: string; state: string }>();
    expect(key.state).toBe('active');
    expect(created.stdout).not.toContain(
      rancher.state.keys.get([...rancher.state.keys.values()].find((k) => k.publicValue === key.public)!.id)!.secretValue,
    );
    const updated = await kh(['key', 'edit', key.id, '--name', 'deploy-2', '--description', 'CD']);
    expect(updated.json<{ name: string }>().name).toBe('deploy-2');
    expect([...rancher.state.keys.values()].find((k) => k.publicValue === key.public)).toMatchObject({
      name: 'deploy-2',
      description: 'CD',
    });
    const rotated = await kh(['key', 'rotate', key.id, '--concurrency', '2']);
    expect(rotated.code).toBe(0);
    expect(rotated.json<{ rotated: number; results: { id: string; ok: boolean }[] }>()).toMatchObject({
      rotated: 1,
      results: [{ id: key.id, ok: true }],
    });
    expect(rotated.stderr).toMatch(/rotating: 1\/1 done, 0 failed/);
    expect((await kh(['key', 'deactivate', key.id])).json<{ state: string }>().state).toBe('inactive');
    expect((await kh(['key', 'activate', key.id])).json<{ state: string }>().state).toBe('active');
    expect((await kh(['key', 'check', key.id])).json<{ works: boolean }>().works).toBe(true);
    expect((await kh(['key', 'revoke', key.id])).json<{ state: string }>().state).toBe('revoked');
    expect((await kh(['key', 'rotate', key.id, '--concurrency', '0'])).code).toBe(1);
  });

  it('Syncano: connect with --email and the password on stdin; create with flags; deactivate is a usage error', async () => {
    await kh(['workspace', 'add', '--provider', 'syncano', '--name', 'sy', '--url', syncano.url]);
    const c = await kh(['workspace', 'connect', 'sy', '--email', syncano.demo.email, '--secret-stdin'], `${syncano.demo.password}\n`);
    expect(c.code).toBe(0);
    await kh(['sync', 'sy']);
    const created = await kh([
      'key',
      'create',
      '--workspace',
      'sy',
      '--env',
      'demo-instance',
      '--kind',
      'api_key',
      '--name',
      'ci',
      '--flag',
      'ignore_acl',
      'allow_user_create',
    ]);
    expect(created.json<{ flags: Record<string, boolean> }>().flags).toMatchObject({ ignore_acl: true, allow_user_create: true });
    const id = created.json<{ id: string }>().id;
    const d = await kh(['key', 'deactivate', id]);
    expect(d.code).toBe(1);
    expect(JSON.parse(d.stderr).error.code).toBe('USAGE');
    const r = await kh(['key', 'rotate', id]);
    expect(r.code).toBe(0);
    const missingEmail = await kh(['workspace', 'connect', 'sy', '--secret-stdin'], 'x\n');
    expect(missingEmail.code).toBe(1);
  });
});
