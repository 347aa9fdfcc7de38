import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGithub, type GithubEmulator } from '../../../emulators/github';
import { startRancher, type RancherEmulator } from '../../../emulators/rancher';
import { startSyncano, type SyncanoEmulator } from '../../../emulators/syncano';
import { createVault, openVault } from '../../vault';
import type { KeyRecord, VaultSession } from '../../vault/types';
import { connectWorkspace } from '../connect';
import { createRemoteKey } from '../remote-keys';
import { ROTATION, ROTATION_POINTS, resumeRotations, rotateKey, rotateKeys, type RotationProgress } from '.';
import { syncWorkspace } from '../sync';
import { killed, runCrashDriver } from './crash-driver.testkit';

const KDF = { memoryKiB: 65536, iterations: 3, parallelism: 1 };
const PASSWORD = 'pw-rotation-test';
const opts = { http: { backoffMs: 5 } };
let dir: string;
let vaultPath: string;
let session: VaultSession;
let rancher: RancherEmulator;
let syncano: SyncanoEmulator;
let github: GithubEmulator;

beforeAll(async () => {
  [rancher, syncano, github] = await Promise.all([startRancher(), startSyncano(), startGithub()]);
});
afterAll(async () => {
  await Promise.all([rancher.close(), syncano.close(), github.close()]);
});
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'keyhold-rotation-'));
  vaultPath = join(dir, 'v.keyhold');
  session = await createVault(vaultPath, PASSWORD, { kdf: KDF });
  rancher.setFaults({ queue: [], queuePath: null, errorRate: 0, dropRate: 0, latencyMs: 0 });
  syncano.setFaults({ queue: [], queuePath: null, errorRate: 0, dropRate: 0, latencyMs: 0 });
});
afterEach(() => {
  session.lock();
  rmSync(dir, { recursive: true, force: true });
});

/** Whether the key's current stored secret authenticates on the emulator (its own state, no HTTP). */
function rancherWorks(s: VaultSession, key: KeyRecord): boolean {
  const k = s.getKey(key.id);
  const remote = [...rancher.state.keys.values()].find((r) => r.publicValue === k.publicPart);
  return Boolean(remote && remote.state === 'active' && remote.secretValue === s.readSecret(k.id));
}
function activeRancherKeysNamed(name: string): number {
  return [...rancher.state.keys.values()].filter((k) => k.name === name && !['removed', 'removing', 'purged'].includes(k.state)).length;
}

async function rancherKeys(count: number, prefix: string): Promise<KeyRecord[]> {
  session.addWorkspace({ name: 'ra', provider: 'rancher', url: rancher.url });
  await connectWorkspace(session, { workspace: 'ra', accessKey: rancher.demo.accessKey, secretKey: rancher.demo.secretKey }, opts);
  await syncWorkspace(session, 'ra', opts);
  const keys: KeyRecord[] = [];
  for (let i = 0; i < count; i++)
    keys.push(
      (await createRemoteKey(session, { workspace: 'ra', env: 'Default', kind: 'access_key_pair', name: `${prefix}-${i}` }, opts)).key,
    );
  await new Promise((r) => setTimeout(r, 5));
  return keys;
}

