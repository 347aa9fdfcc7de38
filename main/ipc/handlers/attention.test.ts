import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EventName } from '../../api';
import { createMemoryPlatform } from '../../platform/memory';
import { DAY_MS } from '../../service/ages/status';
import type { ServiceContext } from '../../service/context';
import { VaultManager } from '../../service/vault-manager';
import { FLOOR_KDF, tempDir } from '../../vault/test-vault.testkit';
import { createRouter } from '../router.testkit';
import { createHandlers } from '.';

const T0 = Date.parse('2026-03-01T00:00:00.000Z');

function setup(now: { t: number }) {
  const platform = createMemoryPlatform();
  const events: Array<{ name: EventName; payload: unknown }> = [];
  const ctx: ServiceContext = {
    vaultPath: join(tempDir('keyhold-attention-'), 'app.keyhold'),
    harness: 'bridge',
    platform,
    clock: () => new Date(now.t),
    emit: (name, payload) => events.push({ name, payload }),
  };
  const vault = new VaultManager(ctx);
  const router = createRouter(createHandlers(ctx, vault));
  const call = async <T = unknown>(channel: string, input: unknown = {}): Promise<T> => {
    const r = await router.invoke(channel, input);
    if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code });
    return r.value as T;
  };
  const fail = async (channel: string, input: unknown = {}) => {
    const r = await router.invoke(channel, input);
    if (r.ok) throw new Error(`${channel} succeeded`);
    return r.error;
  };
  return { platform, call, fail };
}

const PW = 'attention master password';
interface Counts {
  counts: { due: number; warn: number; unknown: number };
}

describe('attention and policies through IPC', () => {
  it('moves a key from ok to warn to due as the injected clock passes the edges; unlock notifies how many are due', async () => {
    const now = { t: T0 };
    const t = setup(now);
    await t.call('vault.create', { password: PW, kdf: FLOOR_KDF });
    const ws = await t.call<{ id: string }>('workspaces.add', { name: 'ops', provider: 'local' });
    await t.call('keys.add', { workspaceId: ws.id, kind: 'api_key', name: 'k', secret: 's', createdAt: new Date(T0).toISOString() });
    await t.call('policies.set', { workspaceId: ws.id, maxAgeDays: 30, warnDays: 5 });
    now.t = T0 + 25 * DAY_MS - 1;
    expect((await t.call<Counts>('attention.get')).counts).toMatchObject({ due: 0, warn: 0 });
    now.t = T0 + 25 * DAY_MS;
    expect((await t.call<Counts>('attention.get')).counts).toMatchObject({ due: 0, warn: 1 });
    now.t = T0 + 30 * DAY_MS;
    expect((await t.call<Counts>('attention.get')).counts).toMatchObject({ due: 1, warn: 0 });
    expect(t.platform.notices).toEqual([]);
    await t.call('vault.lock');
    await t.call('vault.unlock', { password: PW });
    await expect.poll(() => t.platform.notices).toEqual([{ title: 'Keyhold', body: '1 key is due for rotation' }]);
    // a local key has no platform: rotating what is due lists it with the steps by hand
    const out = await t.call<{ rotated: number; manual: { name: string; steps: string[] }[] }>('attention.rotateDue', {});
    expect(out.rotated).toBe(0);
    expect(out.manual.map((m) => m.name)).toEqual(['k']);
  });

  it('refuses zero or negative days with USAGE and an unknown workspace or policy with NOT_FOUND', async () => {
    const t = setup({ t: T0 });
    await t.call('vault.create', { password: PW, kdf: FLOOR_KDF });
    const ws = await t.call<{ id: string }>('workspaces.add', { name: 'ops', provider: 'local' });
    expect((await t.fail('policies.set', { workspaceId: ws.id, maxAgeDays: 0 })).code).toBe('USAGE');
    expect((await t.fail('policies.set', { workspaceId: ws.id, maxAgeDays: -3 })).code).toBe('USAGE');
    expect((await t.fail('policies.set', { workspaceId: 'nope', maxAgeDays: 3 })).code).toBe('NOT_FOUND');
    expect((await t.fail('policies.remove', { id: 'nope' })).code).toBe('NOT_FOUND');
    expect(await t.call('policies.list')).toEqual([]);
  });
});
