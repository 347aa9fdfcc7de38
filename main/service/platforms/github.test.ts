// GitHub deploy keys and SSH signing keys through the service layer, against the emulator over
// HTTP; after each operation the emulator's own state is read back (the truth rule).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGithub, type GithubEmulator } from '../../../emulators/github';
import { failure } from '../../errors.testkit';
import { createVault } from '../../vault';
import type { VaultSession } from '../../vault/types';
import { connectWorkspace } from '../connect';
import { generateKeyPair } from '../keypairs';
import { keyView } from '../keys';
import { checkRemoteKey, createRemoteKey, revokeRemoteKey } from '../remote-keys';
import { ROTATION, rotateKey } from '../rotation';
import { syncWorkspace } from '../sync';
import { addEnvironment } from '../workspaces';
import { refusal } from './credential';

const KDF = { memoryKiB: 65536, iterations: 3, parallelism: 1 };
const opts = { http: { backoffMs: 5 } };
let dir: string;
let session: VaultSession;
let emu: GithubEmulator;

beforeAll(async () => {
  emu = await startGithub();
});
afterAll(() => emu.close());
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'keyhold-ghkeys-'));
  session = await createVault(join(dir, 'v.keyhold'), 'pw-ghkeys-test', { kdf: KDF });
  session.addWorkspace({ name: 'gh', provider: 'github', url: emu.url });
});
afterEach(() => {
  session.lock();
  rmSync(dir, { recursive: true, force: true });
});

const connect = (token = emu.demo.keysToken) => connectWorkspace(session, { workspace: 'gh', token }, opts);
const body = (line: string | null) => line!.split(' ').slice(0, 2).join(' ');
const deployKey = (id: string | null) => emu.state.deployKeys.get(Number(id));
const signingKey = (id: string | null) => emu.state.signingKeys.get(Number(id));
const audit = (action: string) => session.listAudit().filter((e) => e.action === action);