describe('rotation (in process)', () => {
  it('rotates a Rancher key: new pair stored as a new version, verified, old deactivated and deleted', async () => {
    const [key] = await rancherKeys(1, 'rot');
    const oldPublic = key!.publicPart;
    const result = await rotateKey(session, key!.id, opts);
    expect(result).toMatchObject({ id: key!.id, ok: true, version: 2 });
    const now = session.getKey(key!.id);
    expect(now.publicPart).not.toBe(oldPublic);
    expect(now.rotatedAt).not.toBeNull();
    expect(rancherWorks(session, now)).toBe(true);
    await new Promise((r) => setTimeout(r, 5));
    expect([...rancher.state.keys.values()].find((k) => k.publicValue === oldPublic)!.state).toBe('removed');
    expect(session.listVersions(key!.id)).toHaveLength(2);
    expect(session.listPending(ROTATION)).toEqual([]);
    expect(session.listAudit({ keyId: key!.id }).some((e) => e.action === 'rotated')).toBe(true);
  });

  it("rotates the workspace's own Rancher credential and keeps managing with the new one", async () => {
    await rancherKeys(0, 'none');
    const cred = session.getWorkspace('ra').credentialKeyId!;
    expect((await rotateKey(session, cred, opts)).ok).toBe(true);
    expect(rancherWorks(session, session.getKey(cred))).toBe(true);
    expect((await createRemoteKey(session, { workspace: 'ra', kind: 'access_key_pair', name: 'after' }, opts)).key.remoteId).toBeTruthy();
    // put the demo key back for the other tests
    rancher.demo.accessKey = session.getKey(cred).publicPart!;
    rancher.demo.secretKey = session.readSecret(cred);
  });

  it('bulk rotation with bounded concurrency reports progress and a result per key, through 500s and drops', async () => {
    const keys = await rancherKeys(12, 'bulk');
    rancher.setFaults({ errorRate: 0.1, dropRate: 0.05 });
    const progress: RotationProgress[] = [];
    const results = await rotateKeys(
      session,
      keys.map((k) => k.id),
      { ...opts, concurrency: 4, onProgress: (p) => progress.push(p) },
    );
    rancher.setFaults({ errorRate: 0, dropRate: 0 });
    expect(progress).toHaveLength(12);
    expect(progress.at(-1)).toMatchObject({ total: 12, done: 12 });
    expect(results.map((r) => r.id)).toEqual(keys.map((k) => k.id));
    // every key, rotated or not, holds a secret that works
    for (const k of keys) expect(rancherWorks(session, k)).toBe(true);
    // a failed one is resumable and finishes on resume
    await resumeRotations(session, opts);
    expect(session.listPending(ROTATION)).toEqual([]);
    for (const k of keys) {
      expect(rancherWorks(session, k)).toBe(true);
      expect(activeRancherKeysNamed(k.name)).toBe(1);
    }
  });

  it('a lost create answer leaves no orphan: the retry removes the unknown key first', async () => {
    const [key] = await rancherKeys(1, 'orphan');
    rancher.setFaults({ queue: ['lose'], queuePath: '/v2-beta/projects/1a5/apikeys' });
    const result = await rotateKey(session, key!.id, opts);
    rancher.setFaults({ queuePath: null });
    expect(rancher.faults.queue).toEqual([]);
    expect(result.ok).toBe(true);
    await new Promise((r) => setTimeout(r, 5));
    expect(activeRancherKeysNamed(key!.name)).toBe(1);
    expect(rancherWorks(session, key!)).toBe(true);
  });

  it('a new key that never authenticates is rolled back: the old one stays current and active', async () => {
    const [key] = await rancherKeys(1, 'rollback');
    const oldPublic = key!.publicPart;
    const realCreate = rancher.state.createKey.bind(rancher.state);
    rancher.state.createKey = (accountId, name, description) => {
      const k = realCreate(accountId, name, description);
      k.generation = -1;
      k.state = 'registering';
      setImmediate(() => (k.state = 'inactive')); // the platform never lets it in
      return k;
    };
    try {
      const result = await rotateKey(session, key!.id, opts);
      expect(result).toMatchObject({ ok: false, error: { code: 'REMOTE' } });
    } finally {
      rancher.state.createKey = realCreate;
    }
    expect(session.getKey(key!.id).publicPart).toBe(oldPublic);
    expect(rancherWorks(session, key!)).toBe(true);
    expect(session.listPending(ROTATION)).toEqual([]);
  });

  it('Syncano: reset is the rotation; a lost reset answer is recovered by re-reading the key', async () => {
    session.addWorkspace({ name: 'sy', provider: 'syncano', url: syncano.url });
    await connectWorkspace(session, { workspace: 'sy', email: syncano.demo.email, password: syncano.demo.password }, opts);
    await syncWorkspace(session, 'sy', opts);
    const key = session.listKeys({ kind: 'api_key' }).items[0]!;
    const remote = () => syncano.state.instances.get('demo-instance')!.apiKeys.get(Number(key.remoteId))!;
    expect((await rotateKey(session, key.id, opts)).ok).toBe(true);
    expect(session.readSecret(key.id)).toBe(remote().api_key);
    // the reset happens but its answer is lost: the old value is dead, the new one unknown
    syncano.setFaults({ queue: ['lose'], queuePath: '/reset_key/' });
    const second = await rotateKey(session, key.id, opts);
    syncano.setFaults({ queuePath: null });
    expect(syncano.faults.queue).toEqual([]);
    expect(second.ok).toBe(true);
    expect(session.readSecret(key.id)).toBe(remote().api_key);
    const user = session.listKeys({ kind: 'user_key' }).items[0]!;
    expect((await rotateKey(session, user.id, opts)).ok).toBe(true);
    const cred = session.getWorkspace('sy').credentialKeyId!;
    expect((await rotateKey(session, cred, opts)).ok).toBe(true);
    expect(session.readSecret(cred)).toBe(syncano.state.accounts[0]!.account_key);
  });

  it('Syncano account key: a lost reset answer waits for a login, which settles it', async () => {
    session.addWorkspace({ name: 'sy', provider: 'syncano', url: syncano.url });
    await connectWorkspace(session, { workspace: 'sy', email: syncano.demo.email, password: syncano.demo.password }, opts);
    const cred = session.getWorkspace('sy').credentialKeyId!;
    syncano.setFaults({ queue: ['lose'], queuePath: '/account/reset_key/' });
    const result = await rotateKey(session, cred, opts);
    syncano.setFaults({ queuePath: null });
    expect(result).toMatchObject({ ok: false, error: { code: 'REMOTE', message: expect.stringContaining('workspace connect sy') } });
    expect(session.listPending(ROTATION).map((op) => op.step)).toEqual(['needs_login']);
    // resuming without a login changes nothing and says the same
    expect(await resumeRotations(session, opts)).toEqual([]);
    await connectWorkspace(session, { workspace: 'sy', email: syncano.demo.email, password: syncano.demo.password }, opts);
    expect(session.listPending(ROTATION)).toEqual([]);
    expect(session.readSecret(cred)).toBe(syncano.state.accounts[0]!.account_key);
    expect(session.listAudit({ keyId: cred }).some((e) => e.action === 'rotated')).toBe(true);
  });

  it('GitHub: a new key pair registered, stored, verified, the old one deleted', async () => {
    session.addWorkspace({ name: 'gh', provider: 'github', url: github.url });
    await connectWorkspace(session, { workspace: 'gh', token: github.demo.token }, opts);
    const { key } = await createRemoteKey(session, { workspace: 'gh', kind: 'ssh_key_pair', name: 'deploy' }, opts);
    const oldId = Number(key.remoteId);
    expect((await rotateKey(session, key.id, opts)).ok).toBe(true);
    const now = session.getKey(key.id);
    expect(now.fingerprint).not.toBe(key.fingerprint);
    expect(github.state.keys.has(oldId)).toBe(false);
    expect(github.state.keys.get(Number(now.remoteId))!.key).toBe(now.publicPart!.split(' ').slice(0, 2).join(' '));
    expect(session.readSecret(key.id)).toContain('BEGIN OPENSSH PRIVATE KEY');
  });
});

