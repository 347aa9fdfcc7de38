import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startRancher2, type Rancher2Emulator } from '../../../emulators/rancher2';
import { createVault, openVault } from '../../vault';
import type { KeyRecord, VaultSession } from '../../vault/types';
import { connectWorkspace } from '../connect';
import { createRemoteKey } from '../remote-keys';
import { syncWorkspace } from '../sync';
import { ROTATION, ROTATION_POINTS, resumeRotations, rotateKey } from '.';
import { killed, runCrashDriver } from './crash-driver.testkit';

const KDF = { memoryKiB: 65536, iterations: 3, parallelism: 1 };
const PASSWORD = 'pw-rancher2-rotation';
const opts = { http: { backoffMs: 5 } };
const DAY = 86_400_000;
let dir: string;
let vaultPath: string;
let session: VaultSession;
let emu: Rancher2Emulator;

beforeAll(async () => {
  emu = await startRancher2();
});
afterAll(() => emu.close());
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'keyhold-r2-rotation-'));
  vaultPath = join(dir, 'v.keyhold');
  session = await createVault(vaultPath, PASSWORD, { kdf: KDF });
  session.addWorkspace({ name: 'r2', provider: 'rancher2', url: emu.url });
  await connectWorkspace(session, { workspace: 'r2', token: emu.demo.token }, opts);
});
afterEach(() => {
  session.lock();
  rmSync(dir, { recursive: true, force: true });
});

/** Does this bearer authenticate on /v3 right now? (a real call) */
async function status(bearer: string, path = '/v3/clusters'): Promise<number> {
  return (await fetch(`${emu.url}${path}`, { headers: { Authorization: `Bearer ${bearer}` } })).status;
}
const live = (description: string) => [...emu.state.tokens.values()].filter((t) => t.description === description);

async function token(name: string, extra: { ttlDays?: number; cluster?: string } = {}): Promise<KeyRecord> {
  return (await createRemoteKey(session, { workspace: 'r2', kind: 'token', name, description: name, ...extra }, opts)).key;
}

describe('Rancher 2 token rotation', () => {
  it('creates a new token with the same description, TTL and cluster, stores it, deletes the old (old value: 401)', async () => {
    const key = await token('rot-scoped', { ttlDays: 10, cluster: 'c-m-7x2kq' });
    const oldBearer = session.readSecret(key.id);
    expect(await rotateKey(session, key.id, opts)).toMatchObject({ ok: true });
    const now = session.getKey(key.id);
    expect(now.remoteId).not.toBe(key.remoteId);
    expect(emu.state.tokens.has(key.remoteId!)).toBe(false);
    expect(emu.state.tokens.get(now.remoteId!)).toMatchObject({ description: 'rot-scoped', ttl: 10 * DAY, clusterId: 'c-m-7x2kq' });
    expect(await status(oldBearer, '/k8s/clusters/c-m-7x2kq/version')).toBe(401);
    expect(await status(session.readSecret(key.id), '/k8s/clusters/c-m-7x2kq/version')).toBe(200);
    const fresh = emu.state.tokens.get(now.remoteId!)!;
    expect(Date.parse(now.meta.expiresAt!)).toBe(Math.floor((fresh.createdMs + 10 * DAY) / 1000) * 1000);
  });

  it('an expired token is rotated into a working active one', async () => {
    await syncWorkspace(session, 'r2', opts);
    const expired = session.listKeys({ state: 'expired' }).items.find((k) => k.description === 'old pipeline')!;
    expect(await rotateKey(session, expired.id, opts)).toMatchObject({ ok: true });
    const now = session.getKey(expired.id);
    expect(now.state).toBe('active');
    expect(await status(session.readSecret(now.id))).toBe(200);
    expect(emu.state.tokens.get(now.remoteId!)!.ttl).toBe(30 * DAY);
  });

  it("the workspace's own token: the workspace switches to the new one before the old is deleted, and keeps working", async () => {
    const credId = session.getWorkspace('r2').credentialKeyId!;
    const oldBearer = session.readSecret(credId);
    expect(await rotateKey(session, credId, opts)).toMatchObject({ ok: true });
    expect(await status(oldBearer)).toBe(401);
    expect(await status(session.readSecret(credId))).toBe(200);
    expect(session.getWorkspace('r2').credentialKeyId).toBe(credId);
    expect((await syncWorkspace(session, 'r2', opts)).keys.missing).toBe(0);
    emu.demo.token = session.readSecret(credId);
  });

  it('a new token that does not authenticate is rolled back: the old value is current again, the new token deleted', async () => {
    const key = await token('rot-rollback');
    const oldBearer = session.readSecret(key.id);
    let newName = '';
    const r = await rotateKey(session, key.id, {
      ...opts,
      hook: (point, id) => {
        if (point !== 'stored' || id !== key.id) return;
        newName = session.getKey(key.id).remoteId!;
        emu.state.tokens.get(newName)!.enabled = false; // disabled on the Kubernetes object meanwhile
      },
    });
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'REMOTE', message: 'Rancher 2: the new token did not authenticate; the old token was kept.' },
    });
    expect(session.readSecret(key.id)).toBe(oldBearer);
    expect(session.getKey(key.id).remoteId).toBe(key.remoteId);
    expect(emu.state.tokens.has(newName)).toBe(false);
    expect(session.listPending(ROTATION)).toEqual([]);
    expect(await status(oldBearer)).toBe(200);
  });

  it('a create the platform refuses leaves the old token and no journal', async () => {
    const key = await token('rot-refused');
    emu.setFaults({
      queue: ['error500', 'error500', 'error500', 'error500', 'error500', 'error500', 'error500', 'error500'],
      queuePath: '/v3/tokens',
    });
    try {
      const r = await rotateKey(session, key.id, { ...opts, stepAttempts: 1 });
      expect(r.ok).toBe(false);
    } finally {
      emu.setFaults({ queue: [], queuePath: null });
    }
    await resumeRotations(session, opts);
    expect(session.listPending(ROTATION)).toEqual([]);
    expect(await status(session.readSecret(key.id))).toBe(200);
    expect(live('rot-refused')).toHaveLength(1);
  });
});