describe('GitHub deploy keys', () => {
  it('registers a new ed25519 pair read-only on a repository the vault did not know, which becomes an environment', async () => {
    await connect();
    const { key } = await createRemoteKey(
      session,
      { workspace: 'gh', kind: 'deploy_key', env: emu.demo.repo, name: 'ci', readOnly: true },
      opts,
    );
    const remote = deployKey(key.remoteId)!;
    expect(remote).toMatchObject({
      repo: 'keyhold-demo/app',
      title: 'ci',
      read_only: true,
      key: body(key.publicPart),
      added_by: 'keyhold-demo',
    });
    expect(key).toMatchObject({
      kind: 'deploy_key',
      hasSecret: true,
      meta: expect.objectContaining({ readOnly: 'true', algorithm: 'ed25519' }),
    });
    expect(session.readSecret(key.id)).toContain('BEGIN OPENSSH PRIVATE KEY');
    expect(session.getEnvironment(key.environmentId!)).toMatchObject({ name: 'keyhold-demo/app', remoteId: 'keyhold-demo/app' });
    expect(keyView(session, key)).toMatchObject({ readOnly: true, environment: 'keyhold-demo/app' });
    expect(await checkRemoteKey(session, key.id, opts)).toMatchObject({ works: true });
  });

  it("a key already in use (a user key, or a deploy key of another repository) is CONFLICT with GitHub's message; nothing is stored as registered", async () => {
    await connect();
    const { key: user } = await createRemoteKey(session, { workspace: 'gh', kind: 'ssh_key_pair', name: 'laptop' }, opts);
    const before = session.listKeys({ kind: 'deploy_key' }).total;
    const e = await failure(
      createRemoteKey(session, { workspace: 'gh', kind: 'deploy_key', env: emu.demo.repo, name: 'again', keyId: user.id }, opts),
    );
    expect(e).toMatchObject({ code: 'CONFLICT', status: 422, message: 'GitHub: Validation Failed: key is already in use (HTTP 422)' });
    expect(session.listKeys({ kind: 'deploy_key' }).total).toBe(before);
    expect([...emu.state.deployKeys.values()].filter((k) => k.title === 'again')).toHaveLength(0);
    // a deploy key cannot serve a second repository either
    emu.state.addRepo('keyhold-demo/site', ['keyhold-demo']);
    const { key: dk } = await createRemoteKey(
      session,
      { workspace: 'gh', kind: 'deploy_key', env: emu.demo.repo, name: 'app-deploy' },
      opts,
    );
    const pair = session.listKeys({ kind: 'deploy_key' }).items.find((k) => k.id === dk.id)!;
    expect(
      (
        await failure(
          createRemoteKey(session, { workspace: 'gh', kind: 'deploy_key', env: 'keyhold-demo/site', name: 'site', keyId: pair.id }, opts),
        )
      ).code,
    ).toBe('CONFLICT');
  });

  it('with --key registers a copy of a vault key pair; the original stays an ssh key pair', async () => {
    await connect();
    const pair = await generateKeyPair(session, { name: 'ci machine' });
    const { key } = await createRemoteKey(
      session,
      { workspace: 'gh', kind: 'deploy_key', env: emu.demo.repo, name: 'ci machine', keyId: pair.id },
      opts,
    );
    expect(key.fingerprint).toBe(pair.fingerprint);
    expect(session.readSecret(key.id)).toBe(session.readSecret(pair.id));
    expect(deployKey(key.remoteId)!).toMatchObject({ read_only: false, key: body(pair.publicPart) });
    expect(session.getKey(pair.id)).toMatchObject({ kind: 'ssh_key_pair', remoteId: null });
  });

  it('a token without admin:public_key warns of refusals for user keys only: its deploy keys are deleted and read back gone', async () => {
    const { access } = await connect(emu.demo.addOnlyToken); // write:public_key, repo
    expect(refusal(access ?? null, 'revoke', null, 'ssh_key_pair')).toMatch(/admin:public_key/);
    expect(refusal(access ?? null, 'revoke', 'keyhold-demo/app', 'deploy_key')).toBeNull();
    const { key } = await createRemoteKey(session, { workspace: 'gh', kind: 'deploy_key', env: emu.demo.repo, name: 'deletable' }, opts);
    expect((await revokeRemoteKey(session, key.id, opts)).state).toBe('revoked');
    expect(deployKey(key.remoteId)).toBeUndefined();
  });

  it('revoke deletes it and reads back that it is gone', async () => {
    await connect();
    const { key } = await createRemoteKey(session, { workspace: 'gh', kind: 'deploy_key', env: emu.demo.repo, name: 'short' }, opts);
    expect((await revokeRemoteKey(session, key.id, opts)).state).toBe('revoked');
    expect(deployKey(key.remoteId)).toBeUndefined();
  });

  it('a token that may read but not administer the repository: revoke is REMOTE naming the right, the key stays on GitHub and active here', async () => {
    await connect();
    const { key } = await createRemoteKey(session, { workspace: 'gh', kind: 'deploy_key', env: emu.demo.repo, name: 'kept' }, opts);
    const reader = emu.state.addUser('keyhold-demo', { fineGrained: 'read', administration: 'read' });
    await connect(reader.token);
    const e = await failure(revokeRemoteKey(session, key.id, opts));
    expect(e).toMatchObject({ code: 'REMOTE', remote: { status: 404, reason: 'scope' } });
    expect(e.message).toContain('still registered and still works; the token lacks admin rights on keyhold-demo/app');
    expect(e.message).toContain('https://github.com/keyhold-demo/app/settings/keys');
    expect(deployKey(key.remoteId)).toBeDefined();
    expect(session.getKey(key.id).state).toBe('active');
    expect(audit('revoked')).toHaveLength(0);
  });

  it("a GitHub App token without Administration write: 403 with GitHub's words, nothing stored", async () => {
    await connect();
    // an app token cannot read /user/keys, so it cannot connect: swap it in as the stored credential
    session.addVersion(session.getWorkspace('gh').credentialKeyId!, emu.demo.appToken);
    const e = await failure(createRemoteKey(session, { workspace: 'gh', kind: 'deploy_key', env: emu.demo.repo, name: 'app' }, opts));
    expect(e).toMatchObject({ code: 'REMOTE', status: 403, message: 'GitHub: Resource not accessible by integration (HTTP 403)' });
    expect(session.listKeys({ kind: 'deploy_key' }).total).toBe(0);
    expect(session.listEnvironments()).toEqual([]);
  });

  it('rotation registers a new key on the same repository with the same read_only, then deletes the old one', async () => {
    await connect();
    const { key } = await createRemoteKey(
      session,
      { workspace: 'gh', kind: 'deploy_key', env: emu.demo.repo, name: 'rot', readOnly: true },
      opts,
    );
    expect(await rotateKey(session, key.id, opts)).toMatchObject({ ok: true, version: 2 });
    const now = session.getKey(key.id);
    expect(deployKey(key.remoteId)).toBeUndefined();
    expect(deployKey(now.remoteId)).toMatchObject({ repo: 'keyhold-demo/app', read_only: true, key: body(now.publicPart) });
    expect(now.fingerprint).not.toBe(key.fingerprint);
  });

  it("sync reads the deploy keys of the repositories that are environments, and skips one the token cannot see with GitHub's words", async () => {
    await connect();
    addEnvironment(session, { workspace: 'gh', name: 'keyhold-demo/app' });
    addEnvironment(session, { workspace: 'gh', name: 'someone-else/private' });
    const r = await syncWorkspace(session, 'gh', opts);
    expect(r.skipped).toEqual([
      { environment: 'someone-else/private', name: 'someone-else/private', reason: 'GitHub: Not Found (HTTP 404)' },
    ]);
    const seeded = session.listKeys({ kind: 'deploy_key' }).items.filter((k) => k.name === 'CI deploy');
    expect(seeded).toEqual([
      expect.objectContaining({
        name: 'CI deploy',
        hasSecret: false,
        meta: expect.objectContaining({ readOnly: 'true', githubAddedBy: 'keyhold-demo' }),
      }),
    ]);
    expect(r.environments.added).toBe(0);
    // removed on GitHub by hand: the next sync marks it gone, keeps the record
    emu.state.deployKeys.delete(Number(seeded[0]!.remoteId));
    expect((await syncWorkspace(session, 'gh', opts)).keys.missing).toBe(1);
    emu.state.addDeployKey('keyhold-demo/app', seeded[0]!.publicPart!, 'CI deploy', true, 'keyhold-demo');
  });

  it('refuses what GitHub does not have: no repository, a malformed one, --read-only on another kind', async () => {
    await connect();
    expect((await failure(createRemoteKey(session, { workspace: 'gh', kind: 'deploy_key', name: 'x' }, opts))).code).toBe('USAGE');
    expect(
      (await failure(createRemoteKey(session, { workspace: 'gh', kind: 'deploy_key', env: 'not a repo', name: 'x' }, opts))).code,
    ).toBe('INVALID_INPUT');
    expect((await failure(createRemoteKey(session, { workspace: 'gh', kind: 'signing_key', name: 'x', readOnly: true }, opts))).code).toBe(
      'USAGE',
    );
    expect(
      (await failure(createRemoteKey(session, { workspace: 'gh', kind: 'deploy_key', env: 'keyhold-demo/nope', name: 'x' }, opts))).message,
    ).toBe('GitHub: Not Found (HTTP 404)');
    expect(session.listKeys({ kind: 'deploy_key' }).total).toBe(0);
    expect(session.listEnvironments(session.getWorkspace('gh').id)).toEqual([]);
  });
});

