// The sealed key index as stored (packed, columnar segments), opened on worker threads when a vault
// has several segments: same keys, order and search results as before locking; a damaged, swapped
// or old-format segment handled as it must be.
import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import nacl from 'tweetnacl';
import { beforeAll, describe, expect, it } from 'vitest';
import { Sealer } from './crypto';
import { type VaultStore, openVault } from './index';
import { SEGMENT_SIZE } from './key-index';
import { PackedSegment } from './packed-segment';
import { toTuple } from './key-tuple';
import { FORMAT_VERSION } from './schema';
import { TEST_PASSWORD, newTestVault, tamper, tempDir } from './test-vault.testkit';
import type { KeyRecord, NewKey } from './types';

const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');
const KEYS = SEGMENT_SIZE * 4 + 100; // five segments: enough for the worker path

function inputs(wsId: string): NewKey[] {
  return Array.from({ length: KEYS }, (_, i) => ({
    workspaceId: i % 3 ? wsId : null,
    kind: i % 2 ? ('api_key' as const) : ('ssh_key_pair' as const),
    name: `${['Billing', 'search', 'İstanbul', 'Ingest'][i % 4]}-${i.toString(36)}`,
    description: i % 7 ? `deploy key ${i} for the quality team` : '',
    publicPart: i % 2 ? null : `ssh-ed25519 AAAA${i.toString(16)}xQz`,
    fingerprint: i % 5 ? null : `SHA256:fp${i}`,
    flags: (i % 11 ? {} : { ignore_acl: true }) as Record<string, boolean>,
    meta: (i % 13 ? {} : { bits: '256' }) as Record<string, string>,
    secret: `s${i}`,
  }));
}

