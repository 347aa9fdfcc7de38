import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSyncano, type SyncanoEmulator } from '../../emulators/syncano';
import { DAY_MS } from '../service/ages/status';
import { EXIT_CODES } from '../errors';
import { runKeyhold } from './harness.testkit';

const PW = 'pw-policy-cli';
const FLOOR = ['--kdf-memory', '64', '--kdf-iterations', '3', '--kdf-parallelism', '1'];
let dir: string;
let vault: string;
let syncano: SyncanoEmulator;
const kh = (args: string[], stdin?: string) =>
  runKeyhold(['--vault', vault, '--json', ...args], { env: { KEYHOLD_PASSWORD: PW }, ...(stdin !== undefined ? { stdin } : {}) });
const errorCode = (stderr: string) => (JSON.parse(stderr) as { error: { code: string } }).error.code;

interface KeyJson {
  id: string;
  name: string;
  ageDays: number;
  ageSource: string;
  lastUsedAt: string | null;
  dueAt: string | null;
  status: string;
}

beforeAll(async () => {
  syncano = await startSyncano();
});
afterAll(() => syncano.close());
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'keyhold-policy-cli-'));
  vault = join(dir, 'v.keyhold');
  expect((await kh(['init', ...FLOOR])).code).toBe(0);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('keyhold policy and key ages', () => {
  it('policy set / list / rm; setting a scope again replaces it; bad days are USAGE, an unknown workspace or policy NOT_FOUND', async () => {
    expect((await kh(['workspace', 'add', '--provider', 'local', '--name', 'ops'])).code).toBe(0);
    for (const bad of [
      ['--max-age', '-5'],
      ['--max-age', '0'],
      ['--max-age', 'ten'],
      ['--max-age', '30', '--warn', '-1'],
    ]) {
      const r = await kh(['policy', 'set', '--workspace', 'ops', ...bad]);
      expect(r.code).toBe(EXIT_CODES.USAGE);
      expect(errorCode(r.stderr)).toBe('USAGE');
    }
    const unknown = await kh(['policy', 'set', '--workspace', 'nope', '--max-age', '30']);
    expect([unknown.code, errorCode(unknown.stderr)]).toEqual([EXIT_CODES.NOT_FOUND, 'NOT_FOUND']);
    expect((await kh(['policy', 'list'])).json()).toEqual([]);
    const first = (await kh(['policy', 'set', '--workspace', 'ops', '--max-age', '90'])).json<{ id: string; warnDays: number }>();
    expect(first.warnDays).toBe(14);
    const again = (await kh(['policy', 'set', '--workspace', 'ops', '--max-age', '60', '--warn', '7'])).json<{ id: string }>();
    expect(again.id).toBe(first.id);
    expect((await kh(['policy', 'list'])).json()).toEqual([
      expect.objectContaining({ id: first.id, workspace: 'ops', environment: null, maxAgeDays: 60, warnDays: 7 }),
    ]);
    expect((await kh(['policy', 'rm', 'nope'])).code).toBe(EXIT_CODES.NOT_FOUND);
    expect((await kh(['policy', 'rm', first.id])).code).toBe(0);
    expect((await kh(['policy', 'list'])).json()).toEqual([]);
  });

  it('key list shows ageDays, lastUsedAt, dueAt and status; --due lists warn and due keys; key add --created dates a key by hand', async () => {
    expect((await kh(['workspace', 'add', '--provider', 'local', '--name', 'ops'])).code).toBe(0);
    const created = new Date(Date.now() - 100 * DAY_MS).toISOString();
    expect(
      (await kh(['key', 'add', '--workspace', 'ops', '--kind', 'api_key', '--name', 'old', '--created', created, '--secret-stdin'], 's1\n'))
        .code,
    ).toBe(0);
    expect((await kh(['key', 'add', '--workspace', 'ops', '--kind', 'api_key', '--name', 'new', '--secret-stdin'], 's2\n')).code).toBe(0);
    expect((await kh(['key', 'add', '--workspace', 'ops', '--kind', 'api_key', '--name', 'x', '--created', 'yesterday'])).code).toBe(
      EXIT_CODES.USAGE,
    );
    const before = (await kh(['key', 'list'])).json<KeyJson[]>();
    expect(before.map((k) => [k.name, k.ageDays, k.ageSource, k.dueAt, k.status, k.lastUsedAt])).toEqual([
      ['new', 0, 'added', null, 'ok', null],
      ['old', 100, 'manual', null, 'ok', null],
    ]);
    expect((await kh(['policy', 'set', '--workspace', 'ops', '--max-age', '90'])).code).toBe(0);
    const due = (await kh(['key', 'list', '--due'])).json<KeyJson[]>();
    expect(due.map((k) => [k.name, k.status])).toEqual([['old', 'due']]);
    expect(Date.parse(due[0]!.dueAt!)).toBe(Date.parse(created) + 90 * DAY_MS);
    expect((await kh(['policy', 'set', '--workspace', 'ops', '--max-age', '110', '--warn', '14'])).code).toBe(0);
    expect((await kh(['key', 'list', '--due'])).json<KeyJson[]>().map((k) => [k.name, k.status])).toEqual([['old', 'warn']]);
  });

  it('key rotate --due rotates the due Syncano keys and leaves nothing due', async () => {
    expect((await kh(['workspace', 'add', '--provider', 'syncano', '--name', 'sy', '--url', syncano.url])).code).toBe(0);
    expect(
      (await kh(['workspace', 'connect', 'sy', '--email', syncano.demo.email, '--secret-stdin'], `${syncano.demo.password}\n`)).code,
    ).toBe(0);
    const inst = syncano.state.instances.get('demo-instance')!;
    const old = syncano.state.addApiKey(inst, { description: 'cli old key' }, new Date(Date.now() - 400 * DAY_MS));
    const oldValue = old.api_key;
    expect((await kh(['sync', 'sy'])).code).toBe(0);
    expect((await kh(['policy', 'set', '--workspace', 'sy', '--max-age', '365'])).code).toBe(0);
    const due = (await kh(['key', 'list', '--due'])).json<KeyJson[]>();
    expect(due.map((k) => k.name)).toEqual(['cli old key']);
    expect((await kh(['key', 'rotate', '--due', '--workspace', 'nope'])).code).toBe(EXIT_CODES.NOT_FOUND);
    expect((await kh(['key', 'rotate', '--due', due[0]!.id])).code).toBe(EXIT_CODES.USAGE);
    const r = await kh(['key', 'rotate', '--due', '--workspace', 'sy']);
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({ rotated: 1, failed: 0, manual: [] });
    expect(r.stderr).toContain('rotating: 1/1 done');
    expect((await kh(['key', 'list', '--due'])).json()).toEqual([]);
    const now = inst.apiKeys.get(old.id)!.api_key;
    expect(now).not.toBe(oldValue);
    expect((await kh(['key', 'show', due[0]!.id, '--reveal'])).json<{ secret: string }>().secret).toBe(now);
  });
});