const runDriver = (point: string, ids: string[]) => runCrashDriver(vaultPath, PASSWORD, point, ids);

describe('Rancher 2 rotation killed with SIGKILL at every point, then resumed', () => {
  it.each(ROTATION_POINTS.filter((p) => p !== 'recorded'))(
    'killed after %s: the stored token works before and after resume; the old one is gone, no orphan',
    async (point) => {
      const key = await token(`crash-${point}`, { ttlDays: 5 });
      const oldBearer = session.readSecret(key.id);
      session.lock();
      expect(killed(await runDriver(point, [key.id]))).toBe(true);
      session = await openVault(vaultPath, PASSWORD);
      // at the moment of the kill the vault held a working token
      expect(await status(session.readSecret(key.id))).toBe(200);
      const resumed = await resumeRotations(session, opts);
      expect(resumed).toEqual([expect.objectContaining({ id: key.id, ok: true, resumed: true })]);
      expect(session.listPending(ROTATION)).toEqual([]);
      expect(await status(session.readSecret(key.id))).toBe(200);
      expect(session.getKey(key.id).remoteId).not.toBe(key.remoteId);
      expect(await status(oldBearer)).toBe(401);
      expect(live(`crash-${point}`).map((t) => t.name)).toEqual([session.getKey(key.id).remoteId]);
    },
  );

  it('a bulk of 8 tokens killed at the 4th create answer, with 5% faults: all keep a working token, resume leaves no orphan', async () => {
    const keys: KeyRecord[] = [];
    for (let i = 0; i < 8; i++) keys.push(await token(`bulk-${i}`, { ttlDays: 3 }));
    emu.setFaults({ errorRate: 0.05 });
    session.lock();
    try {
      expect(
        killed(
          await runDriver(
            'answered@4',
            keys.map((k) => k.id),
          ),
        ),
      ).toBe(true);
    } finally {
      emu.setFaults({ errorRate: 0 });
    }
    session = await openVault(vaultPath, PASSWORD);
    for (const k of keys) expect(await status(session.readSecret(k.id))).toBe(200);
    expect((await resumeRotations(session, opts)).every((r) => r.ok)).toBe(true);
    expect(session.listPending(ROTATION)).toEqual([]);
    for (const k of keys) {
      expect(await status(session.readSecret(k.id))).toBe(200);
      expect(live(k.name).map((t) => t.name)).toEqual([session.getKey(k.id).remoteId]);
    }
  });

  it.each(['stored', 'verified', 'retired'] as const)(
    'the workspace credential killed after %s: resume deletes the old token with the new one',
    async (point) => {
      const credId = session.getWorkspace('r2').credentialKeyId!;
      const oldBearer = session.readSecret(credId);
      session.lock();
      expect(killed(await runDriver(point, [credId]))).toBe(true);
      session = await openVault(vaultPath, PASSWORD);
      expect(await status(session.readSecret(credId))).toBe(200);
      expect((await resumeRotations(session, opts))[0]).toMatchObject({ ok: true });
      expect(await status(oldBearer)).toBe(401);
      expect(await status(session.readSecret(credId))).toBe(200);
      emu.demo.token = session.readSecret(credId);
    },
  );
});
