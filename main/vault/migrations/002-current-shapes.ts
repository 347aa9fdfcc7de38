// Migration 2: every index segment in the packed (columnar) format, every key version with its
// sealed copy of created_at, and no rotation journalled at the retired step 'created'. Before it, a
// segment could still be a JSON array of key tuples and a version's sealed data could lack
// createdAt; reading those shapes is no longer needed after it.
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Database } from 'better-sqlite3';
import { z } from 'zod';
import { KeyholdError } from '../../errors';
import type { Sealer } from '../crypto';
import { PackedSegment } from '../packed-segment';
import { KeyTuple } from '../key-tuple';
import type { Migration } from './migration';
import { storeCreatedRotations } from './rotation-created';

const SEGMENTS = 'index_segments.data';
const VERSIONS = 'key_versions.data';
const damaged = (where: string) => new KeyholdError('INTEGRITY', `The vault is damaged: ${where} cannot be brought up to date.`);

const SegmentRow = z.object({ seg: z.number(), rev: z.number(), data: z.instanceof(Buffer) });
const VersionRow = z.object({ key_id: z.string(), version: z.number(), created_at: z.string(), data: z.instanceof(Buffer) });
const OldVersionData = z.object({ publicPart: z.string().nullable(), remoteId: z.string().nullable(), createdAt: z.string().optional() });

function needSealer(sealer: Sealer | null): Sealer {
  if (!sealer) throw new Error('migration 2 needs the vault key');
  return sealer;
}

function packSegments(db: Database, sealer: Sealer): void {
  const update = db.prepare('UPDATE index_segments SET rev = ?, data = ? WHERE seg = ?');
  for (const raw of db.prepare('SELECT seg, rev, data FROM index_segments').all()) {
    const r = SegmentRow.safeParse(raw);
    if (!r.success) throw damaged('index_segments');
    const { seg, rev, data } = r.data;
    const sealed = sealer.openBytes(SEGMENTS, String(seg), data);
    let plain: Buffer;
    try {
      plain = inflateRawSync(sealed);
    } catch {
      throw damaged(`index segment ${seg}`);
    } finally {
      sealed.fill(0);
    }
    if (plain[0] !== 0x5b /* '[': a JSON array */) continue;
    let tuples: KeyTuple[];
    try {
      tuples = z.array(KeyTuple).parse(JSON.parse(plain.toString('utf8')));
    } catch {
      throw damaged(`index segment ${seg}`);
    } finally {
      plain.fill(0);
    }
    const packed = PackedSegment.encode(tuples);
    const deflated = deflateRawSync(packed, { level: 6 });
    packed.fill(0);
    update.run(rev + 1, sealer.sealBytes(SEGMENTS, String(seg), deflated), seg);
    deflated.fill(0);
  }
}

function dateVersions(db: Database, sealer: Sealer): void {
  const update = db.prepare('UPDATE key_versions SET data = ? WHERE key_id = ? AND version = ?');
  for (const raw of db.prepare('SELECT key_id, version, created_at, data FROM key_versions').all()) {
    const r = VersionRow.safeParse(raw);
    if (!r.success) throw damaged('key_versions');
    const vid = `${r.data.key_id}/${r.data.version}`;
    const d = OldVersionData.safeParse(sealer.openJson(VERSIONS, vid, r.data.data));
    if (!d.success) throw damaged('key_versions');
    if (d.data.createdAt !== undefined) continue;
    update.run(sealer.sealJson(VERSIONS, vid, { ...d.data, createdAt: r.data.created_at }), r.data.key_id, r.data.version);
  }
}

export const currentShapes: Migration = {
  version: 2,
  up(db, sealer) {
    const empty = ['index_segments', 'key_versions', 'pending_operations'].every((t) => !db.prepare(`SELECT 1 FROM ${t} LIMIT 1`).get());
    if (empty) return;
    const s = needSealer(sealer);
    packSegments(db, s);
    dateVersions(db, s);
    storeCreatedRotations(db, s);
  },
};
