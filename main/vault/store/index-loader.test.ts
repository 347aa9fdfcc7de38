import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { KeyIndex } from '../key-index';
import { nativeSecretboxOpen } from '../native-secretbox';
import { secretboxOpen } from '../secretbox';
import type { VaultStore } from '../session';
import { newTestVault } from '../test-vault.testkit';
import { SegmentRow, loadSegmentRow } from './index-loader';

async function vaultSegments() {
  const { path, session } = await newTestVault();
  const ws = session.addWorkspace({ name: 'w', provider: 'local' });
  session.addKeys(
    Array.from({ length: 1200 }, (_, i) => ({
      workspaceId: ws.id,
      kind: 'api_key' as const,
      name: `ключ-${i} ${'x'.repeat(i % 50)}`,
      description: i % 3 ? 'd' : 'déploiement',
      secret: `s${i}`,
    })),
  );
  const db = new Database(path, { readonly: true });
  const rows = db
    .prepare('SELECT seg, rev, data FROM index_segments ORDER BY seg')
    .all()
    .map((r) => SegmentRow.parse(r));
  db.close();
  return { session: session as VaultStore, rows };
}

describe('loading index segments with libsodium (large vaults) or tweetnacl', () => {
  it('gives the same keys either way', async () => {
    const { session, rows } = await vaultSegments();
    expect(rows.length).toBeGreaterThan(2);
    const byNacl = new KeyIndex();
    const bySodium = new KeyIndex();
    for (const r of rows) {
      loadSegmentRow(byNacl, session.sealerForVault(), r, secretboxOpen);
      loadSegmentRow(bySodium, session.sealerForVault(), r, nativeSecretboxOpen()!);
    }
    expect(bySodium.size).toBe(1200);
    for (const r of rows) expect(bySodium.segmentTuples(r.seg)).toEqual(byNacl.segmentTuples(r.seg));
    session.lock();
  });

  it('refuses a segment with a flipped bit, or one moved to another row, as INTEGRITY', async () => {
    const { session, rows } = await vaultSegments();
    const [a, b] = rows;
    const flipped = Buffer.from(a!.data);
    flipped[flipped.length - 5]! ^= 0x40;
    for (const bad of [
      { ...a!, data: flipped },
      { ...b!, data: a!.data },
    ]) {
      expect(() => loadSegmentRow(new KeyIndex(), session.sealerForVault(), bad, nativeSecretboxOpen()!)).toThrow(
        expect.objectContaining({ code: 'INTEGRITY' }),
      );
    }
    session.lock();
  });
});
