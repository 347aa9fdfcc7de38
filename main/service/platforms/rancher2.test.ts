import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startRancher2, type Rancher2Emulator } from '../../../emulators/rancher2';
import { failure } from '../../errors.testkit';
import { createVault } from '../../vault';
import type { VaultSession } from '../../vault/types';
import { connectWorkspace } from '../connect';
import { checkRemoteKey, createRemoteKey, editRemoteKey, revokeRemoteKey, setRemoteKeyActive } from '../remote-keys';
import { syncWorkspace } from '../sync';

const KDF = { memoryKiB: 65536, iterations: 3, parallelism: 1 };
const opts = { http: { backoffMs: 5 } };
const DAY = 86_400_000;
let dir: string;
let session: VaultSession;
let emu: Rancher2Emulator;

beforeAll(async () => {
  emu = await startRancher2({ maxTtlMinutes: 60 * 24 * 90 });
});
afterAll(() => emu.close());
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'keyhold-rancher2-'));
  session = await createVault(join(dir, 'v.keyhold'), 'pw-rancher2-test', { kdf: KDF });
  session.addWorkspace({ name: 'r2', provider: 'rancher2', url: emu.url });
});
afterEach(() => {
  session.lock();
  rmSync(dir, { recursive: true, force: true });
});

const connect = () => connectWorkspace(session, { workspace: 'r2', token: emu.demo.token }, opts);
/** whether a bearer authenticates on the emulator, read from its own state */
const works = (bearer: string) => {
  const t = emu.state.match(bearer);
  return Boolean(t && t.enabled && !emu.state.expired(t));
};

