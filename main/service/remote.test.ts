import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEncord, type EncordEmulator } from '../../emulators/encord';
import { startGithub, type GithubEmulator } from '../../emulators/github';
import { startRancher, type RancherEmulator } from '../../emulators/rancher';
import { startSyncano, type SyncanoEmulator } from '../../emulators/syncano';
import { createVault } from '../vault';
import type { VaultSession } from '../vault/types';
import { connectWorkspace } from './connect';
import { generateKeyPair, publicKeyHex } from './keypairs';
import { checkRemoteKey, createRemoteKey, editRemoteKey, revokeRemoteKey, setRemoteKeyActive } from './remote-keys';
import { syncWorkspace } from './sync';
import { failure } from '../errors.testkit';

const KDF = { memoryKiB: 65536, iterations: 3, parallelism: 1 };
const opts = { http: { backoffMs: 5 } };
let dir: string;
let session: VaultSession;
let syncano: SyncanoEmulator;
let rancher: RancherEmulator;
let github: GithubEmulator;
let encord: EncordEmulator;

beforeAll(async () => {
  [syncano, rancher, github, encord] = await Promise.all([startSyncano(), startRancher(), startGithub(), startEncord()]);
});
afterAll(async () => {
  await Promise.all([syncano, rancher, github, encord].map((e) => e.close()));
});
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'keyhold-remote-'));
  session = await createVault(join(dir, 'v.keyhold'), 'pw-remote-test', { kdf: KDF });
});
afterEach(() => {
  session.lock();
  rmSync(dir, { recursive: true, force: true });
});

describe('Syncano workspace', () => {
  it('connects with email + password (the Account Key stored sealed), refuses a wrong password without storing', async () => {
    const ws = session.addWorkspace({ name: 'sy', provider: 'syncano', url: syncano.url });
    const bad = await failure(connectWorkspace(session, { workspace: 'sy', email: syncano.demo.email, password: 'nope' }, opts));
    expect(bad).toMatchObject({ code: 'REMOTE', status: 401 });
    expect(session.getWorkspace(ws.id).credentialKeyId).toBeNull();
    expect(session.listKeys().total).toBe(0);
    const res = await connectWorkspace(session, { workspace: 'sy', email: syncano.demo.email, password: syncano.demo.password }, opts);
    expect(res.identity).toBe(
      `${syncano.demo.email} (can manage API keys in 2 instance(s); cannot read or change them in partner-reports (role read))`,
    );
    expect(res.access?.grants).toEqual(['demo-instance: full', 'staging: full', 'partner-reports: read']);
    const cred = session.getKey(res.credentialKeyId);
    expect(cred.kind).toBe('account_key');
    expect(session.readSecret(cred.id)).toBe(syncano.state.accounts[0]!.account_key);
  });

  it('sync pulls instances and keys with secrets and flags, then marks a key deleted remotely, keeping its secret', async () => {
    session.addWorkspace({ name: 'sy', provider: 'syncano', url: syncano.url });
    await connectWorkspace(session, { workspace: 'sy', email: syncano.demo.email, password: syncano.demo.password }, opts);
    const first = await syncWorkspace(session, 'sy', opts);
    expect(first.environments.added).toBe(3);
    const apiKeys = session.listKeys({ kind: 'api_key' }).items;
    expect(apiKeys.length).toBeGreaterThanOrEqual(3);
    const backend = apiKeys.find((k) => k.flags.ignore_acl)!;
    const inst = syncano.state.instances.get('demo-instance')!;
    expect(session.readSecret(backend.id)).toBe(inst.apiKeys.get(Number(backend.remoteId))!.api_key);
    expect(session.listKeys({ kind: 'user_key' }).total).toBeGreaterThanOrEqual(2);
    const again = await syncWorkspace(session, 'sy', opts);
    expect(again.keys).toMatchObject({ added: 0, missing: 0 });
    const secret = session.readSecret(backend.id);
    inst.apiKeys.delete(Number(backend.remoteId));
    const third = await syncWorkspace(session, 'sy', opts);
    expect(third.keys.missing).toBe(1);
    expect(session.getKey(backend.id)).toMatchObject({ remoteMissing: true, state: 'revoked' });
    expect(session.readSecret(backend.id)).toBe(secret);
  });

  it('creates an API key with flags, revokes it; deactivate is refused as Syncano has none', async () => {
    session.addWorkspace({ name: 'sy', provider: 'syncano', url: syncano.url });
    await connectWorkspace(session, { workspace: 'sy', email: syncano.demo.email, password: syncano.demo.password }, opts);
    await syncWorkspace(session, 'sy', opts);
    const { key } = await createRemoteKey(
      session,
      { workspace: 'sy', env: 'demo-instance', kind: 'api_key', name: 'ci', flags: ['allow_user_create'] },
      opts,
    );
    expect(key.flags.allow_user_create).toBe(true);
    expect((await checkRemoteKey(session, key.id, opts)).works).toBe(true);
    expect((await failure(setRemoteKeyActive(session, key.id, false, opts))).code).toBe('USAGE');
    expect(
      (await failure(createRemoteKey(session, { workspace: 'sy', env: 'demo-instance', kind: 'api_key', name: 'x', flags: ['fly'] }, opts)))
        .code,
    ).toBe('USAGE');
    const edited = await editRemoteKey(session, key.id, { description: 'ci v2', flags: ['ignore_acl'] }, opts);
    expect(edited.flags).toMatchObject({ ignore_acl: true, allow_user_create: false });
    expect(syncano.state.instances.get('demo-instance')!.apiKeys.get(Number(key.remoteId))).toMatchObject({
      description: 'ci v2',
      ignore_acl: true,
      allow_user_create: false,
    });
    const revoked = await revokeRemoteKey(session, key.id, opts);
    expect(revoked.state).toBe('revoked');
    expect(session.readSecret(key.id)).toMatch(/^[0-9a-f]{40}$/);
    expect((await checkRemoteKey(session, key.id, opts)).works).toBe(false);
  });
});

