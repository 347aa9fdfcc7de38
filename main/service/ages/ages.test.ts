import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGithub, type GithubEmulator } from '../../../emulators/github';
import { startRancher2 } from '../../../emulators/rancher2';
import { startRancher, type RancherEmulator } from '../../../emulators/rancher';
import { startSyncano, type SyncanoEmulator } from '../../../emulators/syncano';
import { failure } from '../../errors.testkit';
import { createVault, openVault } from '../../vault';
import type { KeyRecord, VaultSession } from '../../vault/types';
import { connectWorkspace } from '../connect';
import { addKey, listKeyViews } from '../keys';
import { createRemoteKey } from '../remote-keys';
import { ROTATION, resumeRotations } from '../rotation';
import { syncWorkspace } from '../sync';
import { needsAttention } from './attention';
import { removePolicy, setPolicy } from './policies';
import { planDueRotation, rotateDue } from './rotate-due';
import { DAY_MS } from './status';
import { runCrashDriver } from '../rotation/crash-driver.testkit';

const PASSWORD = 'pw-ages-test';
const opts = { http: { backoffMs: 5 } };
const expectCode = async (fn: () => unknown, code: string) => expect((await failure((async () => fn())())).code).toBe(code);
const daysAgo = (n: number) => new Date(Date.now() - n * DAY_MS);
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
  dir = mkdtempSync(join(tmpdir(), 'keyhold-ages-'));
  vaultPath = join(dir, 'v.keyhold');
  session = await createVault(vaultPath, PASSWORD, { kdf: { memoryKiB: 65536, iterations: 3, parallelism: 1 } });
});
afterEach(() => {
  session.lock();
  rmSync(dir, { recursive: true, force: true });
});

/** Rancher keys made in Keyhold, then dated `age` days back on the platform and synced. */
async function oldRancherKeys(ws: string, count: number, age: number): Promise<KeyRecord[]> {
  session.addWorkspace({ name: ws, provider: 'rancher', url: rancher.url });
  await connectWorkspace(session, { workspace: ws, accessKey: rancher.demo.accessKey, secretKey: rancher.demo.secretKey }, opts);
  await syncWorkspace(session, ws, opts);
  const keys: KeyRecord[] = [];
  for (let i = 0; i < count; i++)
    keys.push((await createRemoteKey(session, { workspace: ws, env: 'Default', kind: 'access_key_pair', name: `${ws}-${i}` }, opts)).key);
  const mine = new Set(keys.map((k) => k.remoteId));
  for (const k of rancher.state.keys.values())
    if (mine.has(k.id))
      k.created = daysAgo(age)
        .toISOString()
        .replace(/\.\d+Z$/, 'Z');
  await syncWorkspace(session, ws, opts);
  return keys;
}

function rancherWorks(key: KeyRecord): boolean {
  const k = session.getKey(key.id);
  const remote = [...rancher.state.keys.values()].find((r) => r.publicValue === k.publicPart);
  return Boolean(remote && remote.state === 'active' && remote.secretValue === session.readSecret(k.id));
}