describe('Rancher 2 workspace', () => {
  it("connects with an API token (stored sealed as the credential); a wrong one is refused with the platform's message, nothing stored", async () => {
    const bad = await failure(
      connectWorkspace(session, { workspace: 'r2', token: `${emu.demo.token.split(':')[0]}:nottheonesecret1` }, opts),
    );
    expect(bad).toMatchObject({ code: 'REMOTE', status: 401 });
    expect(bad.message).toContain('Unauthorized 401: must authenticate');
    expect(bad.message).not.toContain('nottheonesecret1');
    expect(session.listKeys().total).toBe(0);
    const res = await connect();
    const cred = session.getKey(res.credentialKeyId);
    expect(cred).toMatchObject({ kind: 'token', remoteId: emu.demo.token.split(':')[0], description: 'keyhold demo' });
    expect(session.readSecret(cred.id)).toBe(emu.demo.token);
  });

  it('a cluster-scoped token cannot connect: the 401 says why it may be', async () => {
    const scoped = emu.state.createToken(emu.demo.userId, { clusterId: emu.demo.clusterId, ttl: DAY }).bearer;
    const e = await failure(connectWorkspace(session, { workspace: 'r2', token: scoped }, opts));
    expect(e).toMatchObject({ code: 'REMOTE', status: 401 });
    expect(e.message).toMatch(/scoped to a cluster/);
  });

  it('sync: clusters become environments, API keys become token keys with expiry and last use; expired shows expired', async () => {
    await connect();
    const r = await syncWorkspace(session, 'r2', opts);
    expect(r.environments.added).toBe(2);
    const keys = session.listKeys({ workspaceId: session.getWorkspace('r2').id }).items;
    const byDesc = new Map(keys.map((k) => [k.description, k]));
    expect([...byDesc.keys()]).not.toContain('Kubeconfig token');
    expect(byDesc.get('old pipeline')!.state).toBe('expired');
    expect(byDesc.get('ci deploy')!.state).toBe('active');
    expect(Date.parse(byDesc.get('ci deploy')!.meta.expiresAt!)).toBeGreaterThan(Date.now());
    const scoped = byDesc.get('production only')!;
    expect(session.getEnvironment(scoped.environmentId!).remoteId).toBe('c-m-7x2kq');
    expect(session.listKeys({ state: 'expired' }).items.map((k) => k.description)).toContain('old pipeline');
    // the credential was used by the sync itself: its last use is read on the next sync, quietly
    const second = await syncWorkspace(session, 'r2', opts);
    expect(second.keys).toMatchObject({ added: 0, updated: 0, missing: 0 });
    const cred = session.getKey(session.getWorkspace('r2').credentialKeyId!);
    expect(cred.meta.lastUsedAt).toMatch(/Z$/);
  });

  it('creates a token with a TTL in days and a cluster scope: the value straight into the vault, expiry read back', async () => {
    await connect();
    const { key } = await createRemoteKey(
      session,
      { workspace: 'r2', kind: 'token', name: 'deploy', description: 'CD rollout', ttlDays: 7, cluster: 'c-m-7x2kq' },
      opts,
    );
    const remote = emu.state.tokens.get(key.remoteId!)!;
    expect(remote).toMatchObject({ description: 'CD rollout', ttl: 7 * DAY, clusterId: 'c-m-7x2kq' });
    expect(works(session.readSecret(key.id))).toBe(true);
    expect(Math.abs(Date.parse(key.meta.expiresAt!) - (remote.createdMs + 7 * DAY))).toBeLessThan(1000);
    expect(session.getEnvironment(key.environmentId!).remoteId).toBe('c-m-7x2kq');
    expect(await checkRemoteKey(session, key.id, opts)).toMatchObject({ works: true });
    // a sync finds the same key, not a second one
    await syncWorkspace(session, 'r2', opts);
    expect(session.listKeys({ search: 'CD rollout' }).total).toBe(1);
  });

  it('a TTL above the server max is cut silently (the audit says so); an unknown cluster is NOT_FOUND before any create', async () => {
    await connect();
    const { key } = await createRemoteKey(session, { workspace: 'r2', kind: 'token', name: 'long', ttlDays: 400 }, opts);
    expect(emu.state.tokens.get(key.remoteId!)!.ttl).toBe(90 * DAY);
    expect(session.listAudit({ keyId: key.id })[0]!.detail).toMatch(/TTL cut by the server to 90 days/);
    const before = emu.state.tokens.size;
    expect(await failure(createRemoteKey(session, { workspace: 'r2', kind: 'token', name: 'x', cluster: 'c-nope' }, opts))).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(emu.state.tokens.size).toBe(before);
  });

  it('revoke deletes the token on Rancher (gone from its state, the value gets 401); the record stays revoked', async () => {
    await connect();
    const { key } = await createRemoteKey(session, { workspace: 'r2', kind: 'token', name: 'temp' }, opts);
    const bearer = session.readSecret(key.id);
    const rec = await revokeRemoteKey(session, key.id, opts);
    expect(rec.state).toBe('revoked');
    expect(emu.state.tokens.has(key.remoteId!)).toBe(false);
    expect(works(bearer)).toBe(false);
    expect(await checkRemoteKey(session, key.id, opts)).toMatchObject({ works: false });
  });

  it("an expired token checks as not working with the platform's 401", async () => {
    await connect();
    const { key } = await createRemoteKey(session, { workspace: 'r2', kind: 'token', name: 'short', ttlDays: 1 }, opts);
    emu.state.advance(DAY + 1000);
    try {
      const r = await checkRemoteKey(session, key.id, opts);
      expect(r.works).toBe(false);
      expect(r.detail).toContain('Unauthorized 401: must authenticate');
      await syncWorkspace(session, 'r2', opts);
      expect(session.getKey(key.id).state).toBe('expired');
    } finally {
      emu.state.advance(-(DAY + 1000));
    }
  });

  it("enable/disable and a remote description change are refused with the platform's reason (no update in /v3); a local rename works", async () => {
    await connect();
    const { key } = await createRemoteKey(session, { workspace: 'r2', kind: 'token', name: 'fixed' }, opts);
    const e = await failure(setRemoteKeyActive(session, key.id, false, opts));
    expect(e.code).toBe('USAGE');
    expect(e.message).toContain('PUT /v3/tokens/<name> answers 404 "no store found"');
    expect(session.getKey(key.id).state).toBe('active');
    expect(await failure(editRemoteKey(session, key.id, { description: 'new' }, opts))).toMatchObject({ code: 'USAGE' });
    expect((await editRemoteKey(session, key.id, { name: 'renamed' }, opts)).name).toBe('renamed');
  });

  it("an expired workspace token: sync fails with the platform's 401 and changes nothing", async () => {
    await connect();
    await syncWorkspace(session, 'r2', opts);
    const before = session.listKeys().total;
    emu.state.advance(91 * DAY);
    try {
      const e = await failure(syncWorkspace(session, 'r2', opts));
      expect(e).toMatchObject({ code: 'REMOTE', status: 401 });
      expect(e.message).toContain('Unauthorized 401: must authenticate');
      expect(session.listKeys().total).toBe(before);
    } finally {
      emu.state.advance(-91 * DAY);
    }
  });

  it('a token deleted on Rancher is marked missing on sync; the local secret is kept', async () => {
    await connect();
    const { key } = await createRemoteKey(session, { workspace: 'r2', kind: 'token', name: 'vanishing' }, opts);
    emu.state.tokens.delete(key.remoteId!);
    expect((await syncWorkspace(session, 'r2', opts)).keys.missing).toBeGreaterThanOrEqual(1);
    expect(session.getKey(key.id).remoteMissing).toBe(true);
    expect(session.readSecret(key.id)).toContain(':');
  });
});
