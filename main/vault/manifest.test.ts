// The attacks a review showed with a few SQL statements on a vault file (docs/SECURITY.md): each is
// now INTEGRITY at unlock, and the attempt to open leaves the file byte for byte as it was.
import { createHash } from 'node:crypto';
import { copyFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { inspectVaultFile, openVault, openWithKey, unlockKey } from './index';
import { measureClear, type ClearMeasure } from './manifest-rows';
import { TEST_PASSWORD, fileBytes, newTestVault, tamper } from './test-vault.testkit';
import type { VaultSession } from './types';

const sha = (p: string) => createHash('sha256').update(fileBytes(p)).digest('hex');

async function outcome(path: string): Promise<{ code: string; message: string }> {
  const before = sha(path);
  const r = await openVault(path, TEST_PASSWORD).then(
    (s) => {
      s.lock();
      return { code: 'OK', message: '' };
    },
    (e: { code?: string; message?: string }) => ({ code: e.code ?? 'crash', message: e.message ?? '' }),
  );
  expect(sha(path), 'the attempt to open changed the file').toBe(before);
  return r;
}

async function vaultWithKeys(n: number): Promise<{ path: string; session: VaultSession; ids: string[] }> {
  const { path, session } = await newTestVault();
  const ws = session.addWorkspace({ name: 'w', provider: 'local' });
  const ids = session
    .addKeys(
      Array.from({ length: n }, (_, i) => ({ workspaceId: ws.id, kind: 'api_key' as const, name: `key ${i}`, secret: `secret ${i} v1` })),
    )
    .map((k) => k.id);
  return { path, session, ids };
}

describe('the sealed manifest', () => {
  it('an untouched vault opens, and keeps opening after writes by two processes', async () => {
    const { path, session, ids } = await vaultWithKeys(3);
    const other = await openVault(path, TEST_PASSWORD);
    other.addVersion(ids[0]!, 'from the other process');
    // this session catches up with the other's commit and checks it against the manifest
    expect(session.readSecret(ids[0]!)).toBe('from the other process');
    session.removeKey(ids[1]!);
    expect(other.listKeys().total).toBe(2);
    other.lock();
    session.lock();
    expect(await outcome(path)).toEqual({ code: 'OK', message: '' });
  });

  it('secret rollback: an older version pointer and the older index segment put back by SQL is INTEGRITY', async () => {
    const { path, session, ids } = await vaultWithKeys(2);
    const id = ids[0]!;
    session.lock();
    const old = tamper2(path, (db) => ({
      seg: db.prepare('SELECT seg, rev, data FROM index_segments').get() as { seg: number; rev: number; data: Buffer },
    }));
    const s = await openVault(path, TEST_PASSWORD);
    s.addVersion(id, 'secret 0 v2');
    s.lock();
    tamper(path, (db) => {
      db.prepare('UPDATE keys SET current_version = 1 WHERE id = ?').run(id);
      // the old segment's bytes, under its old rev or under the current one
      db.prepare('UPDATE index_segments SET data = ? WHERE seg = ?').run(old.seg.data, old.seg.seg);
    });
    const r = await outcome(path);
    expect(r.code).toBe('INTEGRITY');
    expect(r.message).toMatch(/manifest/);
    tamper(path, (db) => db.prepare('UPDATE index_segments SET rev = ? WHERE seg = ?').run(old.seg.rev, old.seg.seg));
    expect((await outcome(path)).code).toBe('INTEGRITY');
  });

  it('secret rollback by the version pointer alone is INTEGRITY', async () => {
    const { path, session, ids } = await vaultWithKeys(2);
    session.addVersion(ids[1]!, 'secret 1 v2');
    session.lock();
    tamper(path, (db) => db.prepare('UPDATE keys SET current_version = 1 WHERE id = ?').run(ids[1]));
    expect((await outcome(path)).code).toBe('INTEGRITY');
  });

  it("silent deletion: a key's rows and its index rows deleted is INTEGRITY", async () => {
    const { path, session, ids } = await vaultWithKeys(3);
    session.lock();
    const copy = `${path}.whole-segment`;
    copyFileSync(path, copy);
    tamper(path, (db) => {
      db.prepare('DELETE FROM key_versions WHERE key_id = ?').run(ids[2]);
      db.prepare('DELETE FROM keys WHERE id = ?').run(ids[2]);
    });
    expect((await outcome(path)).code).toBe('INTEGRITY');
    // every key and every index segment gone: an "empty" vault is not believed either
    tamper(copy, (db) => {
      db.exec('DELETE FROM key_versions; DELETE FROM keys; DELETE FROM index_segments;');
    });
    expect((await outcome(copy)).code).toBe('INTEGRITY');
  });

  it("audit tail cut: the last events deleted and the header's head rewritten to the new last one is INTEGRITY", async () => {
    const { path, session } = await vaultWithKeys(1);
    for (let i = 0; i < 4; i++) session.audit({ action: 'revealed', detail: `event ${i}` });
    session.lock();
    tamper(path, (db) => {
      const last = Number(db.prepare('SELECT max(seq) FROM audit_events').pluck().get());
      db.prepare('DELETE FROM audit_events WHERE seq > ?').run(last - 2);
      const head = db.prepare('SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: Buffer };
      db.prepare('UPDATE header SET audit_head_seq = ?, audit_head_hash = ? WHERE id = 1').run(head.seq, head.hash);
    });
    const r = await outcome(path);
    expect(r.code).toBe('INTEGRITY');
    expect(r.message).toMatch(/audit/);
  });

  it('a workspace removed by SQL, the manifest row removed, or the format version lowered is INTEGRITY', async () => {
    const { path, session } = await newTestVault();
    session.addWorkspace({ name: 'extra', provider: 'local' });
    session.lock();
    const attacks: Array<(db: Database.Database) => void> = [
      (db) => db.exec('DELETE FROM workspaces'),
      (db) => db.exec('DELETE FROM manifest'),
      (db) => db.exec('UPDATE header SET format_version = 2'),
    ];
    for (const [i, attack] of attacks.entries()) {
      const copy = `${path}.${i}`;
      copyFileSync(path, copy);
      tamper(copy, attack);
      expect((await outcome(copy)).code, `attack ${i}`).toBe('INTEGRITY');
    }
  });

  it('another process rewriting a segment behind an open session: the next read is INTEGRITY', async () => {
    const { path, session, ids } = await vaultWithKeys(2);
    const old = tamper2(path, (db) => db.prepare('SELECT seg, data FROM index_segments').get() as { seg: number; data: Buffer });
    session.addVersion(ids[0]!, 'newer');
    tamper(path, (db) => db.prepare('UPDATE index_segments SET data = ? WHERE seg = ?').run(old.data, old.seg));
    expect(() => session.listKeys()).toThrow(expect.objectContaining({ code: 'INTEGRITY' }));
    session.lock();
  });
});

describe('segments and keys rows measured by a worker while the KDF runs', () => {
  // openVault's order: this thread's connection and its data_version first, then the worker's read
  async function measuredThenOpened(path: string, between: () => void | Promise<void>, forge?: (m: ClearMeasure) => ClearMeasure) {
    const header = inspectVaultFile(path);
    const db = new Database(path);
    const since = Number(db.pragma('data_version', { simple: true }));
    const measured = tamper2(path, measureClear);
    await between();
    const key = await unlockKey(header, TEST_PASSWORD);
    return openWithKey(path, header, key, { db, measured: { since, clear: forge ? forge(measured) : measured } }).then(
      (s) => {
        s.lock();
        return 'OK';
      },
      (e: { code?: string }) => e.code ?? 'crash',
    );
  }
  const wrong = (m: ClearMeasure) => ({ ...m, rows: m.rows.map((r) => ({ ...r, rows: '0'.repeat(64) })) });
  const wrongSegments = (m: ClearMeasure) => ({ ...m, segments: m.segments.map((s) => ({ ...s, data: '0'.repeat(64) })) });

  it('are what the manifest is checked against when nothing was committed since', async () => {
    const { path, session } = await vaultWithKeys(3);
    session.lock();
    expect(await measuredThenOpened(path, () => undefined)).toBe('OK');
    // proof that they are used: rows or segment hashes that disagree with the manifest are INTEGRITY
    expect(await measuredThenOpened(path, () => undefined, wrong)).toBe('INTEGRITY');
    expect(await measuredThenOpened(path, () => undefined, wrongSegments)).toBe('INTEGRITY');
  });

  it('are set aside when another process committed after they were measured: an old segment put back then is INTEGRITY', async () => {
    const { path, session, ids } = await vaultWithKeys(3);
    const old = tamper2(path, (db) => db.prepare('SELECT seg, data FROM index_segments').get() as { seg: number; data: Buffer });
    session.addVersion(ids[0]!, 'secret 0 v2');
    session.lock();
    const putBack = () => tamper(path, (db) => db.prepare('UPDATE index_segments SET data = ? WHERE seg = ?').run(old.data, old.seg));
    expect(await measuredThenOpened(path, putBack)).toBe('INTEGRITY');
  });

  it('are set aside when another process committed after they were measured: a version pointer put back then is INTEGRITY', async () => {
    const { path, session, ids } = await vaultWithKeys(3);
    session.addVersion(ids[0]!, 'secret 0 v2');
    session.lock();
    const putBack = () => tamper(path, (db) => db.prepare('UPDATE keys SET current_version = 1 WHERE id = ?').run(ids[0]));
    expect(await measuredThenOpened(path, putBack)).toBe('INTEGRITY');
  });

  it('are set aside after a commit even when they are wrong (this thread measures the file itself)', async () => {
    const { path, session, ids } = await vaultWithKeys(3);
    session.lock();
    const other = async () => {
      const s = await openVault(path, TEST_PASSWORD);
      s.updateKey(ids[1]!, { description: 'changed by another process' });
      s.lock();
    };
    // the other process's commit lands between the worker's read and this thread's
    expect(await measuredThenOpened(path, other, wrong)).toBe('OK');
  });
});

/** Reads something from the file with a second connection. */
function tamper2<T>(path: string, fn: (db: Database.Database) => T): T {
  const db = new Database(path, { readonly: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}
