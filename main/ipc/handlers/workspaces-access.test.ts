// Over IPC: a workspace's credential access in workspaces.list and connect (what the UI warns
// with), a refusal for want of a scope carrying its reason, and a sync that reports what it could
// not read, each checked against the emulators' state.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGithub, type GithubEmulator } from '../../../emulators/github';
import { startSyncano, type SyncanoEmulator } from '../../../emulators/syncano';
import { createMemoryPlatform } from '../../platform/memory';
import { VaultManager } from '../../service/vault-manager';
import { createRouter } from '../router.testkit';
import { createHandlers } from '.';

const dir = mkdtempSync(join(tmpdir(), 'keyhold-access-ipc-'));
const ctx = { vaultPath: join(dir, 'v.keyhold'), harness: 'bridge' as const, platform: createMemoryPlatform(), emit: () => undefined };
const vault = new VaultManager(ctx);
const router = createRouter(createHandlers(ctx, vault));
let github: GithubEmulator;
let syncano: SyncanoEmulator;
beforeAll(async () => {
  [github, syncano] = await Promise.all([startGithub(), startSyncano()]);
  const created = await router.invoke('vault.create', { password: 'master', kdf: { memoryKiB: 65536, iterations: 3, parallelism: 1 } });
  expect(created.ok).toBe(true);
});
afterAll(async () => {
  vault.dispose();
  await Promise.all([github.close(), syncano.close()]);
  rmSync(dir, { recursive: true, force: true });
});

async function call<T = Record<string, unknown>>(channel: string, input: unknown): Promise<T> {
  const res = await router.invoke(channel, input);
  if (!res.ok) throw new Error(`${channel}: ${res.error.code} ${res.error.message}`);
  return res.value as T;
}

interface Access {
  grants: string[] | null;
  summary: string;
  refuses: { operation: string; environment?: string; reason: string }[];
}

describe('credential access over IPC', () => {
  it('GitHub: connect and workspaces.list say what the token may do; a refused revoke is REMOTE with reason scope and the key stays active here and on GitHub', async () => {
    const ws = await call<{ id: string }>('workspaces.add', { name: 'gh', provider: 'github', url: github.url });
    const connected = await call<{ access: Access }>('workspaces.connect', { workspaceId: ws.id, token: github.demo.addOnlyToken });
    expect(connected.access.summary).toBe('can add keys, cannot delete them (needs admin:public_key)');
    const listed = await call<{ id: string; access?: Access | null }[]>('workspaces.list', {});
    expect(listed.find((w) => w.id === ws.id)!.access!.refuses.map((r) => r.operation)).toEqual(['revoke', 'rotate']);
    const created = await call<{ key: { id: string; remoteId: string } }>('keys.create', {
      workspaceId: ws.id,
      kind: 'ssh_key_pair',
      name: 'laptop',
    });
    const refused = await router.invoke('keys.revoke', { id: created.key.id });
    expect(refused.ok).toBe(false);
    if (!refused.ok)
      expect(refused.error).toMatchObject({
        code: 'REMOTE',
        remote: { status: 404, reason: 'scope' },
        message: expect.stringContaining('admin:public_key'),
      });
    expect((await call<{ state: string }>('keys.get', { id: created.key.id })).state).toBe('active');
    expect(github.state.keys.has(Number(created.key.remoteId))).toBe(true);
    // a rotation: the new key registered, the old kept by GitHub; the journal waits for the user, not for a resume
    const rotated = await call<{ rotated: number; results: { ok: boolean; error?: { remote?: { reason: string } } }[] }>('keys.rotate', {
      ids: [created.key.id],
    });
    expect(rotated).toMatchObject({ rotated: 0, results: [{ ok: false, error: { remote: { reason: 'scope' } } }] });
    expect(github.state.keys.has(Number(created.key.remoteId))).toBe(true);
    expect(await call('remote.pending', {})).toEqual([expect.objectContaining({ keyId: created.key.id, step: 'old_kept', waiting: true })]);
  });

  it('Syncano: workspaces.sync reports the instance shared read-only in its output and goes on with the others', async () => {
    const ws = await call<{ id: string }>('workspaces.add', { name: 'sy', provider: 'syncano', url: syncano.url });
    await call('workspaces.connect', { workspaceId: ws.id, email: syncano.demo.email, password: syncano.demo.password });
    const synced = await call<{ skipped: { name: string; reason: string }[]; environments: { total: number } }>('workspaces.sync', {
      id: ws.id,
    });
    expect(synced.environments.total).toBe(3);
    expect(synced.skipped).toEqual([
      {
        environment: syncano.demo.readOnlyInstance,
        name: syncano.demo.readOnlyInstance,
        reason: expect.stringContaining('You do not have permission to perform this action.'),
      },
    ]);
    const list = await call<{ id: string; access?: Access | null }[]>('workspaces.list', {});
    expect(list.find((w) => w.id === ws.id)!.access!.grants).toContain(`${syncano.demo.readOnlyInstance}: read`);
  });
});
