import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openVault } from '../index';
import { ROWS_SQL } from '../manifest-rows';
import { FORMAT_VERSION } from '../schema';
import { TEST_PASSWORD, newTestVault, tamper } from '../test-vault.testkit';

const plan = (db: Database.Database) =>
  (db.prepare(`EXPLAIN QUERY PLAN ${ROWS_SQL} GROUP BY seg`).all() as Array<{ detail: string }>).map((r) => r.detail).join('; ');

describe('migration 5: the keys rows index', () => {
  it('a format-4 vault gets the index the manifest reads, and its manifest still holds', async () => {
    const { path, session } = await newTestVault();
    const ws = session.addWorkspace({ name: 'w', provider: 'local' });
    session.addKeys(
      Array.from({ length: 20 }, (_, i) => ({ workspaceId: ws.id, kind: 'api_key' as const, name: `k${i}`, secret: `s${i}` })),
    );
    session.lock();
    // the file as format 4 left it
    tamper(path, (db) =>
      db.exec('DROP INDEX keys_seg_rows; CREATE INDEX keys_seg_id ON keys(seg, id); UPDATE header SET format_version = 4 WHERE id = 1;'),
    );
    const s = await openVault(path, TEST_PASSWORD);
    expect(s.stats().formatVersion).toBe(FORMAT_VERSION);
    expect(s.listKeys().total).toBe(20);
    s.lock();
    const db = new Database(path, { readonly: true });
    try {
      expect(plan(db)).toMatch(/COVERING INDEX keys_seg_rows/);
      expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'keys_seg_id'").pluck().get()).toBe(0);
    } finally {
      db.close();
    }
    const again = await openVault(path, TEST_PASSWORD);
    expect(again.listKeys().total).toBe(20);
    again.lock();
  });

  it('a new vault measures its keys rows from the index alone', async () => {
    const { path, session } = await newTestVault();
    session.lock();
    const db = new Database(path, { readonly: true });
    try {
      expect(plan(db)).toMatch(/COVERING INDEX keys_seg_rows/);
    } finally {
      db.close();
    }
  });
});
