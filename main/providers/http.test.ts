import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startEmulator, type EmulatorServer } from '../../emulators/server';
import { KeyholdError } from '../errors';
import { HttpClient, checkBaseUrl, retryAfterMs } from './http';
import { failure } from '../errors.testkit';

const TOKEN = 'tok_SECRET_0123456789abcdef';
let emu: EmulatorServer;
let hits: { method: string; path: string }[] = [];
beforeAll(async () => {
  emu = await startEmulator('test', (req) => {
    hits.push({ method: req.method, path: req.path });
    if (req.path === '/echo-secret')
      return { status: 400, body: { message: `bad token ${String(req.headers.authorization).split(' ')[1]}` } };
    if (req.path === '/redirect') return { status: 200, body: { next: 'http://example.com/steal' } };
    if (req.path === '/wrong-shape') return { status: 200, body: { id: 'not-a-number' } };
    if (req.path === '/forbidden') return { status: 403, body: { message: 'forbidden' } };
    if (req.path === '/dup') return { status: 422, body: { message: 'already in use' } };
    if (req.path === '/echo-body')
      return {
        status: 401,
        body: { message: `wrong password ${String((JSON.parse(req.raw.toString('utf8')) as { password?: unknown }).password)}` },
      };
    if (req.path === '/echo-upper') return { status: 400, body: { message: `bad key ${String(req.headers['x-api-key']).toUpperCase()}` } };
    if (req.path === '/moved')
      return { status: 302, headers: { Location: 'https://login.example.com/sso?token=tok_in_location_123' }, body: { message: 'moved' } };
    return { status: req.method === 'POST' ? 201 : 200, body: { id: 7 } };
  });
});
afterAll(() => emu.close());

const Item = z.object({ id: z.number() });
function client(extra: Partial<ConstructorParameters<typeof HttpClient>[0]> = {}) {
  hits = [];
  return new HttpClient({
    platform: 'Testplat',
    baseUrl: emu.url,
    backoffMs: 5,
    timeoutMs: 2_000,
    headers: () => ({ Authorization: `Bearer ${TOKEN}` }),
    errorMessage: (status, body) => {
      const m = (body as { message?: unknown }).message;
      return typeof m === 'string' ? { message: m, conflict: status === 422 && /already in use/.test(m) } : null;
    },
    ...extra,
  });
}

