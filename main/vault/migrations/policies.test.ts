import { describe, expect, it } from 'vitest';
import { openVault } from '../index';
import { FORMAT_VERSION } from '../schema';
import { TEST_PASSWORD, newTestVault, tamper } from '../test-vault.testkit';

describe('migration 3: rotation policies', () => {
  it('adds the policies table to a format-2 vault, keeping its keys', async () => {
    const { path, session } = await newTestVault();
    const ws = session.addWorkspace({ name: 'w', provider: 'local' });
    const key = session.addKey({ workspaceId: ws.id, kind: 'api_key', name: 'k', secret: 's' });
    session.lock();
    tamper(path, (db) => {
      db.exec('DROP TABLE policies; DROP TABLE manifest'); // format 2 had neither
      db.prepare('UPDATE header SET format_version = 2').run();
    });
    const s = await openVault(path, TEST_PASSWORD);
    try {
      expect(s.stats().formatVersion).toBe(FORMAT_VERSION);
      expect(s.listPolicies()).toEqual([]);
      expect(s.setPolicy({ workspaceId: ws.id, maxAgeDays: 30, warnDays: 5 })).toMatchObject({ workspaceId: ws.id, maxAgeDays: 30 });
      expect(s.readSecret(key.id)).toBe('s');
    } finally {
      s.lock();
    }
  });
});
