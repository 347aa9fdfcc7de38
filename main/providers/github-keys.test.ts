// GithubProvider's deploy keys and signing keys against the emulator over HTTP.
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGithub, type GithubEmulator } from '../../emulators/github';
import { demoPublicKey } from '../../emulators/github-keys';
import { failure } from '../errors.testkit';
import { GithubProvider, SIGNING_SCOPE } from './github';

let emu: GithubEmulator;
beforeAll(async () => {
  emu = await startGithub();
});
afterAll(() => emu.close());

const line = (comment: string) =>
  `${demoPublicKey(generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }).subarray(-32))} ${comment}`;
const app = { type: 'deploy', repo: 'keyhold-demo/app' } as const;

describe('GithubProvider: deploy keys', () => {
  it('registers read-only, lists the repository across pages as deploy_key with readOnly, finds by key, deletes', async () => {
    const p = new GithubProvider(emu.demo.keysToken, { baseUrl: emu.url }, [emu.demo.repo]);
    expect(await p.listEnvironments()).toEqual([{ remoteId: 'keyhold-demo/app', name: 'keyhold-demo/app', description: '' }]);
    const k = await p.registerKey('ro', line('ro'), app, true);
    expect(k).toMatchObject({ read_only: true, added_by: 'keyhold-demo', enabled: true, last_used: null });
    for (let i = 0; i < 100; i++) await p.registerKey(`bulk${i}`, line(`b${i}`), app);
    const listed = await p.listKeys('keyhold-demo/app');
    expect(listed.length).toBeGreaterThan(101);
    expect(listed.find((r) => r.remoteId === String(k.id))).toMatchObject({
      kind: 'deploy_key',
      environmentRemoteId: 'keyhold-demo/app',
      lastUsedAt: null,
      meta: { readOnly: 'true', githubAddedBy: 'keyhold-demo' },
    });
    expect((await p.findByKey(k.key, app))!.id).toBe(k.id);
    await p.deleteKey(String(k.id), app);
    expect(emu.state.deployKeys.has(k.id)).toBe(false);
  });

  it('a 404 on DELETE from a token that cannot even read the repository: REMOTE, it cannot tell, and the key stays', async () => {
    const k = await new GithubProvider(emu.demo.keysToken, { baseUrl: emu.url }).registerKey('stays', line('stays'), app);
    const e = await failure(new GithubProvider(emu.demo.token, { baseUrl: emu.url }).deleteKey(String(k.id), app));
    expect(e).toMatchObject({ code: 'REMOTE', remote: { status: 404, reason: 'scope' } });
    expect(e.message).toContain(
      'the token cannot read them, so Keyhold cannot tell whether it is gone. Check https://github.com/keyhold-demo/app/settings/keys',
    );
    expect(emu.state.deployKeys.has(k.id)).toBe(true);
  });

  it('refuses a repository that is not OWNER/REPO before any call', async () => {
    const p = new GithubProvider(emu.demo.keysToken, { baseUrl: emu.url });
    expect((await failure(p.registerKey('x', line('x'), { type: 'deploy', repo: '../user/keys' }))).code).toBe('INVALID_INPUT');
  });
});

describe('GithubProvider: signing keys', () => {
  it('registers, lists as signing_key, gets and deletes', async () => {
    const p = new GithubProvider(emu.demo.keysToken, { baseUrl: emu.url });
    const k = await p.registerKey('signer', line('signer'), { type: 'signing' });
    expect((await p.listKeys(SIGNING_SCOPE)).find((r) => r.remoteId === String(k.id))).toMatchObject({
      kind: 'signing_key',
      environmentRemoteId: null,
      name: 'signer',
    });
    expect((await p.getKey(String(k.id), { type: 'signing' })).title).toBe('signer');
    await p.deleteKey(String(k.id), { type: 'signing' });
    expect(emu.state.signingKeys.has(k.id)).toBe(false);
  });

  it('a 404 on DELETE with write:ssh_signing_key only: REMOTE naming admin:ssh_signing_key, the key stays', async () => {
    const p = new GithubProvider(emu.demo.signingAddOnlyToken, { baseUrl: emu.url });
    const k = await p.registerKey('kept', line('kept'), { type: 'signing' });
    const e = await failure(p.deleteKey(String(k.id), { type: 'signing' }));
    expect(e.message).toContain('GitHub did not delete signing key');
    expect(e.message).toContain('the token lacks the admin:ssh_signing_key scope');
    expect(emu.state.signingKeys.has(k.id)).toBe(true);
  });

  it('a hostile answer (wrong types, not a list) is REMOTE, not a crash or an empty list', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify([{ id: 'one', key: 42 }]));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const p = new GithubProvider('ghp_x', { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, retries: 0 });
      expect((await failure(p.listKeys(SIGNING_SCOPE))).code).toBe('REMOTE');
      expect((await failure(p.listKeys('keyhold-demo/app'))).code).toBe('REMOTE');
    } finally {
      server.close();
    }
  });
});