describe('HttpClient', () => {
  it('allows https anywhere and plain http only to the loopback', () => {
    expect(checkBaseUrl('https://api.syncano.io').host).toBe('api.syncano.io');
    for (const ok of ['http://127.0.0.1:8080', 'http://127.3.2.1', 'http://localhost:1', 'http://[::1]:9'])
      expect(() => checkBaseUrl(ok)).not.toThrow();
    for (const bad of [
      'http://example.com',
      'http://10.0.0.1',
      'ftp://127.0.0.1',
      'http://127.0.0.1.evil.com',
      'https://u:p@host',
      'nope',
    ]) {
      expect(() => checkBaseUrl(bad)).toThrow(KeyholdError);
    }
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs(new Date(10_000 + 5_000).toUTCString(), 10_000)).toBe(5000);
    expect(retryAfterMs('soon')).toBeUndefined();
  });

  it('parses answers with zod and refuses a wrong shape as REMOTE', async () => {
    expect((await client().request({ method: 'GET', path: '/x', schema: Item })).data.id).toBe(7);
    const e = await failure(client().request({ method: 'GET', path: '/wrong-shape', schema: Item }));
    expect(e.code).toBe('REMOTE');
    expect(e.message).toMatch(/^Testplat: unexpected answer \(id: invalid type\) \(HTTP 200\)$/);
  });

  it('retries an idempotent GET after 500s and a dropped connection', async () => {
    const c = client();
    emu.setFaults({ queue: ['error500', 'drop'] });
    expect((await c.request({ method: 'GET', path: '/x', schema: Item })).data.id).toBe(7);
    expect(emu.faults.queue).toEqual([]);
  });

  it('never resends a POST that creates after a 500 or a dropped connection', async () => {
    const c = client();
    emu.setFaults({ queue: ['error500'] });
    const e = await failure(c.request({ method: 'POST', path: '/create', body: { a: 1 }, schema: Item }));
    expect(e).toMatchObject({ code: 'REMOTE', status: 500 });
    emu.setFaults({ queue: ['drop'] });
    await failure(c.request({ method: 'POST', path: '/create', body: { a: 1 }, schema: Item }));
    expect(hits).toEqual([]); // neither reached the platform logic, and neither was sent again
    expect(emu.faults.queue).toEqual([]);
  });

  it('waits Retry-After on 429 (even for a POST: the server refused it) and gives up on a long one', async () => {
    const c = client();
    emu.setFaults({ queue: ['rate429'], retryAfterSeconds: 1 });
    const started = Date.now();
    await c.request({ method: 'POST', path: '/create', schema: Item });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(hits).toHaveLength(1);
    emu.setFaults({ queue: ['rate429'], retryAfterSeconds: 3600 });
    const e = await failure(c.request({ method: 'GET', path: '/x', schema: Item }));
    expect(e).toMatchObject({ code: 'REMOTE', status: 429 });
  });

  it('stops after the bounded retries with the last failure', async () => {
    const c = client({ retries: 2 });
    emu.setFaults({ queue: ['error503', 'error503', 'error503', 'error503'], retryAfterSeconds: 0 });
    const e = await failure(c.request({ method: 'GET', path: '/x', schema: Item }));
    expect(e.status).toBe(503);
    expect(emu.faults.queue).toHaveLength(1);
    emu.setFaults({ queue: [] });
  });

  it('times out on a platform that never answers', async () => {
    const c = client({ timeoutMs: 200, retries: 1 });
    emu.setFaults({ queue: ['hang', 'hang'] });
    const e = await failure(c.request({ method: 'GET', path: '/x', schema: Item }));
    expect(e.message).toBe(`Testplat: could not reach ${new URL(emu.url).host}: no answer within 0.2 s`);
  });

  it('refuses a malformed JSON answer', async () => {
    emu.setFaults({ queue: ['malformed'] });
    const e = await failure(client().request({ method: 'GET', path: '/x', schema: Item }));
    expect(e.message).toBe('Testplat: the answer is not valid JSON (HTTP 200)');
  });

  it('refuses a 50 MB answer without reading it all', async () => {
    emu.setFaults({ queue: ['huge'], hugeBytes: 50 * 1024 * 1024 });
    const before = process.memoryUsage().rss;
    const e = await failure(client().request({ method: 'GET', path: '/x', schema: Item }));
    expect(e.message).toBe('Testplat: the answer is larger than 5 MB; refused');
    expect(process.memoryUsage().rss - before).toBeLessThan(40 * 1024 * 1024);
  });

  it("surfaces the platform's message, CONFLICT for duplicates, and never a secret", async () => {
    const dup = await failure(client().request({ method: 'POST', path: '/dup', schema: Item }));
    expect(dup).toMatchObject({ code: 'CONFLICT', status: 422, message: 'Testplat: already in use (HTTP 422)' });
    const echo = await failure(client().request({ method: 'GET', path: '/echo-secret', schema: Item }));
    expect(echo.message).not.toContain(TOKEN);
    expect(echo.message).toBe('Testplat: bad token [redacted] (HTTP 400)');
  });

  it('never follows a link to another host with its credentials', async () => {
    const c = client();
    const e = await failure(c.request({ method: 'GET', path: 'http://example.com/steal', schema: Item }));
    expect(e.message).toMatch(/another host/);
  });

  it('keeps a secret sent in the request body (a login password) out of the message', async () => {
    const password = 'body-Secret-pass-123';
    const e = await failure(client().request({ method: 'POST', path: '/echo-body', body: { email: 'a@b.c', password }, schema: Item }));
    expect(e.message).toBe('Testplat: wrong password [redacted] (HTTP 401)');
    expect(e.remote).toEqual({ status: 401, reason: 'auth' });
  });

  it('keeps a hex key out of the message whatever its case', async () => {
    const key = 'abcdef0123456789abcdef0123456789abcdef01';
    const e = await failure(
      client({ headers: () => ({ 'X-API-KEY': key }) }).request({ method: 'GET', path: '/echo-upper', schema: Item }),
    );
    expect(e.message).toBe('Testplat: bad key [redacted] (HTTP 400)');
    expect(e.message.toLowerCase()).not.toContain(key);
  });

  it('reports a redirect as not followed, naming only the host it pointed to', async () => {
    const e = await failure(client().request({ method: 'GET', path: '/moved', schema: Item }));
    expect(e.message).toBe(
      'Testplat: the platform answered with a redirect to login.example.com, which Keyhold does not follow; check the workspace URL (HTTP 302)',
    );
    expect(e).toMatchObject({ code: 'REMOTE', status: 302, remote: { status: 302, reason: 'refused' } });
    expect(hits.map((h) => h.path)).toEqual(['/moved']);
  });

  it('says why a call failed: auth, scope, rate limit, server, unreachable, refused', async () => {
    const reasonOf = async (fault: 'error500' | 'rate429' | 'drop') => {
      emu.setFaults({ queue: [fault, fault, fault, fault], retryAfterSeconds: 3600 });
      const e = await failure(client({ retries: 0 }).request({ method: 'GET', path: '/x', schema: Item }));
      emu.setFaults({ queue: [] });
      return e.remote;
    };
    expect(await reasonOf('error500')).toEqual({ status: 500, reason: 'server' });
    expect(await reasonOf('rate429')).toEqual({ status: 429, reason: 'rate_limited' });
    expect(await reasonOf('drop')).toEqual({ status: null, reason: 'unreachable' });
    expect((await failure(client().request({ method: 'POST', path: '/dup', schema: Item }))).remote).toEqual({
      status: 422,
      reason: 'refused',
    });
    expect((await failure(client().request({ method: 'GET', path: '/wrong-shape', schema: Item }))).remote).toEqual({
      status: 200,
      reason: 'server',
    });
    expect((await failure(client().request({ method: 'POST', path: '/echo-body', body: {}, schema: Item }))).remote?.reason).toBe('auth');
    expect((await failure(client().request({ method: 'GET', path: '/forbidden', schema: Item }))).remote).toEqual({
      status: 403,
      reason: 'scope',
    });
  });
});