describe('GitHub SSH signing keys', () => {
  it('registers a vault key pair as a signing key in one step, while it also serves as an authentication key', async () => {
    await connect();
    const { key: auth } = await createRemoteKey(session, { workspace: 'gh', kind: 'ssh_key_pair', name: 'laptop' }, opts);
    const { key } = await createRemoteKey(session, { workspace: 'gh', kind: 'signing_key', name: 'laptop signing', keyId: auth.id }, opts);
    expect(signingKey(key.remoteId)).toMatchObject({ owner: 'keyhold-demo', title: 'laptop signing', key: body(auth.publicPart) });
    expect(emu.state.keys.get(Number(auth.remoteId))).toBeDefined();
    expect(keyView(session, key).readOnly).toBeUndefined();
    // the same key twice as a signing key is GitHub's 422
    expect(
      (await failure(createRemoteKey(session, { workspace: 'gh', kind: 'signing_key', name: 'again', keyId: auth.id }, opts))).code,
    ).toBe('CONFLICT');
    expect((await revokeRemoteKey(session, key.id, opts)).state).toBe('revoked');
    expect(signingKey(key.remoteId)).toBeUndefined();
  });

  it('with a token lacking admin:ssh_signing_key: revoke is REMOTE naming it; rotation parks at old_kept, never "rotated", and a stronger token finishes it', async () => {
    await connect(emu.demo.signingAddOnlyToken);
    const { key } = await createRemoteKey(session, { workspace: 'gh', kind: 'signing_key', name: 'signer' }, opts);
    const e = await failure(revokeRemoteKey(session, key.id, opts));
    expect(e.message).toContain('the token lacks the admin:ssh_signing_key scope');
    expect(signingKey(key.remoteId)).toBeDefined();
    const r = await rotateKey(session, key.id, opts);
    expect(r).toMatchObject({ ok: false, error: { code: 'REMOTE' } });
    expect(r.error!.message).toContain(
      `the old signing key ${key.remoteId} is still registered and still works: the token lacks the admin:ssh_signing_key scope`,
    );
    expect(r.error!.message).toContain('Not rotated yet');
    expect(session.listPending(ROTATION).map((op) => op.step)).toEqual(['old_kept']);
    expect(signingKey(key.remoteId)).toBeDefined();
    const now = session.getKey(key.id);
    expect(signingKey(now.remoteId)!.key).toBe(body(now.publicPart));
    expect(audit('rotated')).toHaveLength(0);
    await connect();
    expect(await rotateKey(session, key.id, opts)).toMatchObject({ ok: true, resumed: true });
    expect(signingKey(key.remoteId)).toBeUndefined();
    expect(audit('rotated')).toHaveLength(1);
  });

  it('sync lists the signing keys beside the user keys; a token that cannot read them skips them and marks nothing gone', async () => {
    await connect();
    const { key } = await createRemoteKey(session, { workspace: 'gh', kind: 'signing_key', name: 'kept signer' }, opts);
    await syncWorkspace(session, 'gh', opts);
    expect(session.getKey(key.id)).toMatchObject({ state: 'active', remoteMissing: false });
    await connect(emu.demo.token); // admin:public_key only
    const r = await syncWorkspace(session, 'gh', opts);
    expect(r.skipped.map((s) => s.name)).toEqual(['SSH signing keys']);
    expect(session.getKey(key.id)).toMatchObject({ state: 'active', remoteMissing: false });
  });

  it('a malformed key answer from GitHub is REMOTE, nothing stored as registered', async () => {
    await connect();
    emu.setFaults({ queue: ['malformed'], queuePath: '/user/ssh_signing_keys' });
    const e = await failure(createRemoteKey(session, { workspace: 'gh', kind: 'signing_key', name: 'hostile' }, opts));
    emu.setFaults({ queuePath: null });
    expect(e.code).toBe('REMOTE');
    expect(session.listKeys({ kind: 'signing_key' }).items.filter((k) => k.remoteId)).toHaveLength(0);
  });
});
