import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSyncano, type SyncanoEmulator } from './syncano';

let emu: SyncanoEmulator;
let accountKey: string;
beforeAll(async () => {
  emu = await startSyncano();
});
afterAll(() => emu.close());

async function call(method: string, path: string, opts: { key?: string; userKey?: string; body?: unknown } = {}) {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (opts.key) headers['X-API-KEY'] = opts.key;
  if (opts.userKey) headers['X-USER-KEY'] = opts.userKey;
  const res = await fetch(`${emu.url}${path}`, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, any>) : null, headers: res.headers };
}

describe('Syncano emulator', () => {
  it('logs in with email and password; 401 names what was wrong, 400 lists missing fields', async () => {
    const ok = await call('POST', '/v1.1/account/auth/', { body: { email: 'admin@keyhold.test', password: 'demo-password' } });
    expect(ok.status).toBe(200);
    expect(ok.body!.account_key).toMatch(/^[0-9a-f]{39}[02468ace]$/);
    accountKey = ok.body!.account_key;
    expect(await call('POST', '/v1.1/account/auth/', { body: { email: 'nobody@x.test', password: 'x' } })).toMatchObject({
      status: 401,
      body: { detail: 'Invalid email.' },
    });
    expect(await call('POST', '/v1.1/account/auth/', { body: { email: 'admin@keyhold.test', password: 'x' } })).toMatchObject({
      status: 401,
      body: { detail: 'Invalid password.' },
    });
    expect(await call('POST', '/v1.1/account/auth/', { body: {} })).toMatchObject({
      status: 400,
      body: { email: ['This field is required.'] },
    });
  });

  it('a missing key is the permission 403, an unknown one "No such API Key.", never 401', async () => {
    expect(await call('GET', '/v1.1/instances/')).toMatchObject({
      status: 403,
      body: { detail: 'You do not have permission to perform this action.' },
    });
    expect(await call('GET', '/v1.1/instances/', { key: 'f'.repeat(40) })).toMatchObject({
      status: 403,
      body: { detail: 'No such API Key.' },
    });
  });

  it('accepts the key as X-API-KEY, Authorization: token and ?api_key=', async () => {
    const viaToken = await fetch(`${emu.url}/v1.1/account/`, { headers: { Authorization: `token ${accountKey}` } });
    expect(viaToken.status).toBe(200);
    const viaQuery = await fetch(`${emu.url}/v1.1/account/?api_key=${accountKey}`);
    expect(viaQuery.status).toBe(200);
    expect(await viaQuery.json()).not.toHaveProperty('account_key');
  });

  it('creates, edits, resets and deletes API keys with flags; instance keys are odd, seen only by themselves', async () => {
    const created = await call('POST', '/v1.1/instances/demo-instance/api_keys/', {
      key: accountKey,
      body: { description: 'ci', ignore_acl: true },
    });
    expect(created.status).toBe(201);
    const k = created.body!;
    expect(k.api_key).toMatch(/^[0-9a-f]{39}[13579bdf]$/);
    expect(k).toMatchObject({
      description: 'ci',
      ignore_acl: true,
      allow_user_create: false,
      links: {
        self: `/v1.1/instances/demo-instance/api_keys/${k.id}/`,
        reset_key: `/v1.1/instances/demo-instance/api_keys/${k.id}/reset_key/`,
      },
    });
    expect(k.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(
      await call('PATCH', `/v1.1/instances/demo-instance/api_keys/${k.id}/`, { key: accountKey, body: { allow_anonymous_read: 'yes' } }),
    ).toMatchObject({ status: 400, body: { allow_anonymous_read: ['Must be a valid boolean.'] } });
    const reset = await call('POST', `/v1.1/instances/demo-instance/api_keys/${k.id}/reset_key/`, { key: accountKey });
    expect(reset.status).toBe(200);
    expect(reset.body!.api_key).not.toBe(k.api_key);
    // the old value stopped working at once; the new one sees only itself
    expect((await call('GET', `/v1.1/instances/demo-instance/api_keys/`, { key: k.api_key })).status).toBe(403);
    const own = await call('GET', `/v1.1/instances/demo-instance/api_keys/`, { key: reset.body!.api_key });
    expect(own.body!.objects.map((o: any) => o.id)).toEqual([k.id]);
    const other = own.body!.objects[0].id === 1 ? 2 : [...emu.state.instances.get('demo-instance')!.apiKeys.keys()][0];
    expect((await call('GET', `/v1.1/instances/demo-instance/api_keys/${other}/`, { key: reset.body!.api_key })).status).toBe(404);
    expect(await call('POST', `/v1.1/instances/demo-instance/api_keys/`, { key: reset.body!.api_key })).toMatchObject({
      status: 403,
      body: { detail: 'You do not have permission to perform this action.' },
    });
    expect((await call('POST', `/v1.1/instances/demo-instance/api_keys/${k.id}/reset_key/`, { key: reset.body!.api_key })).status).toBe(
      403,
    );
    expect((await call('DELETE', `/v1.1/instances/demo-instance/api_keys/${k.id}/`, { key: accountKey })).status).toBe(204);
    expect((await call('GET', `/v1.1/instances/demo-instance/api_keys/${k.id}/`, { key: accountKey })).status).toBe(404);
  });

  it('pages lists with next/prev and at most 100 per page', async () => {
    for (let i = 0; i < 4; i++)
      await call('POST', '/v1.1/instances/staging/api_keys/', { key: accountKey, body: { description: `p${i}` } });
    const first = await call('GET', '/v1.1/instances/staging/api_keys/?page_size=2', { key: accountKey });
    expect(first.body!.objects).toHaveLength(2);
    expect(first.body!.prev).toBeNull();
    const second = await call('GET', first.body!.next, { key: accountKey });
    expect(second.body!.objects).toHaveLength(2);
    expect(second.body!.prev).not.toBeNull();
    const third = await call('GET', second.body!.next, { key: accountKey });
    expect(third.body!.objects).toHaveLength(1);
    expect(third.body!.next).toBeNull();
    const big = await call('GET', '/v1.1/instances/staging/api_keys/?page_size=500', { key: accountKey });
    expect(big.body!.next).toBeNull();
  });

  it('user keys: reset by the account key, user endpoint only with API key + user key', async () => {
    const users = await call('GET', '/v1.1/instances/demo-instance/users/', { key: accountKey });
    const alice = users.body!.objects.find((u: any) => u.username === 'alice');
    expect(alice.user_key).toMatch(/^[0-9a-f]{39}[02468ace]$/);
    expect(alice.links['reset-key']).toBe(`/v1.1/instances/demo-instance/users/${alice.id}/reset_key/`);
    const reset = await call('POST', `/v1.1/instances/demo-instance/users/${alice.id}/reset_key/`, { key: accountKey });
    expect(reset.body!.user_key).not.toBe(alice.user_key);
    const apiKey = (await call('GET', '/v1.1/instances/demo-instance/api_keys/', { key: accountKey })).body!.objects.find(
      (k: any) => !k.ignore_acl,
    ).api_key;
    expect((await call('GET', '/v1.1/instances/demo-instance/users/', { key: apiKey })).status).toBe(403);
    const me = await call('GET', '/v1.1/instances/demo-instance/user/', { key: apiKey, userKey: reset.body!.user_key });
    expect(me.body!.username).toBe('alice');
    expect((await call('GET', '/v1.1/instances/demo-instance/user/', { key: accountKey, userKey: reset.body!.user_key })).status).toBe(403);
    expect((await call('DELETE', '/v1.1/instances/demo-instance/user/', { key: apiKey, userKey: reset.body!.user_key })).status).toBe(405);
    const login = await call('POST', '/v1.1/instances/demo-instance/user/auth/', {
      key: apiKey,
      body: { username: 'bob', password: 'bob-password' },
    });
    expect(login.body!.user_key).toMatch(/^[0-9a-f]{40}$/);
  });

  it('account key reset invalidates the old key at once', async () => {
    const reset = await call('POST', '/v1.1/account/reset_key/', { key: accountKey });
    expect(reset.status).toBe(200);
    expect((await call('GET', '/v1.1/account/', { key: accountKey })).status).toBe(403);
    accountKey = reset.body!.account_key;
    expect((await call('GET', '/v1.1/account/', { key: accountKey })).status).toBe(200);
    expect(await call('GET', '/v1.1/instances/nope-instance/', { key: accountKey })).toMatchObject({
      status: 404,
      body: { detail: 'Instance was not found.' },
    });
  });

  it('fault knobs: 429 with Retry-After, 500, dropped connection, settable at runtime over HTTP', async () => {
    await fetch(`${emu.url}/__faults`, {
      method: 'POST',
      body: JSON.stringify({ queue: ['rate429', 'error500', 'drop'], retryAfterSeconds: 7 }),
    });
    const limited = await fetch(`${emu.url}/v1.1/account/`, { headers: { 'X-API-KEY': accountKey } });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect((await fetch(`${emu.url}/v1.1/account/`)).status).toBe(500);
    await expect(fetch(`${emu.url}/v1.1/account/`)).rejects.toThrow();
    expect((await fetch(`${emu.url}/v1.1/account/`, { headers: { 'X-API-KEY': accountKey } })).status).toBe(200);
    expect((await fetch(`${emu.url}/__faults`, { method: 'POST', body: JSON.stringify({ errorRate: -1 }) })).status).toBe(400);
  });

  it('lists an instance shared read-only with its role; every api_keys call there is 403, users can be read', async () => {
    const list = await call('GET', '/v1.1/instances/', { key: accountKey });
    const roles = Object.fromEntries(list.body!.objects.map((i: any) => [i.name, i.role]));
    expect(roles).toMatchObject({ 'demo-instance': 'full', staging: 'full', 'partner-reports': 'read' });
    const refused = { status: 403, body: { detail: 'You do not have permission to perform this action.' } };
    expect(await call('GET', '/v1.1/instances/partner-reports/api_keys/', { key: accountKey })).toMatchObject(refused);
    expect(await call('POST', '/v1.1/instances/partner-reports/api_keys/', { key: accountKey, body: {} })).toMatchObject(refused);
    const theirs = [...emu.state.instances.get('partner-reports')!.apiKeys.keys()][0];
    expect(await call('DELETE', `/v1.1/instances/partner-reports/api_keys/${theirs}/`, { key: accountKey })).toMatchObject(refused);
    expect(emu.state.instances.get('partner-reports')!.apiKeys.has(theirs!)).toBe(true);
    expect((await call('GET', '/v1.1/instances/partner-reports/users/', { key: accountKey })).status).toBe(200);
  });

  it('the instance is looked up before the key; the key travels in any documented form; an unknown user key is ignored; a user key cannot delete its user', async () => {
    expect(await call('GET', '/v1.1/instances/nope-instance/api_keys/', { key: 'f'.repeat(40) })).toMatchObject({
      status: 404,
      body: { detail: 'Instance was not found.' },
    });
    for (const init of [{ headers: { Authorization: `Bearer ${accountKey}` } }, { headers: { Authorization: `anyword ${accountKey}` } }]) {
      expect((await fetch(`${emu.url}/v1.1/account/`, init)).status).toBe(200);
    }
    expect((await fetch(`${emu.url}/v1.1/account/?apikey=${accountKey}`)).status).toBe(200);
    expect((await fetch(`${emu.url}/v1.1/account/`, { headers: { Authorization: `a b ${accountKey}` } })).status).toBe(403);
    const apiKey = emu.state.instances.get('demo-instance')!.apiKeys.values().next().value!.api_key;
    const ignored = await call('GET', '/v1.1/instances/demo-instance/api_keys/', { key: apiKey, userKey: '0'.repeat(40) });
    expect(ignored.status).toBe(200);
    const bob = [...emu.state.instances.get('demo-instance')!.users.values()].find((u) => u.username === 'bob')!;
    const plain = [...emu.state.instances.get('demo-instance')!.apiKeys.values()].find((k) => !k.ignore_acl)!.api_key;
    expect(await call('DELETE', `/v1.1/instances/demo-instance/users/${bob.id}/`, { key: plain, userKey: bob.user_key })).toMatchObject({
      status: 403,
      body: { detail: 'You do not have permission to perform this action.' },
    });
    expect(emu.state.instances.get('demo-instance')!.users.has(bob.id)).toBe(true);
  });

  it('a full page always carries next, so the last page may be empty', async () => {
    const inst = emu.state.instances.get('staging')!;
    const n = inst.apiKeys.size;
    const page = await call('GET', `/v1.1/instances/staging/api_keys/?page_size=${n}`, { key: accountKey });
    expect(page.body!.objects).toHaveLength(n);
    expect(page.body!.next).not.toBeNull();
    const empty = await call('GET', page.body!.next, { key: accountKey });
    expect(empty.body).toMatchObject({ objects: [], next: null });
  });
});
