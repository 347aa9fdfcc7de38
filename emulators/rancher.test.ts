import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRancher, type RancherEmulator } from './rancher';

let emu: RancherEmulator;
let auth: string;
beforeAll(async () => {
  emu = await startRancher();
  auth = `Basic ${Buffer.from(`${emu.demo.accessKey}:${emu.demo.secretKey}`).toString('base64')}`;
});
afterAll(() => emu.close());

async function call(method: string, path: string, opts: { auth?: string | null; body?: unknown; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', ...(opts.headers ?? {}) };
  const a = opts.auth === undefined ? auth : opts.auth;
  if (a) headers.Authorization = a;
  const res = await fetch(path.startsWith('http') ? path : `${emu.url}${path}`, {
    method,
    headers,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, any>) : null, headers: res.headers };
}
const settle = () => new Promise((r) => setTimeout(r, 5));
const basic = (pub: string, secret: string) => `Basic ${Buffer.from(`${pub}:${secret}`).toString('base64')}`;

describe('Rancher emulator', () => {
  it('401 carries the Basic challenge unless X-API-No-Challenge, and every answer names the schemas', async () => {
    const r = await call('GET', '/v2-beta/apikeys', { auth: null });
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toBe('Basic realm="Enter API access key and secret key as username and password"');
    expect(r.body).toMatchObject({ type: 'error', status: 401, code: 'Unauthorized' });
    expect(r.headers.get('x-api-schemas')).toBe(`${emu.url}/v2-beta/schemas`);
    const quiet = await call('GET', '/v2-beta/apikeys', {
      auth: basic(emu.demo.accessKey, 'wrong'),
      headers: { 'X-API-No-Challenge': 'true' },
    });
    expect(quiet.status).toBe(401);
    expect(quiet.headers.get('www-authenticate')).toBeNull();
  });

  it('serves /v2-beta/schemas as the captured server did, rebased to this host', async () => {
    const copy = readFileSync(join(__dirname, 'data', 'rancher-v2beta-schemas.json'), 'utf8');
    // the emulator's copy is the shared reference file, byte for byte (where the checkout has it)
    const shared = join(__dirname, '..', '..', 'shared', 'data', 'rancher-v2beta-schemas.json');
    if (existsSync(shared)) expect(copy).toBe(readFileSync(shared, 'utf8'));
    const captured = JSON.parse(copy.split('http://rancher.example:8080').join(emu.url));
    const r = await call('GET', '/v2-beta/schemas', { auth: null });
    expect(r.body!.data).toEqual(captured.data);
    const one = await call('GET', '/v2-beta/schemas/apikey', { auth: null });
    expect(one.body!.resourceFields.secretValue.type).toBe('password');
  });

  it('answers apiKeys with exactly the fields of the apiKey schema (plus the common resource fields)', async () => {
    const schema = (await call('GET', '/v2-beta/schemas/apikey', { auth: null })).body!;
    const created = await call('POST', '/v2-beta/apikeys', { body: { type: 'apikey', name: 'fields', description: 'd' } });
    const common = ['type', 'links', 'actions', 'baseType', 'createdTS'];
    const extra = Object.keys(created.body!).filter((k) => !(k in schema.resourceFields) && !common.includes(k));
    expect(extra).toEqual([]);
    for (const s of schema.resourceFields.state.options) expect(typeof s).toBe('string');
    expect(schema.resourceFields.state.options).toContain(created.body!.state);
  });

  it('creates an account key: secret only in the create answer, registering then active; publicValue 20 upper hex', async () => {
    const c = await call('POST', '/v2-beta/apikeys', { body: { type: 'apikey', name: 'ci', description: 'for CI' } });
    expect(c.status).toBe(201);
    expect(c.body).toMatchObject({
      type: 'apiKey',
      kind: 'apiKey',
      name: 'ci',
      description: 'for CI',
      state: 'registering',
      accountId: '1a1',
    });
    expect(c.body!.publicValue).toMatch(/^[0-9A-F]{20}$/);
    expect(c.body!.secretValue).toHaveLength(40);
    await settle();
    const read = await call('GET', `/v2-beta/apikeys/${c.body!.id}`);
    expect(read.body).toMatchObject({ state: 'active', secretValue: null, actions: { deactivate: expect.any(String) } });
    expect(Object.keys(read.body!.actions)).toEqual(['deactivate']);
    expect((await call('GET', '/v2-beta/apikeys', { auth: basic(c.body!.publicValue, c.body!.secretValue) })).status).toBe(200);
  });

  it('deactivate -> inactive (no longer authenticates) -> activate; DELETE of an active key is 405; 422 ActionNotAvailable', async () => {
    const c = (await call('POST', '/v2-beta/apikeys', { body: { name: 'cycle' } })).body!;
    await settle();
    const del = await call('DELETE', `/v2-beta/apikeys/${c.id}`);
    expect(del.status).toBe(405);
    expect(del.body).toMatchObject({ type: 'error', status: 405, code: 'Method not allowed', message: 'Method not allowed' });
    expect((await call('GET', `/v2-beta/apikeys/${c.id}`)).body!.state).toBe('active');
    expect((await call('POST', `/v2-beta/apikeys/${c.id}?action=activate`)).body!.code).toBe('ActionNotAvailable');
    expect((await call('POST', `/v2-beta/apikeys/${c.id}?action=fly`)).body!.code).toBe('InvalidAction');
    const d = await call('POST', `/v2-beta/apikeys/${c.id}?action=deactivate`);
    expect(d.body!.state).toBe('deactivating');
    await settle();
    expect((await call('GET', `/v2-beta/apikeys/${c.id}`)).body).toMatchObject({
      state: 'inactive',
      actions: { activate: expect.any(String), remove: expect.any(String) },
    });
    expect((await call('GET', '/v2-beta/apikeys', { auth: basic(c.publicValue, c.secretValue) })).status).toBe(401);
    await call('POST', `/v2-beta/apikeys/${c.id}?action=activate`);
    await settle();
    expect((await call('GET', '/v2-beta/apikeys', { auth: basic(c.publicValue, c.secretValue) })).status).toBe(200);
    await call('POST', `/v2-beta/apikeys/${c.id}?action=deactivate`);
    await settle();
    expect((await call('DELETE', `/v2-beta/apikeys/${c.id}`)).body!.state).toBe('removing');
    await settle();
    expect((await call('GET', `/v2-beta/apikeys/${c.id}`)).body!.state).toBe('removed');
    // a removed key vanishes from the collection at once; ?_removed shows it
    expect((await call('GET', '/v2-beta/apikeys')).body!.data.map((k: any) => k.id)).not.toContain(c.id);
    expect((await call('GET', '/v2-beta/apikeys?_removed=true')).body!.data.map((k: any) => k.id)).toContain(c.id);
    await call('POST', `/v2-beta/apikeys/${c.id}?action=purge`);
    await settle();
    expect((await call('GET', `/v2-beta/apikeys/${c.id}`)).status).toBe(404);
  });

  it('edits name and description only; too long is 422 MaxLengthExceeded; a publicValue sent on create is dropped silently', async () => {
    const c = (await call('POST', '/v2-beta/apikeys', { body: { name: 'edit' } })).body!;
    const e = await call('PUT', `/v2-beta/apikeys/${c.id}`, { body: { name: 'edited', description: 'x', publicValue: 'AAAA' } });
    expect(e.body).toMatchObject({ name: 'edited', description: 'x', publicValue: c.publicValue });
    expect((await call('PUT', `/v2-beta/apikeys/${c.id}`, { body: { name: 'x'.repeat(300) } })).body).toMatchObject({
      status: 422,
      code: 'MaxLengthExceeded',
      fieldName: 'name',
    });
    const chosen = await call('POST', '/v2-beta/apikeys', { body: { name: 'dup', publicValue: c.publicValue } });
    expect(chosen.status).toBe(201);
    expect(chosen.body!.publicValue).not.toBe(c.publicValue);
  });

  it('environment keys live under /projects/<id>/apikeys and reach only their environment', async () => {
    const c = await call('POST', '/v2-beta/projects/1a5/apikeys', { body: { name: 'env' } });
    expect(c.body!.accountId).toBe('1a5');
    await settle();
    const envAuth = basic(c.body!.publicValue, c.body!.secretValue);
    expect((await call('GET', '/v2-beta/projects', { auth: envAuth })).body!.data.map((p: any) => p.id)).toEqual(['1a5']);
    expect((await call('GET', '/v2-beta/projects/1a7/apikeys', { auth: envAuth })).body).toMatchObject({ status: 403, code: 'Forbidden' });
    expect((await call('GET', '/v2-beta/projects/1a99/apikeys', { auth: envAuth })).body).toMatchObject({ status: 404, code: 'Not Found' });
    const list = await call('GET', '/v2-beta/projects/1a5/apikeys', { auth: envAuth });
    expect(list.body!.data.map((k: any) => k.id)).toContain(c.body!.id);
    expect((await call('GET', '/v2-beta/apikeys')).body!.data.map((k: any) => k.id)).not.toContain(c.body!.id);
  });

  it('collections page with limit and marker and filter by name', async () => {
    for (let i = 0; i < 5; i++) await call('POST', '/v2-beta/projects/1a7/apikeys', { body: { name: `page-${i % 2}` } });
    const first = await call('GET', '/v2-beta/projects/1a7/apikeys?limit=2');
    expect(first.body).toMatchObject({ type: 'collection', resourceType: 'apiKey', pagination: { limit: 2, total: 5, partial: true } });
    let next = first.body!.pagination.next;
    const seen = first.body!.data.map((k: any) => k.id);
    while (next) {
      const p = await call('GET', next);
      seen.push(...p.body!.data.map((k: any) => k.id));
      next = p.body!.pagination.next;
    }
    expect(new Set(seen).size).toBe(5);
    expect((await call('GET', '/v2-beta/projects/1a7/apikeys?name=page-1')).body!.data).toHaveLength(2);
  });

  it('state changes are asynchronous: registering -> activating -> active, deactivating -> inactive; DELETE is 405 until inactive, 409 while a process holds the key', async () => {
    const slow = await startRancher({ transitionMs: 40 });
    try {
      const a = `Basic ${Buffer.from(`${slow.demo.accessKey}:${slow.demo.secretKey}`).toString('base64')}`;
      const at = async (method: string, path: string) => {
        const r = await fetch(`${slow.url}${path}`, { method, headers: { Authorization: a } });
        return { status: r.status, body: (await r.json()) as Record<string, any>, headers: r.headers };
      };
      const created = await fetch(`${slow.url}/v2-beta/apikeys`, {
        method: 'POST',
        headers: { Authorization: a, 'Content-Type': 'application/json' },
        body: '{"name":"slow"}',
      });
      const c = (await created.json()) as Record<string, any>;
      expect(c.state).toBe('registering');
      const states = new Set<string>();
      const until = async (want: string) => {
        for (let i = 0; i < 200; i++) {
          const s = (await at('GET', `/v2-beta/apikeys/${c.id}`)).body.state as string;
          states.add(s);
          if (s === want) return;
          await new Promise((r) => setTimeout(r, 5));
        }
        throw new Error(`never ${want}`);
      };
      await until('active');
      expect(states).toContain('activating');
      const d = await at('POST', `/v2-beta/apikeys/${c.id}?action=deactivate`);
      expect(d.body.state).toBe('deactivating');
      expect(d.headers.get('x-api-account-id')).toBe('1a1');
      expect((await at('DELETE', `/v2-beta/apikeys/${c.id}`)).body).toMatchObject({ status: 405, code: 'Method not allowed' });
      await until('inactive');
      slow.state.held.add(c.id);
      expect((await at('DELETE', `/v2-beta/apikeys/${c.id}`)).body).toMatchObject({ status: 409, code: 'Conflict' });
      slow.state.held.delete(c.id);
      expect((await at('DELETE', `/v2-beta/apikeys/${c.id}`)).status).toBe(202);
      expect((await at('GET', '/v2-beta/apikeys')).body.data.map((k: any) => k.id)).not.toContain(c.id);
      await until('removed');
    } finally {
      await slow.close();
    }
  });
});