describe('key ages from the platforms', () => {
  it("records GitHub's created_at and last_used on sync, and a key registered behind Keyhold's back shows as unknown and unused", async () => {
    session.addWorkspace({ name: 'gh', provider: 'github', url: github.url });
    await connectWorkspace(session, { workspace: 'gh', token: github.demo.token }, opts);
    const line = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';
    const outside = github.state.addKey(github.demo.login, line, 'laptop of a former admin', {
      createdAt: daysAgo(400),
      lastUsed: daysAgo(200),
    });
    setPolicy(session, { workspace: 'gh', maxAgeDays: 365 });
    await syncWorkspace(session, 'gh', opts);
    const view = listKeyViews(session, { workspaceId: session.getWorkspace('gh').id }).items.find(
      (k) => k.remoteId === String(outside.id),
    )!;
    expect(view).toMatchObject({
      ageSource: 'platform',
      ageDays: 400,
      status: 'due',
      lastUsedAt: new Date(outside.last_used!).toISOString(),
    });
    const a = needsAttention(session);
    expect(a.unknown.map((k) => k.id)).toEqual([view.id]);
    expect(a.unused.map((k) => k.id)).toEqual([view.id]);
    expect(a.due.map((k) => k.id)).toEqual([view.id]);
  });

  it("keeps Syncano's created_at across a reset: the rotation in Keyhold is what the age counts from", async () => {
    session.addWorkspace({ name: 'sy', provider: 'syncano', url: syncano.url });
    await connectWorkspace(session, { workspace: 'sy', email: syncano.demo.email, password: syncano.demo.password }, opts);
    const old = syncano.state.addApiKey(syncano.state.instances.get('demo-instance')!, { description: 'old backend' }, daysAgo(200));
    setPolicy(session, { workspace: 'sy', maxAgeDays: 180, warnDays: 30 });
    await syncWorkspace(session, 'sy', opts);
    const due = needsAttention(session).due;
    expect(due.map((k) => k.remoteId)).toEqual([String(old.id)]);
    const out = await rotateDue(session, { workspace: 'sy' }, opts);
    expect(out).toMatchObject({ rotated: 1, failed: 0, manual: [] });
    await syncWorkspace(session, 'sy', opts);
    expect(needsAttention(session).due).toEqual([]);
    expect(session.readSecret(due[0]!.id)).toBe(syncano.state.instances.get('demo-instance')!.apiKeys.get(old.id)!.api_key);
  });

  it('rotates every due Rancher key and leaves nothing due, no key lost and no key orphaned', async () => {
    const keys = await oldRancherKeys('ra', 3, 100);
    setPolicy(session, { workspace: 'ra', env: 'Default', maxAgeDays: 90 });
    const before = session.listKeys().total;
    const plan = planDueRotation(session);
    expect(plan.rotate.sort()).toEqual(keys.map((k) => k.id).sort());
    const progress: number[] = [];
    const out = await rotateDue(session, {}, { ...opts, onProgress: (p) => progress.push(p.done) });
    expect(out).toMatchObject({ rotated: 3, failed: 0 });
    expect(progress).toEqual([1, 2, 3]);
    expect(needsAttention(session).due).toEqual([]);
    expect(session.listKeys().total).toBe(before);
    for (const k of keys) expect(rancherWorks(k)).toBe(true);
  });

  it("takes a Rancher 2 token's expiry and creation from the platform: expiring within the warning window makes it due", async () => {
    const emu = await startRancher2({ maxTtlMinutes: 60 * 24 * 90 });
    try {
      session.addWorkspace({ name: 'r2', provider: 'rancher2', url: emu.url });
      await connectWorkspace(session, { workspace: 'r2', token: emu.demo.token }, opts);
      emu.state.createToken(emu.demo.userId, { description: 'short lived', ttl: 10 * DAY_MS, createdMs: Date.now() - DAY_MS });
      await syncWorkspace(session, 'r2', opts);
      const views = listKeyViews(session, { workspaceId: session.getWorkspace('r2').id }).items;
      const short = views.find((k) => k.name === 'short lived')!;
      expect(short).toMatchObject({ ageSource: 'platform', ageDays: 1, status: 'due' });
      expect(Date.parse(short.dueAt!)).toBe(Date.parse(short.expiresAt!) - 14 * DAY_MS);
      const a = needsAttention(session);
      expect(a.expiring.map((k) => k.name)).toContain('short lived');
      expect(a.due.map((k) => k.name)).toContain('short lived');
      // one expiring in 60 days is not yet within the window, policy or not
      expect(views.find((k) => k.name === 'production only')).toMatchObject({ status: 'ok' });
    } finally {
      await emu.close();
    }
  });

  it('lists a due key whose platform cannot rotate it (Encord) with the steps to do by hand', async () => {
    const ws = session.addWorkspace({ name: 'en', provider: 'encord' });
    const k = addKey(session, {
      workspaceId: ws.id,
      kind: 'access_key_pair',
      name: 'signing',
      secret: 's',
      createdAt: daysAgo(50).toISOString(),
    });
    setPolicy(session, { workspace: 'en', maxAgeDays: 30 });
    const out = await rotateDue(session);
    expect(out.rotated).toBe(0);
    expect(out.manual).toEqual([
      expect.objectContaining({
        id: k.id,
        reason: expect.stringMatching(/registered by hand/),
        steps: expect.arrayContaining([expect.stringContaining('key rm')]),
      }),
    ]);
    expect(listKeyViews(session).items[0]).toMatchObject({ ageSource: 'manual', ageDays: 50 });
  });

  it('refuses bad policies with USAGE or NOT_FOUND and changes nothing; setting a scope again replaces its policy', async () => {
    session.addWorkspace({ name: 'w', provider: 'local' });
    await expectCode(async () => setPolicy(session, { workspace: 'w', maxAgeDays: -1 }), 'USAGE');
    await expectCode(async () => setPolicy(session, { workspace: 'w', maxAgeDays: 0 }), 'USAGE');
    await expectCode(async () => setPolicy(session, { workspace: 'w', maxAgeDays: 10, warnDays: -3 }), 'USAGE');
    await expectCode(async () => setPolicy(session, { workspace: 'nope', maxAgeDays: 10 }), 'NOT_FOUND');
    await expectCode(async () => setPolicy(session, { workspace: 'w', env: 'nope', maxAgeDays: 10 }), 'NOT_FOUND');
    await expectCode(async () => removePolicy(session, 'nope'), 'NOT_FOUND');
    expect(session.listPolicies()).toEqual([]);
    const a = setPolicy(session, { workspace: 'w', maxAgeDays: 10 });
    const b = setPolicy(session, { workspace: 'w', maxAgeDays: 20, warnDays: 2 });
    expect(b).toMatchObject({ id: a.id, maxAgeDays: 20, warnDays: 2 });
    expect(session.listPolicies()).toHaveLength(1);
  });
});

const runDriver = (point: string, ids: string[]) => runCrashDriver(vaultPath, PASSWORD, point, ids);

describe('rotating what is due, killed with SIGKILL in the middle', () => {
  it('every key keeps a working secret; resume and a second run leave nothing due', async () => {
    const keys = await oldRancherKeys('rk', 4, 120);
    setPolicy(session, { workspace: 'rk', maxAgeDays: 90 });
    const ids = planDueRotation(session).rotate;
    expect(ids).toHaveLength(4);
    session.lock();
    const run = await runDriver('stored@2', ids);
    expect(run.signal === 'SIGKILL' || run.code === 137).toBe(true);
    session = await openVault(vaultPath, PASSWORD);
    for (const k of keys) expect(rancherWorks(k)).toBe(true);
    await resumeRotations(session, opts);
    await rotateDue(session, {}, opts);
    expect(session.listPending(ROTATION)).toEqual([]);
    expect(needsAttention(session).due).toEqual([]);
    for (const k of keys) expect(rancherWorks(k)).toBe(true);
    const live = [...rancher.state.keys.values()].filter(
      (r) => r.name?.startsWith('rk-') && !['removed', 'removing', 'purged'].includes(r.state),
    );
    expect(live).toHaveLength(4);
  });
});
