// The truth rule (docs/PLATFORMS.md): after every remote operation, the platform's own state is
// read back (the emulator's) and compared with what Keyhold recorded. A key is recorded revoked
// or rotated only when the platform shows it; when the platform refuses, Keyhold says so.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGithub, type GithubEmulator } from '../../emulators/github';
import { startRancher, type RancherEmulator } from '../../emulators/rancher';
import { startSyncano, type SyncanoEmulator } from '../../emulators/syncano';
import { failure } from '../errors.testkit';
import { createVault } from '../vault';
import type { VaultSession } from '../vault/types';
import { connectWorkspace, workspaceAccess } from './connect';
import { resolveEnvironment } from './identifiers';
import { createRemoteKey, revokeRemoteKey } from './remote-keys';
import { ROTATION, rotateKey } from './rotation';
import { syncWorkspace } from './sync';

const KDF = { memoryKiB: 65536, iterations: 3, parallelism: 1 };
const opts = { http: { backoffMs: 5 } };
let dir: string;
let session: VaultSession;
let github: GithubEmulator;
let syncano: SyncanoEmulator;
let rancher: RancherEmulator;

beforeAll(async () => {
  // Rancher's transitions take time, as on a real server
  [github, syncano, rancher] = await Promise.all([startGithub(), startSyncano(), startRancher({ transitionMs: 25 })]);
});
afterAll(async () => {
  await Promise.all([github.close(), syncano.close(), rancher.close()]);
});
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'keyhold-truth-'));
  session = await createVault(join(dir, 'v.keyhold'), 'pw-truth-test', { kdf: KDF });
});
afterEach(() => {
  session.lock();
  rmSync(dir, { recursive: true, force: true });
});

const audit = (action: string) => session.listAudit().filter((e) => e.action === action);

describe('GitHub with a token that lacks admin:public_key', () => {
  async function weak() {
    session.addWorkspace({ name: 'gh', provider: 'github', url: github.url });
    return connectWorkspace(session, { workspace: 'gh', token: github.demo.addOnlyToken }, opts);
  }

  it('connect says what the token can and cannot do, and the workspace keeps it', async () => {
    const res = await weak();
    expect(res.identity).toContain('can add keys, cannot delete them (needs admin:public_key)');
    expect(workspaceAccess(session, session.getWorkspace('gh'))).toMatchObject({
      grants: ['write:public_key', 'repo'],
      refuses: [{ operation: 'revoke' }, { operation: 'rotate' }],
    });
  });

  it('revoke is REMOTE naming the scope; the key stays on GitHub and stays active in the vault', async () => {
    await weak();
    const { key } = await createRemoteKey(session, { workspace: 'gh', kind: 'ssh_key_pair', name: 'laptop' }, opts);
    const e = await failure(revokeRemoteKey(session, key.id, opts));
    expect(e).toMatchObject({ code: 'REMOTE', remote: { status: 404, reason: 'scope' } });
    expect(e.message).toContain('admin:public_key');
    expect(github.state.keys.has(Number(key.remoteId))).toBe(true);
    expect(session.getKey(key.id).state).toBe('active');
    expect(audit('revoked')).toHaveLength(0);
  });

  it('rotation registers and stores the new key, then stops: not rotated, the old key listed and said so; a stronger token finishes it', async () => {
    await weak();
    const { key } = await createRemoteKey(session, { workspace: 'gh', kind: 'ssh_key_pair', name: 'laptop' }, opts);
    const oldId = Number(key.remoteId);
    const result = await rotateKey(session, key.id, opts);
    expect(result).toMatchObject({ ok: false, error: { code: 'REMOTE' } });
    expect(result.error!.message).toMatch(
      /old key \d+ is still registered and still works: the token lacks the admin:public_key scope.*Not rotated yet/,
    );
    const now = session.getKey(key.id);
    // both keys are on GitHub; the vault holds the new one and knows the old one is still there
    expect(github.state.keys.has(oldId)).toBe(true);
    expect(github.state.keys.has(Number(now.remoteId))).toBe(true);
    expect(now.remoteId).not.toBe(String(oldId));
    expect(session.listPending(ROTATION).map((op) => op.step)).toEqual(['old_kept']);
    expect(audit('rotated')).toHaveLength(0);
    expect(audit('registered').at(-1)!.detail).toContain(`old key ${oldId} is still registered`);

    // a token with admin:public_key: running the rotation again deletes the old key and only then records it
    await connectWorkspace(session, { workspace: 'gh', token: github.demo.token }, opts);
    expect((await rotateKey(session, key.id, opts)).ok).toBe(true);
    expect(github.state.keys.has(oldId)).toBe(false);
    expect(github.state.keys.has(Number(now.remoteId))).toBe(true);
    expect(session.listPending(ROTATION)).toHaveLength(0);
    expect(audit('rotated')).toHaveLength(1);
  });
});