describe('Rancher workspace', () => {
  async function connected() {
    session.addWorkspace({ name: 'ra', provider: 'rancher', url: rancher.url });
    return connectWorkspace(session, { workspace: 'ra', accessKey: rancher.demo.accessKey, secretKey: rancher.demo.secretKey }, opts);
  }

  it('connects with the account key pair and links it to its remote id', async () => {
    const res = await connected();
    const cred = session.getKey(res.credentialKeyId);
    expect(cred).toMatchObject({ kind: 'access_key_pair', publicPart: rancher.demo.accessKey, remoteId: expect.stringMatching(/^1c\d+$/) });
    const wrong = session.addWorkspace({ name: 'ra2', provider: 'rancher', url: rancher.url });
    expect(
      await failure(connectWorkspace(session, { workspace: 'ra2', accessKey: rancher.demo.accessKey, secretKey: 'x'.repeat(40) }, opts)),
    ).toMatchObject({ status: 401 });
    expect(session.getWorkspace(wrong.id).credentialKeyId).toBeNull();
  });

  it('creates an environment key (secret stored at once), deactivates, activates, revokes; sync sees it', async () => {
    await connected();
    await syncWorkspace(session, 'ra', opts);
    const { key } = await createRemoteKey(
      session,
      { workspace: 'ra', env: 'Default', kind: 'access_key_pair', name: 'deploy', description: 'CI' },
      opts,
    );
    const remote = rancher.state.keys.get(key.remoteId!)!;
    expect(session.readSecret(key.id)).toBe(remote.secretValue);
    expect(key.publicPart).toBe(remote.publicValue);
    expect((await checkRemoteKey(session, key.id, opts)).works).toBe(true);
    expect((await setRemoteKeyActive(session, key.id, false, opts)).state).toBe('inactive');
    expect(remote.state).toBe('inactive');
    expect((await setRemoteKeyActive(session, key.id, true, opts)).state).toBe('active');
    await revokeRemoteKey(session, key.id, opts);
    await new Promise((r) => setTimeout(r, 5));
    expect(remote.state).toBe('removed');
    const res = await syncWorkspace(session, 'ra', opts);
    expect(res.keys.added).toBe(0);
    expect(session.getKey(key.id).state).toBe('revoked');
  });

  it('edits name and description on Rancher and in the vault', async () => {
    await connected();
    const { key } = await createRemoteKey(session, { workspace: 'ra', kind: 'access_key_pair', name: 'old-name' }, opts);
    const edited = await editRemoteKey(session, key.id, { name: 'new-name', description: 'now described' }, opts);
    expect(edited).toMatchObject({ name: 'new-name', description: 'now described' });
    expect(rancher.state.keys.get(key.remoteId!)).toMatchObject({ name: 'new-name', description: 'now described' });
    expect((await failure(editRemoteKey(session, key.id, { flags: ['ignore_acl'] }, opts))).code).toBe('USAGE');
  });

  it('refuses to deactivate or revoke the key that manages the workspace', async () => {
    const res = await connected();
    expect((await failure(setRemoteKeyActive(session, res.credentialKeyId, false, opts))).code).toBe('CONFLICT');
    expect((await failure(revokeRemoteKey(session, res.credentialKeyId, opts))).code).toBe('CONFLICT');
  });
});

