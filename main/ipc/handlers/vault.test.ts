import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EventName } from '../../api';
import { createRouter } from '../router.testkit';
import { createMemoryPlatform } from '../../platform/memory';
import { FLOOR_KDF, tempDir } from '../../vault/test-vault.testkit';
import type { ServiceContext } from '../../service/context';
import { createHandlers } from '.';
import { VaultManager } from '../../service/vault-manager';
import { FORMAT_VERSION } from '../../vault/schema';

function setup(dir = tempDir('keyhold-ipc-')) {
  const platform = createMemoryPlatform();
  const events: Array<{ name: EventName; payload: unknown }> = [];
  const ctx: ServiceContext = {
    vaultPath: join(dir, 'app.keyhold'),
    harness: 'bridge',
    platform,
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
  return { dir, ctx, platform, events, vault, router, call, fail };
}

const PW = 'desktop master password';

afterEach(() => {
  vi.useRealTimers();
});

describe('VaultManager through IPC', () => {
  it('goes absent -> unlocked -> locked -> unlocked, and says so in vault.status', async () => {
    const t = setup();
    expect(await t.call('vault.status')).toEqual({ state: 'absent', path: t.ctx.vaultPath });
    expect((await t.fail('keys.list')).code).toBe('LOCKED');
    expect(await t.call('vault.create', { password: PW, kdf: FLOOR_KDF })).toMatchObject({ state: 'unlocked' });
    expect((await t.fail('vault.create', { password: PW, kdf: FLOOR_KDF })).code).toBe('CONFLICT');
    expect(await t.call('vault.lock')).toMatchObject({ state: 'locked' });
    expect(t.events).toEqual([{ name: 'vault.locked', payload: { reason: 'explicit' } }]);
    expect((await t.fail('keys.list')).code).toBe('LOCKED');
    expect((await t.fail('vault.unlock', { password: 'wrong' })).code).toBe('WRONG_PASSWORD');
    expect(await t.call('vault.status')).toMatchObject({ state: 'locked' });
    expect(await t.call('vault.unlock', { password: PW })).toMatchObject({ state: 'unlocked' });
    expect(await t.call('vault.info')).toMatchObject({ formatVersion: FORMAT_VERSION, kdf: { memoryKiB: 65536, iterations: 3 }, keys: 0 });
    expect((await t.fail('vault.create', { password: PW, kdf: { ...FLOOR_KDF, iterations: 1 } })).code).toBe('INVALID_INPUT');
    t.vault.dispose();
  });

  it('locks on suspend and screen lock, emitting vault.locked with the reason', async () => {
    const t = setup();
    await t.call('vault.create', { password: PW, kdf: FLOOR_KDF });
    t.platform.fireSystemLock('suspend');
    expect(t.vault.status().state).toBe('locked');
    await t.call('vault.unlock', { password: PW });
    t.platform.fireSystemLock('screen-lock');
    expect(t.events.map((e) => e.payload)).toEqual([{ reason: 'suspend' }, { reason: 'screen-lock' }]);
    t.vault.dispose();
  });

  it('auto-locks after the idle time of the setting; every call counts as activity', async () => {
    const t = setup();
    await t.call('vault.create', { password: PW, kdf: FLOOR_KDF });
    expect(await t.call('vault.settings.get')).toEqual({
      autoLockMinutes: 10,
      clipboardClearSeconds: 30,
      theme: 'system',
      agentEnabled: true,
    });
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    await t.call('vault.settings.set', { autoLockMinutes: 1 });
    await vi.advanceTimersByTimeAsync(50_000);
    await t.call('keys.list', {}); // activity
    await vi.advanceTimersByTimeAsync(50_000);
    expect(t.vault.status().state).toBe('unlocked');
    await vi.advanceTimersByTimeAsync(11_000);
    expect(t.vault.status().state).toBe('locked');
    expect(t.events.at(-1)).toEqual({ name: 'vault.locked', payload: { reason: 'idle' } });
    t.vault.dispose();
  });

  it('runs onUnlock hooks after an unlock', async () => {
    const t = setup();
    const seen: string[] = [];
    t.vault.onUnlock((s) => {
      seen.push(s.path);
    });
    await t.call('vault.create', { password: PW, kdf: FLOOR_KDF });
    await new Promise((r) => setImmediate(r));
    expect(seen).toEqual([t.ctx.vaultPath]);
    t.vault.dispose();
  });
});

describe('vault channels', () => {
  it('workspaces, environments and keys: no channel but keys.reveal carries a secret', async () => {
    const t = setup();
    await t.call('vault.create', { password: PW, kdf: FLOOR_KDF });
    const ws = await t.call<{ id: string }>('workspaces.add', { name: 'Encord', provider: 'encord' });
    expect((await t.fail('workspaces.add', { name: 'encord', provider: 'local' })).code).toBe('CONFLICT');
    const env = await t.call<{ id: string; workspace: string }>('environments.add', { workspaceId: ws.id, name: 'Project A' });
    expect(env.workspace).toBe('Encord');
    const key = await t.call<{ id: string }>('keys.add', {
      workspaceId: ws.id,
      environmentId: env.id,
      kind: 'api_key',
      name: 'reader',
      secret: 'TOPSECRET-1',
    });
    expect(JSON.stringify(key)).not.toContain('TOPSECRET');
    const list = await t.call<{ total: number; items: Array<{ id: string; workspace: string; environment: string }> }>('keys.list', {
      search: 'READ',
      limit: 10,
    });
    expect(list.total).toBe(1);
    expect(list.items[0]).toMatchObject({ id: key.id, workspace: 'Encord', environment: 'Project A' });
    for (const ch of ['keys.list', 'keys.get', 'keys.history', 'audit.list', 'keys.copy']) {
      const out = await t.call(ch, ch === 'keys.list' || ch === 'audit.list' ? {} : { id: key.id });
      expect(JSON.stringify(out), ch).not.toContain('TOPSECRET');
    }
    expect(await t.call('keys.reveal', { id: key.id })).toEqual({ id: key.id, secret: 'TOPSECRET-1' });
    const actions = (await t.call<Array<{ action: string }>>('audit.list', {})).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['vault_created', 'workspace_added', 'environment_added', 'created', 'copied', 'revealed']),
    );
    expect(await t.call('audit.verify')).toMatchObject({ ok: true });
    expect(await t.call('keys.edit', { id: key.id, description: 'for dashboards' })).toMatchObject({ description: 'for dashboards' });
    expect((await t.fail('keys.get', { id: 'nope' })).code).toBe('NOT_FOUND');
    expect((await t.fail('keys.add', { kind: 'api_key', name: 'x', extra: 1 })).code).toBe('INVALID_INPUT');
    expect((await t.fail('workspaces.remove', { id: ws.id })).code).toBe('CONFLICT');
    expect(await t.call('keys.remove', { id: key.id })).toEqual({ removed: key.id });
    expect(await t.call('environments.remove', { id: env.id })).toEqual({ removed: env.id });
    expect(await t.call('workspaces.remove', { id: ws.id })).toEqual({ removed: ws.id });
    t.vault.dispose();
  });

  it('keys.copy puts the secret on the clipboard and clears it after the setting, only if unchanged', async () => {
    const t = setup();
    await t.call('vault.create', { password: PW, kdf: FLOOR_KDF });
    await t.call('vault.settings.set', { clipboardClearSeconds: 5 });
    const k = await t.call<{ id: string }>('keys.add', { kind: 'api_key', name: 'c', secret: 'CLIP-SECRET' });
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    expect(await t.call('keys.copy', { id: k.id })).toEqual({ id: k.id, clearAfterSeconds: 5 });
    expect(await t.platform.clipboard.readText()).toBe('CLIP-SECRET');
    await vi.advanceTimersByTimeAsync(4_000);
    expect(await t.platform.clipboard.readText()).toBe('CLIP-SECRET');
    await vi.advanceTimersByTimeAsync(1_500);
    expect(await t.platform.clipboard.readText()).toBe('');
    await t.call('keys.copy', { id: k.id });
    await t.platform.clipboard.writeText('something the user copied since');
    await vi.advanceTimersByTimeAsync(6_000);
    expect(await t.platform.clipboard.readText()).toBe('something the user copied since');
    t.vault.dispose();
  });

  it('changes the password (asking for the current one) and the KDF parameters', async () => {
    const t = setup();
    await t.call('vault.create', { password: PW, kdf: FLOOR_KDF });
    expect((await t.fail('vault.changePassword', { currentPassword: 'wrong', newPassword: 'next' })).code).toBe('WRONG_PASSWORD');
    expect(await t.call('vault.changePassword', { currentPassword: PW, newPassword: 'next password' })).toEqual({ changed: true });
    const kdf = { memoryKiB: 65536, iterations: 4, parallelism: 2 };
    expect(await t.call('vault.kdf.set', { password: 'next password', kdf })).toMatchObject({ kdf: { algorithm: 'argon2id', ...kdf } });
    expect((await t.call<{ ms: number }>('vault.kdf.measure', FLOOR_KDF)).ms).toBeGreaterThan(0);
    await t.call('vault.lock');
    expect((await t.fail('vault.unlock', { password: PW })).code).toBe('WRONG_PASSWORD');
    await t.call('vault.unlock', { password: 'next password' });
    expect(await t.call('vault.kdf')).toMatchObject({ kdf, floor: { memoryKiB: 65536, iterations: 3 } });
    t.vault.dispose();
  });

  it('backs up and restores into a new vault (another app instance), CONFLICT over an existing one', async () => {
    const a = setup();
    await a.call('vault.create', { password: PW, kdf: FLOOR_KDF });
    await a.call('keys.add', { kind: 'user_key', name: 'u', secret: 'USER-SECRET' });
    const file = join(a.dir, 'b.khb');
    expect(await a.call('vault.backup', { path: file, passphrase: 'pp' })).toMatchObject({ path: file, keys: 1 });
    expect((await a.fail('vault.backup', { path: file, passphrase: 'pp' })).code).toBe('CONFLICT');
    expect((await a.fail('vault.restore', { file, passphrase: 'pp', password: 'x' })).code).toBe('CONFLICT');
    const b = setup();
    expect((await b.fail('vault.restore', { file, passphrase: 'nope', password: 'restored pw' })).code).toBe('WRONG_PASSWORD');
    expect(existsSync(b.ctx.vaultPath)).toBe(false);
    expect(await b.call('vault.restore', { file, passphrase: 'pp', password: 'restored pw' })).toMatchObject({ keys: 1 });
    const items = (await b.call<{ items: Array<{ id: string }> }>('keys.list', {})).items;
    expect(await b.call('keys.reveal', { id: items[0]!.id })).toMatchObject({ secret: 'USER-SECRET' });
    a.vault.dispose();
    b.vault.dispose();
  });
});
