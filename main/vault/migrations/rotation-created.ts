// Part of migration 2: a Rancher rotation journalled at the step 'created' (from before storing the
// new key and advancing the journal were one transaction) is carried forward to 'stored', doing
// the store it was waiting for, so that no code has to read the step 'created' any more.
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Database } from 'better-sqlite3';
import { z } from 'zod';
import { KeyholdError } from '../../errors';
import type { Sealer } from '../crypto';
import { PackedSegment } from '../packed-segment';

const PENDING = 'pending_operations.data';
const SEGMENTS = 'index_segments.data';
const Pending = z.object({
  type: z.string(),
  keyId: z.string().nullable(),
  step: z.string(),
  data: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const Created = z.object({ provider: z.literal('rancher'), newRemoteId: z.string(), newPublic: z.string(), newSecret: z.string() });
const KeyRow = z.object({ seg: z.number(), current_version: z.number() });
const SegRow = z.object({ rev: z.number(), data: z.instanceof(Buffer) });

const damaged = () => new KeyholdError('INTEGRITY', 'The vault is damaged: a pending rotation cannot be brought up to date.');

export function storeCreatedRotations(db: Database, sealer: Sealer): void {
  for (const raw of db.prepare('SELECT id, data FROM pending_operations').all()) {
    const r = z.object({ id: z.string(), data: z.instanceof(Buffer) }).safeParse(raw);
    if (!r.success) throw damaged();
    const op = Pending.safeParse(sealer.openJson(PENDING, r.data.id, r.data.data));
    if (!op.success) throw damaged();
    if (op.data.type !== 'rotation' || op.data.step !== 'created' || op.data.keyId === null) continue;
    const d = Created.safeParse(op.data.data);
    if (!d.success) throw damaged();
    const keyId = op.data.keyId;
    const key = KeyRow.safeParse(db.prepare('SELECT seg, current_version FROM keys WHERE id = ?').get(keyId));
    if (!key.success) throw damaged();
    const now = new Date();
    const at = now.toISOString();
    // the key's tuple: as patchKey(rotated) + addVersion leave it
    const seg = SegRow.safeParse(db.prepare('SELECT rev, data FROM index_segments WHERE seg = ?').get(key.data.seg));
    if (!seg.success) throw damaged();
    const sealed = sealer.openBytes(SEGMENTS, String(key.data.seg), seg.data.data);
    const plain = inflateRawSync(sealed);
    sealed.fill(0);
    const tuples = PackedSegment.decode(plain, key.data.seg).tuples();
    plain.fill(0);
    const t = tuples.find((x) => x[0] === keyId);
    if (!t) throw damaged();
    t[7] = d.data.newRemoteId;
    t[10] = d.data.newPublic;
    t[15] = now.getTime();
    t[16] = now.getTime();
    t[17] = 1;
    const packed = PackedSegment.encode(tuples);
    const deflated = deflateRawSync(packed, { level: 6 });
    packed.fill(0);
    db.prepare('UPDATE index_segments SET rev = ?, data = ? WHERE seg = ?').run(
      seg.data.rev + 1,
      sealer.sealBytes(SEGMENTS, String(key.data.seg), deflated),
      key.data.seg,
    );
    deflated.fill(0);
    const version = key.data.current_version + 1;
    const vid = `${keyId}/${version}`;
    db.prepare('INSERT INTO key_versions (key_id, version, created_at, data, secret) VALUES (?, ?, ?, ?, ?)').run(
      keyId,
      version,
      at,
      sealer.sealJson('key_versions.data', vid, { publicPart: d.data.newPublic, remoteId: d.data.newRemoteId, createdAt: at }),
      sealer.seal('key_versions.secret', vid, d.data.newSecret),
    );
    db.prepare('UPDATE keys SET current_version = ? WHERE id = ?').run(version, keyId);
    db.prepare('UPDATE pending_operations SET updated_at = ?, data = ? WHERE id = ?').run(
      at,
      sealer.sealJson(PENDING, r.data.id, { ...op.data, step: 'stored', updatedAt: at }),
      r.data.id,
    );
  }
}
