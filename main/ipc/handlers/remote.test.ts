import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRancher, type RancherEmulator } from '../../../emulators/rancher';
import { createRouter } from '../router.testkit';
import { createMemoryPlatform } from '../../platform/memory';
import { createHandlers } from '.';
import { rotateKey } from '../../service/rotation';
import { VaultManager } from '../../service/vault-manager';

const dir = mkdtempSync(join(tmpdir(), 'keyhold-remote-ipc-'));
const events: { name: string; payload: unknown }[] = [];
const ctx = {
  vaultPath: join(dir, 'v.keyhold'),
  harness: 'bridge' as const,
  platform: createMemoryPlatform(),
  emit: (name: string, payload: unknown) => void events.push({ name, payload }),
};
const vault = new VaultManager(ctx);
const router = createRouter(createHandlers(ctx, vault));
let rancher: RancherEmulator;
beforeAll(async () => {
  rancher = await startRancher();
});
afterAll(async () => {
  vault.dispose();
  await rancher.close();
  rmSync(dir, { recursive: true, force: true });
});

async function call(channel: string, input: unknown): Promise<Record<string, any>> {
  const res = await router.invoke(channel, input);
  if (!res.ok) throw new Error(`${channel}: ${res.error.code} ${res.error.message}`);
  return res.value as Record<string, any>;
}
async function error(channel: string, input: unknown): Promise<{ code: string; message: string }> {
  const res = await router.invoke(channel, input);
  if (res.ok) throw new Error(`${channel} succeeded`);
  return res.error;
}

describe('remote IPC channels', () => {
  it('are LOCKED before unlock; capabilities are public', async () => {
    expect((await error('workspaces.sync', { id: 'x' })).code).toBe('LOCKED');
    expect((await call('remote.capabilities', {})).rancher).toMatchObject({ activate: true, deleteRequiresInactive: true });
  });

  it('connect, sync, create, rotate with progress events, deactivate, activate, revoke; a secret never comes back', async () => {
    await call('vault.create', { password: 'master', kdf: { memoryKiB: 65536, iterations: 3, parallelism: 1 } });
    const ws = await call('workspaces.add', { name: 'ra', provider: 'rancher', url: rancher.url });
    const bad = await error('workspaces.connect', {
      workspaceId: ws.id,
      accessKey: rancher.demo.accessKey,
      secretKey: 'wrong-secret-wrong',
    });
    expect(bad).toEqual({ code: 'REMOTE', message: 'Rancher: Unauthorized (HTTP 401)', remote: { status: 401, reason: 'auth' } });
    const connected = await call('workspaces.connect', {
      workspaceId: ws.id,
      accessKey: rancher.demo.accessKey,
      secretKey: rancher.demo.secretKey,
    });
    expect(JSON.stringify(connected)).not.toContain(rancher.demo.secretKey);
    expect((await call('workspaces.sync', { id: ws.id })).environments.added).toBe(2);
    // progress in real work units: one environments listing, one key listing per scope (account + 2 environments), one save
    const syncProgress = events
      .filter((e) => e.name === 'workspaces.sync.progress')
      .map((e) => e.payload as { workspaceId: string; phase: string; done: number; total: number });
    expect(syncProgress.every((p) => p.workspaceId === ws.id)).toBe(true);
    expect(syncProgress.map((p) => `${p.phase} ${p.done}/${p.total}`)).toEqual([
      'environments 0/1',
      'environments 1/1',
      'keys 0/3',
      'keys 1/3',
      'keys 2/3',
      'keys 3/3',
      'saving 0/1',
      'saving 1/1',
    ]);
    const env = (await call('environments.list', { workspaceId: ws.id })) as unknown as { id: string; name: string }[];
    const created = await call('keys.create', {
      workspaceId: ws.id,
      environmentId: env.find((e) => e.name === 'Default')!.id,
      kind: 'access_key_pair',
      name: 'deploy',
    });
    expect(created.key).toMatchObject({ kind: 'access_key_pair', hasSecret: true, state: 'active' });
    expect(JSON.stringify(created)).not.toMatch(/secretValue/);
    const rotated = await call('keys.rotate', { ids: [created.key.id], concurrency: 2 });
    expect(rotated).toMatchObject({ rotated: 1, failed: 0, results: [{ id: created.key.id, ok: true, version: 2 }] });
    expect(events.filter((e) => e.name === 'keys.rotation.progress').at(-1)!.payload).toEqual({
      total: 1,
      done: 1,
      failed: 0,
      keyId: created.key.id,
      ok: true,
    });
    expect((await call('keys.deactivate', { id: created.key.id })).state).toBe('inactive');
    expect((await call('keys.activate', { id: created.key.id })).state).toBe('active');
    expect((await call('keys.check', { id: created.key.id })).works).toBe(true);
    expect((await call('keys.revoke', { id: created.key.id })).state).toBe('revoked');
    expect((await error('keys.create', { workspaceId: ws.id, kind: 'access_key_pair', name: 'x', flags: ['fly'] })).code).toBe(
      'INVALID_INPUT',
    );
  });

  it('rotating a key whose rotation was interrupted finishes that one (one new version, not two)', async () => {
    const session = vault.session();
    const ws = session.getWorkspace('ra');
    const key = (await call('keys.create', { workspaceId: ws.id, kind: 'access_key_pair', name: 'again' })).key;
    const first = await rotateKey(session, key.id, {
      hook: (point) => {
        if (point === 'verified') throw new Error('simulated crash');
      },
    });
    expect(first.ok).toBe(false);
    const second = await call('keys.rotate', { ids: [key.id] });
    expect(second.results).toEqual([{ id: key.id, ok: true, version: 2, resumed: true }]);
    // two rotations of one key at once: the second is refused, the first completes
    const [a, b] = await Promise.all([call('keys.rotate', { ids: [key.id] }), call('keys.rotate', { ids: [key.id] })]);
    expect([a.results[0].ok, b.results[0].ok].sort()).toEqual([false, true]);
    expect([a, b].find((r) => !r.results[0].ok)!.results[0].error.code).toBe('CONFLICT');
    expect(session.listVersions(key.id)).toHaveLength(3);
  });

  it('an interrupted rotation resumes when the vault is unlocked', async () => {
    const session = vault.session();
    const ws = session.getWorkspace('ra');
    const key = (await call('keys.create', { workspaceId: ws.id, kind: 'access_key_pair', name: 'interrupted' })).key;
    const result = await rotateKey(session, key.id, {
      hook: (point) => {
        if (point === 'stored') throw new Error('simulated crash');
      },
    });
    expect(result.ok).toBe(false);
    expect(((await call('remote.pending', {})) as unknown as { step: string }[]).map((p) => p.step)).toEqual(['stored']);
    await call('vault.lock', {});
    await call('vault.unlock', { password: 'master' });
    for (let i = 0; i < 100 && ((await call('remote.pending', {})) as unknown as unknown[]).length; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(await call('remote.pending', {})).toEqual([]);
    expect((await call('keys.check', { id: key.id })).works).toBe(true);
  });
});