describe('the packed key index', () => {
  let path: string;
  let made: KeyRecord[];
  let before: { page: unknown; desc: unknown; searches: unknown[] };
  const queries = ['quality', 'İST', 'istanbul', 'xqz', 'sha256:fp1', 'y te', 'zzz', 'ke', '-1a', 'key 77 f'];
  const snapshot = (s: Awaited<ReturnType<typeof openVault>>) => ({
    page: s.listKeys({ limit: 60, offset: 1000 }),
    desc: s.listKeys({ order: 'desc', limit: 30, kind: 'api_key' }),
    searches: queries.map((q) => s.listKeys({ search: q, limit: 20 })),
  });

  beforeAll(async () => {
    const v = await newTestVault(tempDir());
    path = v.path;
    const ws = v.session.addWorkspace({ name: 'w', provider: 'local' });
    made = v.session.addKeys(inputs(ws.id));
    before = snapshot(v.session);
    v.session.lock();
  });

  it('opens on worker threads to the same keys, order and search results', async () => {
    const s = await openVault(path, TEST_PASSWORD);
    try {
      expect(snapshot(s)).toEqual(before);
      expect(s.listKeys().total).toBe(KEYS);
      for (const k of [made[0]!, made[11]!, made[KEYS - 1]!]) expect(s.getKey(k.id)).toEqual(k);
      // a search whose rarest character is in the middle, and one that matches no key
      expect(s.listKeys({ search: 'quality' }).total).toBe(made.filter((k) => k.description.includes('quality')).length);
      expect(s.listKeys({ search: 'y te', limit: 5 }).items.every((k) => k.description.includes('y te'))).toBe(true);
      // toLowerCase of 'İ' is two characters: offsets still land on the right keys
      expect(s.listKeys({ search: 'stanbul' }).total).toBe(made.filter((k) => k.name.startsWith('İ')).length);
    } finally {
      s.lock();
    }
  });

  it('writes after unlock keep the index right (edit, move, remove, add)', async () => {
    const s = await openVault(path, TEST_PASSWORD);
    try {
      const k = made[5]!;
      s.updateKey(k.id, { name: 'renamed-one', description: 'now unique words' });
      s.removeKey(made[6]!.id);
      const added = s.addKey({ kind: 'api_key', name: 'aaa-first', secret: 'x' });
      expect(s.listKeys({ search: 'unique words' }).items.map((x) => x.id)).toEqual([k.id]);
      expect(s.listKeys({ limit: 1 }).items[0]!.id).toBe(added.id);
      expect(s.listKeys().total).toBe(KEYS);
      s.lock();
      const again = await openVault(path, TEST_PASSWORD);
      try {
        expect(again.getKey(k.id).name).toBe('renamed-one');
        expect(() => again.getKey(made[6]!.id)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
        expect(again.listKeys({ limit: 1 }).items[0]!.id).toBe(added.id);
      } finally {
        again.lock();
      }
    } finally {
      s.lock();
    }
  });

  it('a byte flipped in one segment, or two segments swapped, is INTEGRITY and leaves the file alone', async () => {
    for (const how of ['flip', 'swap'] as const) {
      const copy = `${path}.${how}`;
      copyFileSync(path, copy);
      tamper(copy, (db) => {
        const rows = db.prepare('SELECT seg, data FROM index_segments ORDER BY seg').all() as Array<{ seg: number; data: Buffer }>;
        if (how === 'flip') {
          const d = Buffer.from(rows[3]!.data);
          d[d.length >> 1]! ^= 1;
          db.prepare('UPDATE index_segments SET data = ? WHERE seg = ?').run(d, rows[3]!.seg);
        } else {
          db.prepare('UPDATE index_segments SET data = ? WHERE seg = ?').run(rows[2]!.data, rows[1]!.seg);
          db.prepare('UPDATE index_segments SET data = ? WHERE seg = ?').run(rows[1]!.data, rows[2]!.seg);
        }
      });
      const h = sha(copy);
      await expect(openVault(copy, TEST_PASSWORD)).rejects.toMatchObject({ code: 'INTEGRITY' });
      expect(sha(copy)).toBe(h);
    }
  });

  it('migrates a format-1 vault (a JSON segment, a version without its sealed time) to the current format', async () => {
    const copy = `${path}.v1`;
    copyFileSync(path, copy);
    const s = await openVault(copy, TEST_PASSWORD);
    const store = s as VaultStore;
    const db = store.connection();
    const sealer = store.sealerForVault();
    const seg = Number(db.prepare('SELECT seg FROM index_segments ORDER BY seg LIMIT 1').pluck().get());
    const ids = db.prepare('SELECT id FROM keys WHERE seg = ?').pluck().all(seg).map(String);
    const tuples = ids.map((id) => toTuple(s.getKey(id)));
    const want = snapshot(s);
    const versionsBefore = s.listVersions(ids[0]!);
    // the shape format 1 allowed: JSON tuples in a segment, and version data without createdAt
    const json = deflateRawSync(Buffer.from(JSON.stringify(tuples)));
    db.prepare('UPDATE index_segments SET data = ? WHERE seg = ?').run(sealer.sealBytes('index_segments.data', String(seg), json), seg);
    const vid = `${ids[0]}/1`;
    db.prepare('UPDATE key_versions SET data = ? WHERE key_id = ? AND version = 1').run(
      sealer.sealJson('key_versions.data', vid, { publicPart: versionsBefore[0]!.publicPart, remoteId: versionsBefore[0]!.remoteId }),
      ids[0],
    );
    db.prepare('UPDATE header SET format_version = 1 WHERE id = 1').run();
    db.exec('DROP TABLE manifest'); // format 1 had none (migration 3)
    s.lock();
    const again = await openVault(copy, TEST_PASSWORD);
    try {
      expect(snapshot(again)).toEqual(want);
      expect(again.listVersions(ids[0]!)).toEqual(versionsBefore);
      expect(again.stats().formatVersion).toBe(FORMAT_VERSION);
      expect(Number((again as VaultStore).connection().prepare('SELECT format_version FROM header').pluck().get())).toBe(FORMAT_VERSION);
    } finally {
      again.lock();
    }
  });

  it('a JSON segment in a vault of the current format is INTEGRITY (only the migration reads that shape)', async () => {
    const copy = `${path}.json`;
    copyFileSync(path, copy);
    const s = await openVault(copy, TEST_PASSWORD);
    const store = s as VaultStore;
    const db = store.connection();
    const seg = Number(db.prepare('SELECT seg FROM index_segments ORDER BY seg LIMIT 1').pluck().get());
    const json = deflateRawSync(Buffer.from('[]'));
    db.prepare('UPDATE index_segments SET data = ? WHERE seg = ?').run(
      store.sealerForVault().sealBytes('index_segments.data', String(seg), json),
      seg,
    );
    s.lock();
    await expect(openVault(copy, TEST_PASSWORD)).rejects.toMatchObject({ code: 'INTEGRITY' });
  });
});

describe('key versions', () => {
  it('a version time edited in its clear column is INTEGRITY, not a wrong date', async () => {
    const { path, session } = await newTestVault(tempDir());
    const k = session.addKey({ kind: 'api_key', name: 'k', secret: 's' });
    session.lock();
    tamper(path, (db) => db.prepare("UPDATE key_versions SET created_at = '2001-01-01T00:00:00.000Z'").run());
    const s = await openVault(path, TEST_PASSWORD);
    try {
      expect(() => s.listVersions(k.id)).toThrow(expect.objectContaining({ code: 'INTEGRITY' }));
    } finally {
      s.lock();
    }
  });
});

describe('PackedSegment', () => {
  it('round-trips every field, nulls and empty strings included, in name order', () => {
    const recs: KeyRecord[] = [
      {
        id: 'b',
        workspaceId: null,
        environmentId: null,
        kind: 'api_key',
        name: 'Zed',
        description: '',
        state: 'revoked',
        remoteId: null,
        flags: {},
        role: null,
        publicPart: null,
        fingerprint: null,
        meta: {},
        remoteMissing: true,
        createdAt: '2024-01-01T00:00:00.000Z',
        updatedAt: '2024-01-02T00:00:00.000Z',
        rotatedAt: null,
        hasSecret: false,
      },
      {
        id: 'a',
        workspaceId: 'w',
        environmentId: 'e',
        kind: 'ssh_key_pair',
        name: 'ałpha\n\u0000x',
        description: 'd🔑',
        state: 'active',
        remoteId: 'r',
        flags: { ignore_acl: true },
        role: 'admin',
        publicPart: 'ssh-ed25519 A',
        fingerprint: 'SHA256:x',
        meta: { bits: '256' },
        remoteMissing: false,
        createdAt: '2024-01-01T00:00:00.000Z',
        updatedAt: '2024-01-01T00:00:00.000Z',
        rotatedAt: '2024-03-01T00:00:00.000Z',
        hasSecret: true,
      },
    ];
    const p = PackedSegment.decode(PackedSegment.encode(recs.map(toTuple)), 0);
    expect(p.tuples()).toEqual([toTuple(recs[1]!), toTuple(recs[0]!)]);
  });

  it('refuses a plaintext that does not add up (INTEGRITY), never reads past it', () => {
    const good = PackedSegment.encode([
      toTuple({
        id: 'a',
        workspaceId: null,
        environmentId: null,
        kind: 'api_key',
        name: 'n',
        description: 'd',
        state: 'active',
        remoteId: null,
        flags: {},
        role: null,
        publicPart: null,
        fingerprint: null,
        meta: {},
        remoteMissing: false,
        createdAt: '2024-01-01T00:00:00.000Z',
        updatedAt: '2024-01-01T00:00:00.000Z',
        rotatedAt: null,
        hasSecret: false,
      }),
    ]);
    for (const bad of [good.subarray(0, good.length - 1), Buffer.concat([good, Buffer.from('x')]), Buffer.from([1, 255, 255, 255, 255])]) {
      expect(() => PackedSegment.decode(bad, 0)).toThrow(expect.objectContaining({ code: 'INTEGRITY' }));
    }
  });
});

describe('Sealer: low-level sealing', () => {
  it('writes nonce || secretbox(u16 id length || id || value), the box tweetnacl opens', () => {
    const s = new Sealer(Buffer.alloc(32, 7));
    const sealed = s.seal('keys.secret', 'row-é', 'valüe');
    const plain = nacl.secretbox.open(sealed.subarray(24), sealed.subarray(0, 24), s.subkeyCopy('keys.secret'));
    const id = Buffer.from('row-é');
    expect(Buffer.from(plain!)).toEqual(Buffer.concat([Buffer.from([0, id.length]), id, Buffer.from('valüe')]));
  });
});