const runDriver = (point: string, ids: string[]) => runCrashDriver(vaultPath, PASSWORD, point, ids);

describe('rotation killed with SIGKILL at every point of the journal, then resumed', () => {
  it.each(ROTATION_POINTS.filter((p) => p !== 'recorded'))(
    'Rancher, killed after %s: the stored secret works before and after resume',
    async (point) => {
      const [key] = await rancherKeys(1, `crash-${point}`);
      session.lock();
      const run = await runDriver(point, [key!.id]);
      expect(killed(run)).toBe(true);
      session = await openVault(vaultPath, PASSWORD);
      // at the moment of the kill the vault held a working credential
      expect(rancherWorks(session, key!)).toBe(true);
      const resumed = await resumeRotations(session, opts);
      expect(resumed).toEqual([expect.objectContaining({ id: key!.id, ok: true, resumed: true })]);
      expect(session.listPending(ROTATION)).toEqual([]);
      expect(rancherWorks(session, key!)).toBe(true);
      expect(session.getKey(key!.id).publicPart).not.toBe(key!.publicPart);
      await new Promise((r) => setTimeout(r, 5));
      expect(activeRancherKeysNamed(key!.name)).toBe(1); // no orphan, the old one retired
    },
  );

  it.each(['answered@6', 'stored@6', 'retired@6'] as const)(
    'bulk of 16 Rancher keys killed at %s: every key keeps a working secret, resume finishes all without orphans',
    async (spec) => {
      const keys = await rancherKeys(16, `bulk-crash-${spec.replace('@', '-')}`);
      rancher.setFaults({ errorRate: 0.05 });
      session.lock();
      expect(
        killed(
          await runDriver(
            spec,
            keys.map((k) => k.id),
          ),
        ),
      ).toBe(true);
      rancher.setFaults({ errorRate: 0 });
      session = await openVault(vaultPath, PASSWORD);
      for (const k of keys) expect(rancherWorks(session, k)).toBe(true);
      const resumed = await resumeRotations(session, opts);
      expect(resumed.every((r) => r.ok)).toBe(true);
      expect(session.listPending(ROTATION)).toEqual([]);
      await new Promise((r) => setTimeout(r, 5));
      for (const k of keys) {
        expect(rancherWorks(session, k)).toBe(true);
        expect(activeRancherKeysNamed(k.name)).toBe(1);
      }
    },
  );

  it.each(['verified', 'retired'] as const)(
    'Rancher workspace credential, killed after %s: resume retires the old pair with the new one',
    async (point) => {
      await rancherKeys(0, 'cred');
      const cred = session.getKey(session.getWorkspace('ra').credentialKeyId!);
      session.lock();
      expect(killed(await runDriver(point, [cred.id]))).toBe(true);
      session = await openVault(vaultPath, PASSWORD);
      expect(rancherWorks(session, cred)).toBe(true);
      expect((await resumeRotations(session, opts))[0]).toMatchObject({ ok: true });
      expect(rancherWorks(session, cred)).toBe(true);
      await new Promise((r) => setTimeout(r, 5));
      expect([...rancher.state.keys.values()].find((k) => k.publicValue === cred.publicPart)!.state).toBe('removed');
      rancher.demo.accessKey = session.getKey(cred.id).publicPart!;
      rancher.demo.secretKey = session.readSecret(cred.id);
    },
  );

  it.each(['journaled', 'answered', 'stored', 'verified', 'retired'] as const)(
    'GitHub key, killed after %s: exactly the stored key is registered after resume',
    async (point) => {
      session.addWorkspace({ name: 'gh', provider: 'github', url: github.url });
      await connectWorkspace(session, { workspace: 'gh', token: github.demo.token }, opts);
      const { key } = await createRemoteKey(session, { workspace: 'gh', kind: 'ssh_key_pair', name: `crash-${point}` }, opts);
      const registered = (line: string | null) =>
        [...github.state.keys.values()].some((k) => line !== null && k.key === line.split(' ').slice(0, 2).join(' '));
      session.lock();
      expect(killed(await runDriver(point, [key.id]))).toBe(true);
      session = await openVault(vaultPath, PASSWORD);
      expect(registered(session.getKey(key.id).publicPart)).toBe(true);
      expect((await resumeRotations(session, opts))[0]).toMatchObject({ ok: true });
      const now = session.getKey(key.id);
      expect(registered(now.publicPart)).toBe(true);
      expect(now.publicPart).not.toBe(key.publicPart);
      expect(registered(key.publicPart)).toBe(false);
      expect([...github.state.keys.values()].filter((k) => k.title === key.name)).toHaveLength(1);
    },
  );

  it.each(['journaled', 'answered', 'stored', 'verified'] as const)(
    'Syncano API key, killed after %s: resume re-reads the platform and stores the working key',
    async (point) => {
      session.addWorkspace({ name: 'sy', provider: 'syncano', url: syncano.url });
      await connectWorkspace(session, { workspace: 'sy', email: syncano.demo.email, password: syncano.demo.password }, opts);
      const { key } = await createRemoteKey(
        session,
        { workspace: 'sy', env: 'demo-instance', kind: 'api_key', name: `crash-${point}` },
        { http: { backoffMs: 5 } },
      ).catch(async () => {
        await syncWorkspace(session, 'sy', opts);
        return createRemoteKey(session, { workspace: 'sy', env: 'demo-instance', kind: 'api_key', name: `crash-${point}` }, opts);
      });
      const remote = () => syncano.state.instances.get('demo-instance')!.apiKeys.get(Number(key.remoteId))!;
      session.lock();
      const run = await runDriver(point, [key.id]);
      expect(killed(run)).toBe(true);
      session = await openVault(vaultPath, PASSWORD);
      const resumed = await resumeRotations(session, opts);
      expect(resumed[0]).toMatchObject({ id: key.id, ok: true });
      expect(session.readSecret(key.id)).toBe(remote().api_key);
      expect(session.listPending(ROTATION)).toEqual([]);
    },
  );
});
