import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRancher2, type Rancher2Emulator } from '../../emulators/rancher2';
import { startEmulator, type EmuResponse, type EmulatorServer } from '../../emulators/server';
import { failure } from '../errors.testkit';
import { Rancher2Provider, ttlMs } from './rancher2';

const DAY = 86_400_000;
let emu: Rancher2Emulator;
let p: Rancher2Provider;
beforeAll(async () => {
  emu = await startRancher2({ maxTtlMinutes: 60 * 24 * 90 });
  p = new Rancher2Provider(emu.url, emu.demo.token, { backoffMs: 5 });
});
afterAll(() => emu.close());

describe('Rancher2Provider against the emulator', () => {
  it("checks the token by reading itself; a wrong secret is the platform's 401 message, without the secret", async () => {
    expect((await p.check()).identity).toBe(`${emu.demo.token.split(':')[0]} (${emu.demo.userId})`);
    const wrong = `${emu.demo.token.split(':')[0]}:wrongsecretvalue123`;
    const e = await failure(new Rancher2Provider(emu.url, wrong, { backoffMs: 5 }).check());
    expect(e).toMatchObject({ code: 'REMOTE', status: 401, message: 'Rancher 2: Unauthorized 401: must authenticate (HTTP 401)' });
    expect(e.message).not.toContain('wrongsecret');
  });

  it('refuses a value that is not token-xxxxx:<secret> before any call', () => {
    expect(() => new Rancher2Provider(emu.url, 'just-a-secret')).toThrow(/token-xxxxx:<secret>/);
  });

  it('clusters are the environments', async () => {
    expect(await p.listEnvironments()).toEqual([
      { remoteId: 'local', name: 'local', description: 'The cluster Rancher runs in' },
      { remoteId: 'c-m-7x2kq', name: 'production', description: 'Production workloads' },
    ]);
  });

  it('lists API keys only (no kubeconfig token, no login session), by cluster scope, expired ones as expired', async () => {
    const unscoped = await p.listKeys(null);
    const names = unscoped.map((k) => k.description);
    expect(names).toEqual(expect.arrayContaining(['keyhold demo', 'ci deploy', 'old pipeline']));
    expect(names).not.toContain('Kubeconfig token');
    const sessionName = emu.demo.session.split(':')[0];
    expect(unscoped.some((k) => k.remoteId === sessionName)).toBe(false);
    expect(unscoped.find((k) => k.description === 'old pipeline')).toMatchObject({ state: 'expired', kind: 'token' });
    const ci = unscoped.find((k) => k.description === 'ci deploy')!;
    expect(ci.state).toBe('active');
    expect(Date.parse(ci.expiresAt!)).toBeGreaterThan(Date.now());
    expect(ci.meta.expiresAt).toBe(ci.expiresAt);
    expect((await p.listKeys('c-m-7x2kq')).map((k) => k.description)).toEqual(['production only']);
  });

  it('creates with a TTL in ms (cut to the max silently), the bearer once; deletes, and a second delete is fine', async () => {
    const { token, bearer } = await p.createToken({ description: 'long', ttlMs: ttlMs(365), clusterId: null });
    expect(bearer.startsWith(`${token.name}:`)).toBe(true);
    expect(token.ttl).toBe(90 * DAY);
    expect(token.expiresAt).toBe('');
    expect((await p.getToken(token.name)).token).toBeUndefined();
    await p.checkBearer(bearer, null);
    await p.deleteToken(token.name);
    expect(emu.state.tokens.has(token.name)).toBe(false);
    await p.deleteToken(token.name);
    expect(await failure(p.checkBearer(bearer, null))).toMatchObject({ status: 401 });
  });

  it("a cluster-scoped token is checked on its cluster's Kubernetes API (it gets 401 on /v3)", async () => {
    const { bearer } = await p.createToken({ description: 'scoped', ttlMs: 0, clusterId: 'c-m-7x2kq' });
    await p.checkBearer(bearer, 'c-m-7x2kq');
    expect(await failure(p.checkBearer(bearer, null))).toMatchObject({ status: 401 });
  });

  it("deleting the current login session gives the platform's 400 message", async () => {
    const s = new Rancher2Provider(emu.url, emu.demo.session, { backoffMs: 5 });
    const e = await failure(s.deleteToken(emu.demo.session.split(':')[0]!));
    expect(e).toMatchObject({ code: 'REMOTE', status: 400 });
    expect(e.message).toBe('Rancher 2: Cannot delete token for current session. Use logout instead (ServerError) (HTTP 400)');
  });

  it('TTL days are whole and bounded', () => {
    expect(ttlMs(0)).toBe(0);
    expect(ttlMs(2)).toBe(2 * DAY);
    expect(() => ttlMs(1.5)).toThrow(/whole number of days/);
    expect(() => ttlMs(-1)).toThrow(/whole number of days/);
  });
});

describe('Rancher2Provider against hostile answers', () => {
  let bad: EmulatorServer;
  let answer: EmuResponse = { status: 200, body: {} };
  beforeAll(async () => {
    bad = await startEmulator('hostile', () => answer);
  });
  afterAll(() => bad.close());
  const client = () => new Rancher2Provider(bad.url, 'token-abcde:secretsecret', { backoffMs: 1, retries: 0 });

  it('a token list with wrong types is a clear REMOTE error', async () => {
    answer = { status: 200, body: { type: 'collection', data: [{ id: 5, name: 'token-x', ttl: 'forever' }] } };
    const e = await failure(client().listKeys(null));
    expect(e.code).toBe('REMOTE');
    expect(e.message).toMatch(/^Rancher 2: unexpected answer/);
  });

  it('a create answer without the token value is refused, not stored as empty', async () => {
    answer = { status: 201, body: { id: 'token-zzzzz', name: 'token-zzzzz', ttl: 0 } };
    expect(await failure(client().createToken({ description: 'x', ttlMs: 0, clusterId: null }))).toMatchObject({
      code: 'REMOTE',
      message: 'Rancher 2: the new token came without its value.',
    });
  });

  it('a 401 without a body still says unauthorized', async () => {
    answer = { status: 401, body: 'nope' };
    expect(await failure(client().check())).toMatchObject({ code: 'REMOTE', status: 401 });
  });
});
