import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRancher2, type Rancher2Emulator } from './rancher2';

let emu: Rancher2Emulator;
beforeAll(async () => {
  emu = await startRancher2({ maxTtlMinutes: 60 * 24 * 10 });
});
afterAll(() => emu.close());

const DAY = 86_400_000;

/** The fields these tests read from an answer (each test reads only what its answer has). */
interface Body {
  [k: string]: unknown;
  name: string;
  token: string;
  expiresAt: string;
  lastUsedAt?: string;
  expired: boolean;
  data: { id: string; token?: unknown }[];
}

async function call(method: string, path: string, opts: { auth?: string | null; body?: string | object } = {}) {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  const a = opts.auth === undefined ? `Bearer ${emu.demo.token}` : opts.auth;
  if (a) headers.Authorization = a;
  const body = opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
  const res = await fetch(`${emu.url}${path}`, { method, headers, body });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Body) : null };
}

describe('Rancher 2 emulator', () => {
  it('401 has status as a string, for no, bad and Basic-with-wrong-secret tokens', async () => {
    const unauth = { type: 'error', status: '401', message: 'Unauthorized 401: must authenticate' };
    expect(await call('GET', '/v3/tokens', { auth: null })).toEqual({ status: 401, body: unauth });
    const name = emu.demo.token.split(':')[0]!;
    expect(await call('GET', '/v3/tokens', { auth: `Bearer ${name}:wrong` })).toEqual({ status: 401, body: unauth });
    const basic = Buffer.from(emu.demo.token).toString('base64url');
    expect((await call('GET', '/v3/tokens', { auth: `Basic ${basic}` })).status).toBe(200);
  });

  it('shows the token once: in the create answer, with expiresAt "" there and filled on reads; TTL clamped to the max', async () => {
    const created = await call('POST', '/v3/tokens', { body: { description: 'ci', ttl: 365 * DAY, name: 'ignored', enabled: false } });
    expect(created.status).toBe(201);
    expect(created.body!.token).toMatch(/^token-[a-z0-9]{5}:[a-z0-9]{54}$/);
    expect(created.body).toMatchObject({ expiresAt: '', ttl: 10 * DAY, enabled: true, isDerived: true, description: 'ci' });
    const read = await call('GET', `/v3/tokens/${created.body!.name}`);
    expect(read.body!.token).toBeUndefined();
    expect(Date.parse(read.body!.expiresAt)).toBeGreaterThan(Date.now() + 9 * DAY);
    const list = await call('GET', '/v3/tokens');
    expect(list.body!.data.every((t) => t.token === undefined)).toBe(true);
    expect((await call('GET', '/v3/tokens', { auth: `Bearer ${created.body!.token}` })).status).toBe(200);
  });

  it('expired is computed from the clock; an expired token gets 401', async () => {
    const created = await call('POST', '/v3/tokens', { body: { ttl: DAY } });
    emu.state.advance(DAY + 1000);
    try {
      expect((await call('GET', `/v3/tokens/${created.body!.name}`)).body!.expired).toBe(true);
      expect((await call('GET', '/v3/tokens', { auth: `Bearer ${created.body!.token}` })).status).toBe(401);
    } finally {
      emu.state.advance(-(DAY + 1000));
    }
  });

  it('PUT is 404 "no store found"; a disabled token gets 401; lastUsedAt follows use', async () => {
    const created = await call('POST', '/v3/tokens', { body: { description: 'x' } });
    const name = created.body!.name as string;
    expect(await call('PUT', `/v3/tokens/${name}`, { body: { enabled: false } })).toMatchObject({
      status: 404,
      body: { code: 'NotFound', message: 'no store found', status: 404 },
    });
    expect((await call('GET', `/v3/tokens/${name}`)).body!.lastUsedAt).toBeUndefined();
    await call('GET', '/v3/clusters', { auth: `Bearer ${created.body!.token}` });
    expect((await call('GET', `/v3/tokens/${name}`)).body!.lastUsedAt).toMatch(/Z$/);
    emu.state.tokens.get(name)!.enabled = false;
    expect((await call('GET', '/v3/clusters', { auth: `Bearer ${created.body!.token}` })).status).toBe(401);
  });

  it('a cluster-scoped token gets 401 on /v3 and works on its cluster only', async () => {
    const created = await call('POST', '/v3/tokens', { body: { clusterId: emu.demo.clusterId } });
    const auth = `Bearer ${created.body!.token}`;
    expect((await call('GET', '/v3/tokens', { auth })).status).toBe(401);
    expect((await call('GET', `/k8s/clusters/${emu.demo.clusterId}/version`, { auth })).status).toBe(200);
    expect((await call('GET', '/k8s/clusters/local/version', { auth })).status).toBe(401);
  });

  it('DELETE: 204 then 404; the current login session is refused with 400 ServerError; an API key may delete itself', async () => {
    const created = await call('POST', '/v3/tokens', { body: {} });
    expect((await call('DELETE', `/v3/tokens/${created.body!.name}`)).status).toBe(204);
    expect(emu.state.tokens.has(created.body!.name)).toBe(false);
    expect((await call('DELETE', `/v3/tokens/${created.body!.name}`)).body).toMatchObject({ status: 404, code: 'NotFound' });
    const session = emu.demo.session.split(':')[0]!;
    const refused = await call('DELETE', `/v3/tokens/${session}`, { auth: `Bearer ${emu.demo.session}` });
    expect(refused).toEqual({
      status: 400,
      body: { type: 'error', status: 400, code: 'ServerError', message: 'Cannot delete token for current session. Use logout instead' },
    });
    const self = await call('POST', '/v3/tokens', { body: {} });
    expect((await call('DELETE', `/v3/tokens/${self.body!.name}`, { auth: `Bearer ${self.body!.token}` })).status).toBe(204);
  });

  it('bad JSON on create is 422 InvalidBodyContent; lists two clusters', async () => {
    expect((await call('POST', '/v3/tokens', { body: '{nope' })).body).toMatchObject({ status: 422, code: 'InvalidBodyContent' });
    expect((await call('GET', '/v3/clusters')).body!.data.map((c) => c.id)).toEqual(['local', 'c-m-7x2kq']);
  });
});