describe('Syncano with an instance shared read-only', () => {
  it("sync goes on with the other instances and reports the one it could not read, with the platform's words", async () => {
    session.addWorkspace({ name: 'sy', provider: 'syncano', url: syncano.url });
    const connected = await connectWorkspace(
      session,
      { workspace: 'sy', email: syncano.demo.email, password: syncano.demo.password },
      opts,
    );
    expect(connected.access?.refuses.filter((r) => r.environment === syncano.demo.readOnlyInstance).map((r) => r.operation)).toEqual([
      'list',
      'create',
      'edit',
      'revoke',
      'rotate',
    ]);
    const res = await syncWorkspace(session, 'sy', opts);
    expect(res.skipped).toEqual([
      {
        environment: 'partner-reports',
        name: 'partner-reports',
        reason: 'Syncano: You do not have permission to perform this action. (HTTP 403) (your role: read)',
      },
    ]);
    // every readable instance's API keys are in the vault, with the platform's secrets
    for (const name of ['demo-instance', 'staging']) {
      const remote = [...syncano.state.instances.get(name)!.apiKeys.values()].map((k) => k.api_key).sort();
      const env = resolveEnvironment(session, name, 'sy');
      const local = session
        .listKeys({ environmentId: env.id, kind: 'api_key' })
        .items.map((k) => session.readSecret(k.id))
        .sort();
      expect(local).toEqual(remote);
    }
    const shared = resolveEnvironment(session, 'partner-reports', 'sy');
    expect(session.listKeys({ environmentId: shared.id }).total).toBe(0);
    expect(audit('synced').at(-1)!.detail).toContain('could not read partner-reports');
    // creating a key there is the platform's refusal, and nothing is stored
    const e = await failure(createRemoteKey(session, { workspace: 'sy', env: 'partner-reports', kind: 'api_key', name: 'x' }, opts));
    expect(e).toMatchObject({ code: 'REMOTE', status: 403 });
    expect(session.listKeys({ environmentId: shared.id }).total).toBe(0);
  });
});

describe('Rancher with asynchronous states', () => {
  async function connected() {
    session.addWorkspace({ name: 'ra', provider: 'rancher', url: rancher.url });
    await connectWorkspace(session, { workspace: 'ra', accessKey: rancher.demo.accessKey, secretKey: rancher.demo.secretKey }, opts);
    await syncWorkspace(session, 'ra', opts);
  }

  it('create waits until Rancher shows the key active; the environment is named by its Rancher id', async () => {
    await connected();
    const { key } = await createRemoteKey(session, { workspace: 'ra', env: '1a5', kind: 'access_key_pair', name: 'ci' }, opts);
    expect(rancher.state.keys.get(key.remoteId!)).toMatchObject({ state: 'active', accountId: '1a5' });
    expect(key.environmentId).toBe(resolveEnvironment(session, 'Default', 'ra').id);
  });

  it('revoke deactivates, waits, deletes and reads back: removed on Rancher before it is revoked in the vault', async () => {
    await connected();
    const { key } = await createRemoteKey(session, { workspace: 'ra', kind: 'access_key_pair', name: 'to-revoke' }, opts);
    const revoked = await revokeRemoteKey(session, key.id, opts);
    expect(revoked.state).toBe('revoked');
    expect(rancher.state.keys.get(key.remoteId!)!.state).toBe('removed');
  });

  it('a key removed elsewhere vanishes from the list, and sync marks it gone, not active', async () => {
    await connected();
    const { key } = await createRemoteKey(session, { workspace: 'ra', kind: 'access_key_pair', name: 'removed-elsewhere' }, opts);
    const remote = rancher.state.keys.get(key.remoteId!)!;
    remote.state = 'removed';
    const res = await syncWorkspace(session, 'ra', opts);
    expect(res.keys.missing).toBe(1);
    expect(session.getKey(key.id)).toMatchObject({ state: 'revoked', remoteMissing: true });
  });

  it('rotation retires the old key only after the new one is active and works: old removed, new active on Rancher', async () => {
    await connected();
    const { key } = await createRemoteKey(session, { workspace: 'ra', kind: 'access_key_pair', name: 'to-rotate' }, opts);
    const oldId = key.remoteId!;
    expect((await rotateKey(session, key.id, opts)).ok).toBe(true);
    const now = session.getKey(key.id);
    expect(rancher.state.keys.get(oldId)!.state).toBe('removed');
    expect(rancher.state.keys.get(now.remoteId!)).toMatchObject({
      state: 'active',
      publicValue: now.publicPart,
      secretValue: session.readSecret(key.id),
    });
  });
});
