// The GitHub emulator's deploy keys and signing keys, over HTTP, against PLATFORMS.md.
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGithub, type GithubEmulator } from './github';
import { demoPublicKey } from './github-keys';

let emu: GithubEmulator;
beforeAll(async () => {
  emu = await startGithub();
});
afterAll(() => emu.close());

const fresh = (comment: string) =>
  `${demoPublicKey(generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }).subarray(-32))} ${comment}`;

interface Answer {
  status: number;
  body: Record<string, unknown> & { errors?: Record<string, unknown>[] };
  list: Record<string, unknown>[];
  headers: Headers;
}

async function call(method: string, path: string, token: string, body?: unknown): Promise<Answer> {
  const res = await fetch(path.startsWith('http') ? path : `${emu.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const parsed: unknown = text ? JSON.parse(text) : null;
  return {
    status: res.status,
    body: (Array.isArray(parsed) ? {} : (parsed ?? {})) as Answer['body'],
    list: Array.isArray(parsed) ? (parsed as Record<string, unknown>[]) : [],
    headers: res.headers,
  };
}

const repoKeys = '/repos/keyhold-demo/app/keys';

describe('GitHub emulator: deploy keys', () => {
  it('is seeded with keyhold-demo/app and one read-only deploy key', async () => {
    const listed = await call('GET', repoKeys, emu.demo.keysToken);
    expect(listed.status).toBe(200);
    expect(listed.list).toEqual([
      expect.objectContaining({
        title: 'CI deploy',
        read_only: true,
        added_by: 'keyhold-demo',
        last_used: null,
        enabled: true,
        verified: true,
      }),
    ]);
  });

  it('creates with read_only, a Location header and the DeployKey fields; gets, deletes; no PATCH', async () => {
    const line = fresh('ci@runner');
    const c = await call('POST', repoKeys, emu.demo.keysToken, { title: 'runner', key: line, read_only: true });
    expect(c.status).toBe(201);
    const id = c.body.id as number;
    expect(c.headers.get('location')).toBe(`${emu.url}${repoKeys}/${id}`);
    expect(c.body).toEqual({
      id,
      key: line.split(' ').slice(0, 2).join(' '),
      url: `${emu.url}${repoKeys}/${id}`,
      title: 'runner',
      verified: true,
      created_at: expect.any(String),
      read_only: true,
      added_by: 'keyhold-demo',
      last_used: null,
      enabled: true,
    });
    expect((await call('GET', `${repoKeys}/${id}`, emu.demo.keysToken)).body.title).toBe('runner');
    expect((await call('PATCH', `${repoKeys}/${id}`, emu.demo.keysToken, { read_only: false })).status).toBe(404);
    expect((await call('DELETE', `${repoKeys}/${id}`, emu.demo.keysToken)).status).toBe(204);
    expect(emu.state.deployKeys.has(id)).toBe(false);
  });

  it('a key in use as a user key or as a deploy key of another repository is 422 "key is already in use"; an invalid key 422 too', async () => {
    emu.state.addRepo('keyhold-demo/other', ['keyhold-demo']);
    const line = fresh('shared');
    expect((await call('POST', '/user/keys', emu.demo.keysToken, { key: line })).status).toBe(201);
    const dup = await call('POST', repoKeys, emu.demo.keysToken, { key: line });
    expect(dup.status).toBe(422);
    expect(dup.body).toMatchObject({
      message: 'Validation Failed',
      errors: [{ resource: 'PublicKey', code: 'custom', field: 'key', message: 'key is already in use' }],
    });
    const second = fresh('deploy');
    expect((await call('POST', repoKeys, emu.demo.keysToken, { key: second })).status).toBe(201);
    expect((await call('POST', '/repos/keyhold-demo/other/keys', emu.demo.keysToken, { key: second })).body.errors![0]!.message).toBe(
      'key is already in use',
    );
    expect((await call('POST', '/user/keys', emu.demo.keysToken, { key: second })).body.errors![0]!.message).toBe('key is already in use');
    const bad = await call('POST', repoKeys, emu.demo.keysToken, { key: 'ssh-ed25519 AAAAnotakey' });
    expect(bad.status).toBe(422);
    expect(bad.body.errors![0]!.message).toMatch(/^key is invalid/);
  });

  it('who may: without the repo scope or admin rights 404 (hidden); a GitHub App token 403 "Resource not accessible by integration"', async () => {
    expect((await call('GET', repoKeys, emu.demo.token)).status).toBe(404); // admin:public_key only
    expect((await call('GET', '/repos/someone-else/private/keys', emu.demo.keysToken)).status).toBe(404); // not an admin there
    const app = await call('POST', repoKeys, emu.demo.appToken, { key: fresh('app') });
    expect(app).toMatchObject({ status: 403, body: { message: 'Resource not accessible by integration' } });
    expect((await call('GET', repoKeys, emu.demo.appToken)).status).toBe(200); // Administration: read
    const reader = emu.state.addUser('keyhold-demo', { fineGrained: null, administration: 'read' });
    const id = [...emu.state.deployKeys.values()].find((k) => k.repo === 'keyhold-demo/app')!.id;
    const refused = await call('DELETE', `${repoKeys}/${id}`, reader.token);
    expect(refused.status).toBe(404);
    expect(refused.headers.get('x-oauth-scopes')).toBeNull();
    expect(emu.state.deployKeys.has(id)).toBe(true);
  });

  it('pages deploy keys with a Link header', async () => {
    emu.state.addRepo('keyhold-demo/many', ['keyhold-demo']);
    for (let i = 0; i < 5; i++) await call('POST', '/repos/keyhold-demo/many/keys', emu.demo.keysToken, { key: fresh(`m${i}`) });
    const first = await call('GET', '/repos/keyhold-demo/many/keys?per_page=2', emu.demo.keysToken);
    expect(first.list).toHaveLength(2);
    const next = /<([^>]+)>; rel="next"/.exec(first.headers.get('link')!)![1]!;
    expect(first.headers.get('link')).toContain('page=3>; rel="last"');
    expect((await call('GET', next, emu.demo.keysToken)).list).toHaveLength(2);
  });
});

describe('GitHub emulator: SSH signing keys', () => {
  it('creates {key, id, title, created_at}, lists, gets, deletes; the same key may also be an authentication key, not a second signing key', async () => {
    const line = fresh('signer');
    expect((await call('POST', '/user/keys', emu.demo.keysToken, { key: line })).status).toBe(201);
    const c = await call('POST', '/user/ssh_signing_keys', emu.demo.keysToken, { title: 'signer', key: line });
    expect(c.status).toBe(201);
    expect(Object.keys(c.body).sort()).toEqual(['created_at', 'id', 'key', 'title']);
    expect((await call('POST', '/user/ssh_signing_keys', emu.demo.keysToken, { key: line })).body.errors![0]).toMatchObject({
      resource: 'SshSigningKey',
      message: 'key is already in use',
    });
    expect((await call('GET', '/user/ssh_signing_keys', emu.demo.keysToken)).list.map((k) => k.id)).toContain(c.body.id);
    expect((await call('GET', `/user/ssh_signing_keys/${String(c.body.id)}`, emu.demo.keysToken)).body.title).toBe('signer');
    expect((await call('DELETE', `/user/ssh_signing_keys/${String(c.body.id)}`, emu.demo.keysToken)).status).toBe(204);
  });

  it('scopes: write:ssh_signing_key adds, its DELETE is 404 and the key stays; no signing scope is 404 even to list', async () => {
    const c = await call('POST', '/user/ssh_signing_keys', emu.demo.signingAddOnlyToken, { key: fresh('weak signer') });
    expect(c.status).toBe(201);
    expect(c.headers.get('x-accepted-oauth-scopes')).toBe('admin:ssh_signing_key, write:ssh_signing_key');
    const refused = await call('DELETE', `/user/ssh_signing_keys/${String(c.body.id)}`, emu.demo.signingAddOnlyToken);
    expect(refused.status).toBe(404);
    expect(refused.headers.get('x-accepted-oauth-scopes')).toBe('admin:ssh_signing_key');
    expect(emu.state.signingKeys.has(c.body.id as number)).toBe(true);
    expect((await call('GET', '/user/ssh_signing_keys', emu.demo.token)).status).toBe(404);
  });
});
