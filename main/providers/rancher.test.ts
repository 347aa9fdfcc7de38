import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRancher, type RancherEmulator } from '../../emulators/rancher';
import { RancherProvider } from './rancher';
import { failure } from '../errors.testkit';

let emu: RancherEmulator;
let p: RancherProvider;
beforeAll(async () => {
  emu = await startRancher({ transitionMs: 30 });
  p = new RancherProvider(emu.url, emu.demo.accessKey, emu.demo.secretKey, { backoffMs: 5 });
});
afterAll(() => emu.close());

describe('RancherProvider against the emulator', () => {
  it('checks the pair; a wrong secret is the platform\'s 401 without the secret in the message', async () => {
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
    // the platform's own refusal: delete while active
    const refused = await failure(p.deleteKey(ref));
    expect(refused).toMatchObject({ code: 'REMOTE', status: 422 });
    expect(refused.message).toMatch(/^Rancher: Action remove not available in state active \(ActionNotAvailable on action\) \(HTTP 422\)$/);
    expect((await p.deactivate(ref)).state).toBe('inactive');
    expect(await failure(p.checkKeyPair(key.publicValue, secret, { waitMs: 0 }))).toMatchObject({ status: 401 });
    expect((await p.activate(ref)).state).toBe('active');
    await p.deleteKey(ref, { deactivateFirst: true });
    expect((await p.settle(ref))!.state).toBe('removed');
    expect((await p.listKeys('1a5')).find((k) => k.remoteId === key.id)!.state).toBe('revoked');
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
});
