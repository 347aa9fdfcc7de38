import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRancher, type RancherEmulator } from '../../emulators/rancher';
import { RancherProvider } from './rancher';
import { failure } from '../errors.testkit';

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 2));
  expect(cond()).toBe(true);
}

let emu: RancherEmulator;
let p: RancherProvider;
beforeAll(async () => {
  emu = await startRancher({ transitionMs: 30 });
  p = new RancherProvider(emu.url, emu.demo.accessKey, emu.demo.secretKey, { backoffMs: 5 });
});
afterAll(() => emu.close());

describe('RancherProvider against the emulator', () => {
  it("checks the pair; a wrong secret is the platform's 401 without the secret in the message", async () => {
    expect((await p.check()).identity).toBe(emu.demo.accessKey);
    const e = await failure(new RancherProvider(emu.url, emu.demo.accessKey, 'wrong-secret-value-123', { backoffMs: 5 }).check());
    expect(e).toMatchObject({ code: 'REMOTE', status: 401, message: 'Rancher: Unauthorized (HTTP 401)' });
    expect(e.message).not.toContain('wrong-secret');
  });

  it('lists environments and both kinds of keys', async () => {
    expect((await p.listEnvironments()).map((e) => e.remoteId)).toEqual(['1a5', '1a7']);
    expect((await p.listKeys(null)).map((k) => k.publicPart)).toContain(emu.demo.accessKey);
  });

  it('creates an environment key (secret once, works once registered), edits, deactivates, activates, deletes', async () => {
    const { key, secret } = await p.createKey({ projectId: '1a5', name: 'deploy', description: 'CI' });
    expect(secret).toHaveLength(40);
    expect(key.state).toBe('registering');
    await p.checkKeyPair(key.publicValue, secret);
    const ref = { id: key.id, projectId: '1a5' };
    expect((await p.getKey(ref)).secretValue).toBeNull();
    expect(await p.editKey(ref, { name: 'deploy-2', description: 'CD' })).toMatchObject({ name: 'deploy-2', description: 'CD' });
    // the platform's own refusal: DELETE of an active key is 405, and the key stays active
    const refused = await failure(p.deleteKey(ref));
    expect(refused).toMatchObject({ code: 'REMOTE', status: 405, message: 'Rancher: Method not allowed (HTTP 405)' });
    expect(emu.state.keys.get(key.id)!.state).toBe('active');
    expect((await p.deactivate(ref)).state).toBe('inactive');
    expect(await failure(p.checkKeyPair(key.publicValue, secret, { waitMs: 0 }))).toMatchObject({ status: 401 });
    expect((await p.activate(ref)).state).toBe('active');
    await p.deleteKey(ref, { deactivateFirst: true });
    // read back on the platform: removed, no longer listed, and the pair no longer logs in
    expect(emu.state.keys.get(key.id)!.state).toBe('removed');
    expect((await p.listKeys('1a5')).find((k) => k.remoteId === key.id)).toBeUndefined();
    expect(await failure(p.checkKeyPair(key.publicValue, secret, { waitMs: 0 }))).toMatchObject({ status: 401 });
  });

  it('ActionNotAvailable surfaces from a raw action in the wrong state', async () => {
    const { key } = await p.createKey({ projectId: null, name: 'x' });
    await p.settle({ id: key.id, projectId: null });
    const e = await failure(p.action({ id: key.id, projectId: null }, 'activate'));
    expect(e.message).toContain('ActionNotAvailable');
  });

  it('deactivate is safe to repeat after a lost answer (reconciles by reading the state)', async () => {
    const { key } = await p.createKey({ projectId: null, name: 'lost' });
    const ref = { id: key.id, projectId: null };
    await p.settle(ref);
    emu.setFaults({ queue: ['error500'], queuePath: `/v2-beta/apikeys/${key.id}` });
    expect((await p.deactivate(ref)).state).toBe('inactive');
    emu.setFaults({ queuePath: null });
  });

  it('pages a large collection', async () => {
    const many = new RancherProvider(emu.url, emu.demo.accessKey, emu.demo.secretKey);
    for (let i = 0; i < 12; i++) await many.createKey({ projectId: '1a7', name: `bulk-${i}` });
    expect((await many.listRaw('1a7')).length).toBe(12);
  });

  it('revoke waits for the asynchronous states: deactivate, wait until inactive (a DELETE meanwhile is 405), delete, wait until removed', async () => {
    const slow = await startRancher({ transitionMs: 60 });
    try {
      const sp = new RancherProvider(slow.url, slow.demo.accessKey, slow.demo.secretKey, { backoffMs: 5 });
      const { key } = await sp.createKey({ projectId: null, name: 'slow' });
      expect(key.state).toBe('registering');
      const ref = { id: key.id, projectId: null };
      expect((await sp.waitActive(ref)).state).toBe('active');
      expect((await sp.action(ref, 'deactivate')).state).toBe('deactivating');
      // deactivating: a DELETE now would be 405, so the provider waits for inactive first
      await sp.deleteKey(ref);
      expect(slow.state.keys.get(key.id)!.state).toBe('removed');
      expect((await sp.listRaw(null)).map((k) => k.id)).not.toContain(key.id);
    } finally {
      await slow.close();
    }
  });

  it('a key held by a running process (409) is deleted once the process lets go; held for good, it is REMOTE and the key stays', async () => {
    const { key } = await p.createKey({ projectId: null, name: 'held' });
    const ref = { id: key.id, projectId: null };
    await p.deactivate(await p.waitActive(ref).then(() => ref));
    emu.state.held.add(key.id);
    const stuck = await failure(p.deleteKey(ref, { timeoutMs: 200 }));
    expect(stuck).toMatchObject({ code: 'CONFLICT', status: 409 });
    expect(emu.state.keys.get(key.id)!.state).toBe('inactive');
    expect((await p.listRaw(null)).map((k) => k.id)).toContain(key.id);
    // the process ends while Keyhold waits: released once a DELETE was refused with 409
    const before = emu.state.conflicts;
    const deleting = p.deleteKey(ref);
    await until(() => emu.state.conflicts > before);
    emu.state.held.delete(key.id);
    await deleting;
    expect(emu.state.keys.get(key.id)!.state).toBe('removed');
  });
});
