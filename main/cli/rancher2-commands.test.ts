import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startRancher2, type Rancher2Emulator } from '../../emulators/rancher2';
import { runKeyhold } from './harness.testkit';

const PW = 'pw-rancher2-cli';
const FLOOR = ['--kdf-memory', '64', '--kdf-iterations', '3', '--kdf-parallelism', '1'];
const DAY = 86_400_000;
let dir: string;
let vault: string;
let emu: Rancher2Emulator;
const kh = (args: string[], stdin?: string) =>
  runKeyhold(['--vault', vault, '--json', ...args], { env: { KEYHOLD_PASSWORD: PW }, ...(stdin !== undefined ? { stdin } : {}) });

interface KeyJson {
  id: string;
  kind: string;
  state: string;
  description: string;
  environment: string | null;
  remoteId: string;
  meta: Record<string, string>;
}

beforeAll(async () => {
  emu = await startRancher2();
});
afterAll(() => emu.close());
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'keyhold-rancher2-cli-'));
  vault = join(dir, 'v.keyhold');
  expect((await kh(['init', ...FLOOR])).code).toBe(0);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('keyhold with a Rancher 2 workspace', () => {
  it('workspace add/connect, sync, key create --kind token --ttl --cluster, list with expiry and expired state, rotate, revoke', async () => {
    expect((await kh(['workspace', 'add', '--provider', 'rancher2', '--name', 'r2', '--url', emu.url])).code).toBe(0);
    const bad = await kh(['workspace', 'connect', 'r2', '--secret-stdin'], 'token-zzzzz:notit\n');
    expect(bad.code).toBe(5);
    expect(JSON.parse(bad.stderr).error.message).toContain('Unauthorized 401: must authenticate');
    const connected = await kh(['workspace', 'connect', 'r2', '--secret-stdin'], `${emu.demo.token}\n`);
    expect(connected.code).toBe(0);
    expect(connected.stdout).not.toContain(emu.demo.token.split(':')[1]);
    expect((await kh(['sync', 'r2'])).json<{ environments: { added: number } }>().environments.added).toBe(2);

    const created = await kh([
      'key',
      'create',
      '--workspace',
      'r2',
      '--kind',
      'token',
      '--name',
      'deploy',
      '--description',
      'release bot',
      '--ttl',
      '7',
      '--cluster',
      'c-m-7x2kq',
    ]);
    expect(created.code).toBe(0);
    const key = created.json<KeyJson>();
    expect(key).toMatchObject({ kind: 'token', state: 'active', environment: 'production', description: 'release bot' });
    const remote = emu.state.tokens.get(key.remoteId)!;
    expect(remote).toMatchObject({ ttl: 7 * DAY, clusterId: 'c-m-7x2kq' });
    expect(Date.parse(key.meta.expiresAt!)).toBe(Math.floor((remote.createdMs + 7 * DAY) / 1000) * 1000);
    expect(created.stdout).not.toMatch(new RegExp(`${key.remoteId}:[a-z0-9]{54}`));

    const list = (await kh(['key', 'list', '--workspace', 'r2'])).json<KeyJson[]>();
    expect(list.find((k) => k.description === 'old pipeline')!.state).toBe('expired');
    expect(list.find((k) => k.description === 'ci deploy')!.meta.expiresAt).toMatch(/Z$/);
    expect((await kh(['key', 'list', '--state', 'expired'])).json<KeyJson[]>().map((k) => k.description)).toEqual(['old pipeline']);

    const disabled = await kh(['key', 'deactivate', key.id]);
    expect(disabled.code).toBe(1);
    expect(JSON.parse(disabled.stderr).error.message).toContain('no store found');

    const rotated = await kh(['key', 'rotate', key.id]);
    expect(rotated.json<{ rotated: number }>().rotated).toBe(1);
    expect(emu.state.tokens.has(key.remoteId)).toBe(false);
    expect((await kh(['key', 'check', key.id])).json<{ works: boolean }>().works).toBe(true);
    const revoked = await kh(['key', 'revoke', key.id]);
    expect(revoked.json<{ state: string }>().state).toBe('revoked');
    expect([...emu.state.tokens.values()].some((t) => t.description === 'release bot')).toBe(false);

    expect((await kh(['key', 'create', '--workspace', 'r2', '--kind', 'token', '--name', 'x', '--ttl', 'soon'])).code).toBe(1);
  });
});
