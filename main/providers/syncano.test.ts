import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSyncano, type SyncanoEmulator } from '../../emulators/syncano';
import { SyncanoProvider, syncanoLogin } from './syncano';
import { failure } from '../errors.testkit';

let emu: SyncanoEmulator;
let accountKey: string;
beforeAll(async () => {
  emu = await startSyncano();
});
afterAll(() => emu.close());
const opts = () => ({ baseUrl: emu.url, backoffMs: 5 });

describe('SyncanoProvider against the emulator', () => {
  it("logs in for the Account Key; a wrong password is the platform's 401 message", async () => {
    const login = await syncanoLogin(emu.demo.email, emu.demo.password, opts());
    accountKey = login.accountKey;
    expect(accountKey).toMatch(/^[0-9a-f]{40}$/);
    const e = await failure(syncanoLogin(emu.demo.email, 'wrong', opts()));
    expect(e).toMatchObject({ code: 'REMOTE', status: 401, message: 'Syncano: Invalid password. (HTTP 401)' });
    expect(e.message).not.toContain('wrong');
  });

  it('checks the key, lists instances as environments and keys with flags and user keys', async () => {
    const p = new SyncanoProvider(accountKey, opts());
    expect(await p.check()).toEqual({ identity: emu.demo.email });
    const envs = await p.listEnvironments();
    expect(envs.map((e) => [e.remoteId, e.role])).toEqual([
      ['demo-instance', 'full'],
      ['staging', 'full'],
      ['partner-reports', 'read'],
    ]);
    const keys = await p.listKeys('demo-instance');
    expect(keys.filter((k) => k.kind === 'api_key').map((k) => k.flags.ignore_acl)).toEqual([false, true]);
    expect(keys.filter((k) => k.kind === 'user_key').map((k) => k.name)).toEqual(['alice', 'bob']);
  });

  it('pages through more than one page of keys', async () => {
    const p = new SyncanoProvider(accountKey, opts());
    for (let i = 0; i < 105; i++) await p.createApiKey('staging', { description: `bulk ${i}` });
    expect((await p.listApiKeys('staging')).length).toBe(106);
  });

  it('creates, edits, resets (old value dead at once) and deletes an API key', async () => {
    const p = new SyncanoProvider(accountKey, opts());
    const k = await p.createApiKey('demo-instance', { description: 'ci', flags: { allow_user_create: true } });
    expect(k.allow_user_create).toBe(true);
    await p.checkApiKey('demo-instance', k.api_key);
    const edited = await p.editApiKey('demo-instance', String(k.id), { description: 'ci-2', flags: { ignore_acl: true } });
    expect(edited).toMatchObject({ description: 'ci-2', ignore_acl: true, allow_user_create: true });
    const reset = await p.resetApiKey('demo-instance', String(k.id));
    expect(reset.api_key).not.toBe(k.api_key);
    expect((await p.getApiKey('demo-instance', String(k.id))).api_key).toBe(reset.api_key);
    const dead = await failure(p.checkApiKey('demo-instance', k.api_key));
    expect(dead).toMatchObject({ status: 403, message: 'Syncano: No such API Key. (HTTP 403)' });
    await p.deleteApiKey('demo-instance', String(k.id));
    expect(await failure(p.getApiKey('demo-instance', String(k.id)))).toMatchObject({
      code: 'REMOTE',
      status: 404,
      message: 'Syncano: Not found. (HTTP 404)',
    });
  });

  it('an instance API key is refused with 403 (not 401) where only the account key may act', async () => {
    const p = new SyncanoProvider(accountKey, opts());
    const k = await p.createApiKey('demo-instance', { description: 'weak' });
    const weak = new SyncanoProvider(k.api_key, opts());
    const e = await failure(weak.createApiKey('demo-instance', {}));
    expect(e).toMatchObject({
      code: 'REMOTE',
      status: 403,
      message: 'Syncano: You do not have permission to perform this action. (HTTP 403)',
    });
    expect(await failure(new SyncanoProvider('0'.repeat(40), opts()).check())).toMatchObject({
      status: 403,
      message: 'Syncano: No such API Key. (HTTP 403)',
    });
    expect((await failure(p.createApiKey('demo-instance', { description: 'x'.repeat(300) }))).message).toMatch(
      /^Syncano: description: Ensure this field has no more than 256 characters. \(HTTP 400\)$/,
    );
  });

  it('resets a user key and the account key', async () => {
    const p = new SyncanoProvider(accountKey, opts());
    const alice = (await p.listUsers('demo-instance')).find((u) => u.username === 'alice')!;
    const reset = await p.resetUserKey('demo-instance', String(alice.id));
    expect(reset.user_key).not.toBe(alice.user_key);
    expect((await p.getUser('demo-instance', String(alice.id))).user_key).toBe(reset.user_key);
    const apiKey = (await p.listApiKeys('demo-instance'))[0]!.api_key;
    await p.checkApiKey('demo-instance', apiKey, reset.user_key);
    const fresh = await p.resetAccountKey();
    expect(await failure(p.check())).toMatchObject({ status: 403 });
    accountKey = fresh;
    expect((await new SyncanoProvider(fresh, opts()).check()).identity).toBe(emu.demo.email);
  });

  it('waits out a 429 with Retry-After and survives 500s on reads', async () => {
    const p = new SyncanoProvider(accountKey, opts());
    emu.setFaults({ queue: ['rate429', 'error500'], retryAfterSeconds: 1 });
    expect((await p.listEnvironments()).length).toBe(3);
  });

  it('an instance shared read-only answers 403 with the permission wording to every API key call, and nothing changes there', async () => {
    const p = new SyncanoProvider(accountKey, opts());
    const inst = emu.state.instances.get(emu.demo.readOnlyInstance)!;
    const before = [...inst.apiKeys.keys()];
    const permission = {
      code: 'REMOTE',
      status: 403,
      message: 'Syncano: You do not have permission to perform this action. (HTTP 403)',
      remote: { status: 403, reason: 'scope' },
    };
    expect(await failure(p.listKeys(emu.demo.readOnlyInstance))).toMatchObject(permission);
    expect(await failure(p.createApiKey(emu.demo.readOnlyInstance, { description: 'x' }))).toMatchObject(permission);
    expect(await failure(p.deleteApiKey(emu.demo.readOnlyInstance, String(before[0])))).toMatchObject(permission);
    expect([...inst.apiKeys.keys()]).toEqual(before);
    // an unknown key has its own wording
    expect(await failure(new SyncanoProvider('1'.repeat(40), opts()).listKeys('demo-instance'))).toMatchObject({
      status: 403,
      message: 'Syncano: No such API Key. (HTTP 403)',
    });
  });

  it('an unknown user key beside a valid API key is ignored, not refused', async () => {
    const p = new SyncanoProvider(accountKey, opts());
    const apiKey = (await p.listApiKeys('demo-instance'))[0]!.api_key;
    // the API key alone works; a bogus user key changes nothing about that
    await p.checkApiKey('demo-instance', apiKey);
    const res = await fetch(`${emu.url}/v1.1/instances/demo-instance/api_keys/`, {
      headers: { 'X-API-KEY': apiKey, 'X-USER-KEY': '2'.repeat(40) },
    });
    expect(res.status).toBe(200);
  });

  it('a page that is full carries next: the provider follows it to the empty last page and reads every key once', async () => {
    const p = new SyncanoProvider(accountKey, opts());
    const inst = emu.state.instances.get('staging')!;
    while (inst.apiKeys.size % 100 !== 0) await p.createApiKey('staging', { description: 'fill' });
    const listed = await p.listApiKeys('staging');
    expect(listed.length).toBe(inst.apiKeys.size);
    expect(new Set(listed.map((k) => k.id)).size).toBe(listed.length);
  });
});
