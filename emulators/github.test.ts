import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGithub, type GithubEmulator } from './github';

let emu: GithubEmulator;
beforeAll(async () => {
  emu = await startGithub();
});
afterAll(() => emu.close());

function sshEd25519(comment: string): string {
  const { publicKey } = generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  const len = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
  };
  const blob = Buffer.concat([len(11), Buffer.from('ssh-ed25519'), len(32), raw]);
  return `ssh-ed25519 ${blob.toString('base64')} ${comment}`;
}

async function call(method: string, path: string, token: string | null, body?: unknown) {
  const headers: Record<string, string> = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(path.startsWith('http') ? path : `${emu.url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as any) : null, headers: res.headers };
}

describe('GitHub emulator', () => {
  it('requires a valid token', async () => {
    expect(await call('GET', '/user/keys', null)).toMatchObject({ status: 401, body: { message: 'Requires authentication' } });
    expect(await call('GET', '/user/keys', 'ghp_nope')).toMatchObject({ status: 401, body: { message: 'Bad credentials' } });
  });

  it('creates, gets, lists and deletes a key; the comment is dropped', async () => {
    const line = sshEd25519('me@host');
    const c = await call('POST', '/user/keys', emu.demo.token, { title: 'laptop', key: line });
    expect(c.status).toBe(201);
    expect(c.body).toMatchObject({
      title: 'laptop',
      key: line.split(' ').slice(0, 2).join(' '),
      verified: true,
      read_only: false,
      last_used: null,
      url: `${emu.url}/user/keys/${c.body.id}`,
    });
    expect((await call('GET', `/user/keys/${c.body.id}`, emu.demo.token)).body.id).toBe(c.body.id);
    expect((await call('GET', '/user/keys', emu.demo.token)).body.map((k: any) => k.id)).toContain(c.body.id);
    expect((await call('DELETE', `/user/keys/${c.body.id}`, emu.demo.token)).status).toBe(204);
    expect((await call('GET', `/user/keys/${c.body.id}`, emu.demo.token)).status).toBe(404);
  });

  it("a key in use on any account is 422 with GitHub's exact body", async () => {
    const line = sshEd25519('a');
    await call('POST', '/user/keys', emu.demo.token, { key: line });
    const other = emu.state.users.find((u) => u.login === 'someone-else')!;
    const dup = await call('POST', '/user/keys', other.token, { key: line.replace(/ a$/, ' other-comment') });
    expect(dup.status).toBe(422);
    expect(dup.body).toEqual({
      message: 'Validation Failed',
      errors: [{ resource: 'PublicKey', code: 'custom', field: 'key', message: 'key is already in use' }],
      documentation_url: expect.any(String),
    });
    expect((await call('POST', '/user/keys', emu.demo.token, { key: 'ssh-ed25519 AAAAnotakey' })).body.errors[0].message).toMatch(
      /key is invalid/,
    );
  });

  it('pages the list with a Link header', async () => {
    for (let i = 0; i < 4; i++) await call('POST', '/user/keys', emu.demo.token, { key: sshEd25519(`p${i}`) });
    const first = await call('GET', '/user/keys?per_page=2', emu.demo.token);
    expect(first.body).toHaveLength(2);
    const next = /<([^>]+)>; rel="next"/.exec(first.headers.get('link') ?? '')![1]!;
    expect((await call('GET', next, emu.demo.token)).body).toHaveLength(2);
  });

  it("another user's key is 404", async () => {
    const other = emu.state.users.find((u) => u.login === 'someone-else')!;
    const c = await call('POST', '/user/keys', other.token, { key: sshEd25519('o') });
    expect((await call('DELETE', `/user/keys/${c.body.id}`, emu.demo.token)).status).toBe(404);
  });

  it('scopes: X-OAuth-Scopes normalized; without admin:public_key DELETE is 404 and the key stays; a fine-grained token has no scope header', async () => {
    const strong = await call('GET', '/user/keys', emu.demo.token);
    expect(strong.headers.get('x-oauth-scopes')).toBe('admin:public_key');
    const weak = await call('POST', '/user/keys', emu.demo.addOnlyToken, { key: sshEd25519('weak') });
    expect(weak.status).toBe(201);
    expect(weak.headers.get('x-oauth-scopes')).toBe('write:public_key, repo');
    expect(weak.headers.get('x-accepted-oauth-scopes')).toBe('admin:public_key, write:public_key');
    const refused = await call('DELETE', `/user/keys/${weak.body.id}`, emu.demo.addOnlyToken);
    expect(refused).toMatchObject({ status: 404, body: { message: 'Not Found' } });
    expect(refused.headers.get('x-accepted-oauth-scopes')).toBe('admin:public_key');
    expect((await call('GET', `/user/keys/${weak.body.id}`, emu.demo.addOnlyToken)).status).toBe(200);
    expect(emu.state.keys.has(weak.body.id)).toBe(true);
    const fine = await call('DELETE', `/user/keys/${weak.body.id}`, emu.demo.fineGrainedToken);
    expect(fine.status).toBe(204);
    expect(fine.headers.get('x-oauth-scopes')).toBeNull();
    expect(emu.state.keys.has(weak.body.id)).toBe(false);
  });
});