describe('GitHub workspace', () => {
  it('connects with a token, registers a vault key pair, a duplicate is CONFLICT, revoke deletes it remotely', async () => {
    session.addWorkspace({ name: 'gh', provider: 'github', url: github.url });
    await connectWorkspace(session, { workspace: 'gh', token: github.demo.token }, opts);
    const { key } = await createRemoteKey(session, { workspace: 'gh', kind: 'ssh_key_pair', name: 'laptop' }, opts);
    expect(key.remoteId).toMatch(/^\d+$/);
    expect(github.state.keys.get(Number(key.remoteId))!.key).toBe(key.publicPart!.split(' ').slice(0, 2).join(' '));
    const dup = await failure(createRemoteKey(session, { workspace: 'gh', kind: 'ssh_key_pair', name: 'again', keyId: key.id }, opts));
    expect(dup).toMatchObject({ code: 'CONFLICT', message: 'GitHub: Validation Failed: key is already in use (HTTP 422)' });
    // sync keeps the vault's public line (GitHub drops its comment) and adds keys registered elsewhere
    const synced = await syncWorkspace(session, 'gh', opts);
    expect(synced.keys.updated).toBe(0);
    expect(session.getKey(key.id).publicPart).toBe(key.publicPart);
    await revokeRemoteKey(session, key.id, opts);
    expect(github.state.keys.has(Number(key.remoteId))).toBe(false);
    expect((await syncWorkspace(session, 'gh', opts)).keys.missing).toBe(0); // revoked on purpose, already marked
    expect(session.getKey(key.id)).toMatchObject({ state: 'revoked', hasSecret: true });
  });
});

describe('Encord workspace', () => {
  it('connect checks the key pair with a signed request: refused until registered, then recorded', async () => {
    session.addWorkspace({ name: 'en', provider: 'encord', url: encord.url });
    const pair = await generateKeyPair(session, { name: 'sa' });
    expect((await failure(connectWorkspace(session, { workspace: 'en', keyId: pair.id }, opts))).status).toBe(401);
    await fetch(encord.adminUrl, { method: 'POST', body: JSON.stringify({ publicKey: publicKeyHex(session, pair.id) }) });
    const res = await connectWorkspace(session, { workspace: 'en', keyId: pair.id }, opts);
    expect(res.identity).toBe(publicKeyHex(session, pair.id));
    expect(session.getKey(pair.id).meta.registeredAt).toBeTruthy();
    expect((await syncWorkspace(session, 'en', opts)).environments.added).toBe(3);
  });

  it('key create guides the registration, then key check records it', async () => {
    session.addWorkspace({ name: 'en', provider: 'encord', url: encord.url });
    const sa = await generateKeyPair(session, { name: 'sa' });
    await fetch(encord.adminUrl, { method: 'POST', body: JSON.stringify({ publicKey: publicKeyHex(session, sa.id) }) });
    await connectWorkspace(session, { workspace: 'en', keyId: sa.id }, opts);
    const created = await createRemoteKey(session, { workspace: 'en', kind: 'ssh_key_pair', name: 'user key', role: 'Member' }, opts);
    expect(created.registration).toMatchObject({ registered: false, url: expect.stringContaining('encord') });
    expect(created.registration!.steps.join('\n')).toContain(created.key.publicPart!);
    expect((await checkRemoteKey(session, created.key.id, opts)).works).toBe(false);
    await fetch(encord.adminUrl, { method: 'POST', body: JSON.stringify({ publicKey: created.key.publicPart }) });
    expect((await checkRemoteKey(session, created.key.id, opts)).works).toBe(true);
    expect(session.getKey(created.key.id).meta.registration).toBe('checked');
  });
});
