// passwd --rekey against real vault files: everything reads back under the new password, and the
// old key (from an old copy of the file and the old password) opens nothing written afterwards.
import { copyFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { Sealer } from './crypto';
import { inspectVaultFile, openVault, rekeyVault, unlockKey } from './index';
import { TEST_PASSWORD, newTestVault } from './test-vault.testkit';

const NEW_PASSWORD = 'the new master password';

describe('passwd --rekey', () => {
  it('re-seals every value under a new key: the vault opens with the new password and all reads back', async () => {
    const { path, session } = await newTestVault();
    const ws = session.addWorkspace({ name: 'w', provider: 'local' });
    const env = session.addEnvironment({ workspaceId: ws.id, name: 'prod' });
    const k = session.addKey({ workspaceId: ws.id, environmentId: env.id, kind: 'api_key', name: 'before', secret: 'secret before' });
    session.setSetting('theme', 'dark');
    session.setPolicy({ workspaceId: ws.id, maxAgeDays: 90, warnDays: 14 });
    session.addPending({ type: 'rotation', keyId: k.id, step: 'creating', data: { provider: 'local' } });
    const old = `${path}.old`;
    session.lock();
    copyFileSync(path, old);

    const s = await openVault(path, TEST_PASSWORD);
    await rekeyVault(s, NEW_PASSWORD);
    s.addVersion(k.id, 'rotated after the rekey');
    const after = s.addKey({ workspaceId: ws.id, kind: 'api_key', name: 'after', secret: 'written after the rekey' });
    s.lock();

    await expect(openVault(path, TEST_PASSWORD)).rejects.toMatchObject({ code: 'WRONG_PASSWORD' });
    const r = await openVault(path, NEW_PASSWORD);
    try {
      expect(r.readSecret(k.id)).toBe('rotated after the rekey');
      expect(r.readSecret(after.id)).toBe('written after the rekey');
      expect(r.listVersions(k.id).map((v) => v.version)).toEqual([1, 2]);
      expect(
        r
          .listKeys()
          .items.map((x) => x.name)
          .sort(),
      ).toEqual(['after', 'before']);
      expect(r.listEnvironments().map((e) => e.name)).toEqual(['prod']);
      expect(r.getSetting('theme')).toBe('dark');
      expect(r.listPolicies()).toMatchObject([{ workspaceId: ws.id, maxAgeDays: 90, warnDays: 14 }]);
      expect(r.listPending('rotation')).toHaveLength(1);
      // the chain was re-computed under the new key: it verifies, from the first event on
      expect(r.verifyAudit().events).toBe(2);
      expect(r.listAudit().map((e) => e.action)).toEqual(['vault_created', 'password_changed']);
    } finally {
      r.lock();
    }

    // the attacker's side: the old copy and the old password give the old vault key...
    const oldKey = await unlockKey(inspectVaultFile(old), TEST_PASSWORD);
    const oldSealer = new Sealer(oldKey);
    const db = new Database(path, { readonly: true });
    try {
      // ...which opens no value of the current file: not the secrets written after the rekey,
      // not the names, not even the ones written before it (they were all re-sealed)
      const sealed = [
        ...db
          .prepare('SELECT key_id, version, secret FROM key_versions')
          .all()
          .map((x) => {
            const v = x as { key_id: string; version: number; secret: Buffer };
            return ['key_versions.secret', `${v.key_id}/${v.version}`, v.secret] as const;
          }),
        ...db
          .prepare('SELECT seg, data FROM index_segments')
          .all()
          .map((x) => {
            const v = x as { seg: number; data: Buffer };
            return ['index_segments.data', String(v.seg), v.data] as const;
          }),
        ...db
          .prepare('SELECT id, data FROM workspaces')
          .all()
          .map((x) => {
            const v = x as { id: string; data: Buffer };
            return ['workspaces.data', v.id, v.data] as const;
          }),
      ];
      expect(sealed.length).toBeGreaterThanOrEqual(5);
      for (const [label, id, data] of sealed)
        expect(() => oldSealer.openBytes(label, id, data), label).toThrow(expect.objectContaining({ code: 'INTEGRITY' }));
    } finally {
      db.close();
      oldSealer.zero();
    }
  });
});
