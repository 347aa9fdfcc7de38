import { describe, expect, it } from 'vitest';
import { openVault } from '../index';
import { FORMAT_VERSION } from '../schema';
import { TEST_PASSWORD, newTestVault, tamper } from '../test-vault.testkit';

describe('migration 2: a rotation journalled at the retired step "created"', () => {
  it('is carried forward to "stored" with the new key stored as the current version', async () => {
    const { path, session } = await newTestVault();
    const ws = session.addWorkspace({ name: 'r', provider: 'rancher', url: 'https://r.example' });
    const key = session.addKey({
      workspaceId: ws.id,
      kind: 'access_key_pair',
      name: 'deployer',
      publicPart: 'OLDPUB',
      remoteId: '1c1',
      secret: 'old secret',
    });
    const data = {
      provider: 'rancher',
      projectId: '1a5',
      oldRemoteId: '1c1',
      oldPublic: 'OLDPUB',
      oldSecret: 'old secret',
      name: 'deployer',
      description: '',
      newRemoteId: '1c2',
      newPublic: 'NEWPUB',
      newSecret: 'new secret',
    };
    const op = session.addPending({ type: 'rotation', keyId: key.id, step: 'created', data });
    const other = session.addPending({ type: 'rotation', keyId: key.id, step: 'creating', data: { provider: 'rancher' } });
    session.lock();
    tamper(path, (db) => {
      db.prepare('UPDATE header SET format_version = 1').run();
      db.exec('DROP TABLE manifest'); // format 1 had none (migration 3)
    });

    const s = await openVault(path, TEST_PASSWORD);
    try {
      expect(s.stats().formatVersion).toBe(FORMAT_VERSION);
      const ops = s.listPending('rotation');
      expect(ops.find((o) => o.id === op.id)).toMatchObject({ step: 'stored', data });
      expect(ops.find((o) => o.id === other.id)).toMatchObject({ step: 'creating' });
      expect(s.readSecret(key.id)).toBe('new secret');
      expect(s.getKey(key.id)).toMatchObject({ publicPart: 'NEWPUB', remoteId: '1c2', hasSecret: true });
      expect(s.getKey(key.id).rotatedAt).not.toBeNull();
      expect(s.listVersions(key.id).map((v) => [v.version, v.publicPart, v.current])).toEqual([
        [1, 'OLDPUB', false],
        [2, 'NEWPUB', true],
      ]);
    } finally {
      s.lock();
    }
  });
});
