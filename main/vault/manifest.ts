// The sealed manifest: one row, sealed under the vault key, that says what the whole vault holds
// (docs/SECURITY.md "The vault as one authenticated whole"): every index segment (rev, a hash of
// its sealed bytes, a hash of its keys' clear rows: id, workspace, environment, current version),
// the counts, the audit chain's head and a write counter that only grows. A row put back, removed
// or edited by SQL disagrees with it: INTEGRITY. Checking reads only; it never writes.
import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { z } from 'zod';
import { KeyholdError } from '../errors';
import type { Sealer } from './crypto';

export const MANIFEST_LABEL = 'manifest.data';

const Hex = z.string().regex(/^[0-9a-f]{64}$/);
const SegmentEntry = z.tuple([z.number().int(), z.number().int(), Hex, Hex]);
const ManifestData = z.object({
  v: z.literal(1),
  vaultId: z.string(),
  counter: z.number().int().nonnegative(),
  keys: z.number().int().nonnegative(),
  workspaces: z.number().int().nonnegative(),
  environments: z.number().int().nonnegative(),
  auditSeq: z.number().int().nonnegative(),
  auditHash: Hex.nullable(),
  segments: z.array(SegmentEntry),
});

export interface SegmentFacts {
  rev: number;
  /** sha256 of the sealed segment blob */
  data: string;
  /** sha256 of the segment's keys rows (id, workspace, environment, current version) by id */
  rows: string;
}

export interface Manifest {
  vaultId: string;
  counter: number;
  keys: number;
  workspaces: number;
  environments: number;
  auditSeq: number;
  auditHash: string | null;
  segments: Map<number, SegmentFacts>;
}

const ManifestRow = z.object({ data: z.instanceof(Buffer) });
const SegRow = z.object({ seg: z.number(), rev: z.number(), data: z.instanceof(Buffer) });
const KeyRow = z.tuple([z.number(), z.string(), z.string().nullable(), z.string().nullable(), z.number()]);
const HeadRow = z.object({ vault_id: z.string(), audit_head_seq: z.number(), audit_head_hash: z.instanceof(Buffer).nullable() });
const Count = z.number().int();
const LastEvent = z.object({ seq: z.number(), hash: z.instanceof(Buffer) }).optional();

const tampered = (what: string) => new KeyholdError('INTEGRITY', `The vault is damaged or tampered with: ${what} does not match its sealed manifest.`);

export function sha256(b: Uint8Array): string {
  return createHash('sha256').update(b).digest('hex');
}

/** The canonical text of a manifest: fixed field order, segments by number. */
function encode(m: Manifest): z.input<typeof ManifestData> {
  const segments = [...m.segments.entries()].sort((a, b) => a[0] - b[0]).map(([seg, f]): [number, number, string, string] => [seg, f.rev, f.data, f.rows]);
  return { v: 1, vaultId: m.vaultId, counter: m.counter, keys: m.keys, workspaces: m.workspaces, environments: m.environments, auditSeq: m.auditSeq, auditHash: m.auditHash, segments };
}

export function sealManifest(sealer: Sealer, m: Manifest): Buffer {
  return sealer.sealJson(MANIFEST_LABEL, m.vaultId, encode(m));
}

export function writeManifest(db: Database, sealer: Sealer, m: Manifest): void {
  db.prepare('INSERT INTO manifest (id, data) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET data = excluded.data').run(sealManifest(sealer, m));
}

/** The stored manifest, opened (INTEGRITY if it is missing, or does not open for this vault). */
export function readManifest(db: Database, sealer: Sealer, vaultId: string): Manifest {
  const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'manifest'").get();
  const raw = hasTable ? db.prepare('SELECT data FROM manifest WHERE id = 1').get() : undefined;
  const r = ManifestRow.safeParse(raw);
  if (!r.success) throw new KeyholdError('INTEGRITY', 'The vault is damaged or tampered with: its sealed manifest is missing.');
  const parsed = ManifestData.safeParse(sealer.openJson(MANIFEST_LABEL, vaultId, r.data.data));
  if (!parsed.success) throw new KeyholdError('INTEGRITY', 'The vault is damaged: its sealed manifest has an unexpected shape.');
  const d = parsed.data;
  const segments = new Map<number, SegmentFacts>();
  for (const [seg, rev, data, rows] of d.segments) segments.set(seg, { rev, data, rows });
  return { vaultId: d.vaultId, counter: d.counter, keys: d.keys, workspaces: d.workspaces, environments: d.environments, auditSeq: d.auditSeq, auditHash: d.auditHash, segments };
}

/** Hashes keys rows (already in id order) the way a manifest's `rows` does. */
export class RowsHasher {
  private readonly h = createHash('sha256');
  add(id: string, ws: string | null, env: string | null, version: number): void {
    this.h.update(`${id}\0${ws ?? ''}\0${env ?? ''}\0${version}\n`);
  }
  digest(): string {
    return this.h.digest('hex');
  }
}

/** The rows hash of one segment, from the keys table. */
export function segmentRowsHash(db: Database, seg: number): string {
  const h = new RowsHasher();
  for (const raw of db.prepare('SELECT seg, id, workspace_id, environment_id, current_version FROM keys WHERE seg = ? ORDER BY id').raw().iterate(seg)) {
    const r = KeyRow.safeParse(raw);
    if (!r.success) throw new KeyholdError('INTEGRITY', 'The vault is damaged: an unexpected row in keys.');
    h.add(r.data[1], r.data[2], r.data[3], r.data[4]);
  }
  return h.digest();
}

/** What the file says now, everything but the counter (which only the manifest holds). */
export function measure(db: Database, counter: number): Manifest {
  const head = HeadRow.safeParse(db.prepare('SELECT vault_id, audit_head_seq, audit_head_hash FROM header WHERE id = 1').get());
  if (!head.success) throw new KeyholdError('INTEGRITY', 'The vault header is missing or damaged.');
  const segments = new Map<number, SegmentFacts>();
  for (const raw of db.prepare('SELECT seg, rev, data FROM index_segments ORDER BY seg').iterate()) {
    const r = SegRow.safeParse(raw);
    if (!r.success) throw new KeyholdError('INTEGRITY', 'The vault is damaged: an unexpected row in index_segments.');
    segments.set(r.data.seg, { rev: r.data.rev, data: sha256(r.data.data), rows: new RowsHasher().digest() });
  }
  let keys = 0;
  let seg: number | null = null;
  let h = new RowsHasher();
  const done = () => {
    if (seg === null) return;
    const f = segments.get(seg);
    // keys in a segment that does not exist: a hash no segment entry can have
    if (f) f.rows = h.digest();
    else segments.set(seg, { rev: -1, data: '', rows: h.digest() });
  };
  for (const raw of db.prepare('SELECT seg, id, workspace_id, environment_id, current_version FROM keys ORDER BY seg, id').raw().iterate()) {
    const r = KeyRow.safeParse(raw);
    if (!r.success) throw new KeyholdError('INTEGRITY', 'The vault is damaged: an unexpected row in keys.');
    if (r.data[0] !== seg) {
      done();
      seg = r.data[0];
      h = new RowsHasher();
    }
    h.add(r.data[1], r.data[2], r.data[3], r.data[4]);
    keys++;
  }
  done();
  const count = (t: string) => Count.parse(db.prepare(`SELECT count(*) FROM ${t}`).pluck().get());
  return {
    vaultId: head.data.vault_id,
    counter,
    keys,
    workspaces: count('workspaces'),
    environments: count('environments'),
    auditSeq: head.data.audit_head_seq,
    auditHash: head.data.audit_head_hash ? head.data.audit_head_hash.toString('hex') : null,
    segments,
  };
}

/** Throws INTEGRITY naming the first thing in `actual` that disagrees with the sealed `sealed`. */
export function compareManifest(sealed: Manifest, actual: Manifest): void {
  if (sealed.vaultId !== actual.vaultId) throw tampered('the vault id');
  if (sealed.auditSeq !== actual.auditSeq || sealed.auditHash !== actual.auditHash) throw tampered('the audit trail’s head');
  if (sealed.keys !== actual.keys) throw tampered(`the number of keys (${actual.keys} stored, ${sealed.keys} sealed)`);
  if (sealed.workspaces !== actual.workspaces) throw tampered('the number of workspaces');
  if (sealed.environments !== actual.environments) throw tampered('the number of environments');
  for (const [seg, f] of actual.segments) {
    const s = sealed.segments.get(seg);
    if (!s) throw tampered(`index segment ${seg}`);
    if (s.rev !== f.rev || s.data !== f.data) throw tampered(`index segment ${seg}`);
    if (s.rows !== f.rows) throw tampered(`the keys of index segment ${seg} (a current version, or a key added or removed)`);
  }
  for (const seg of sealed.segments.keys()) if (!actual.segments.has(seg)) throw tampered(`index segment ${seg} (removed)`);
}

/** Opens the stored manifest and checks the whole file against it; returns it. */
export function checkManifest(db: Database, sealer: Sealer, vaultId: string): Manifest {
  const sealed = readManifest(db, sealer, vaultId);
  compareManifest(sealed, measure(db, sealed.counter));
  // the audit head in the header must be the last event's hash (the chain itself: audit --verify)
  const lastRow = LastEvent.safeParse(db.prepare('SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1').get());
  if (!lastRow.success) throw new KeyholdError('INTEGRITY', 'The vault is damaged: an unexpected row in audit_events.');
  const last = lastRow.data;
  const lastHash = last ? last.hash.toString('hex') : null;
  if ((last?.seq ?? 0) !== sealed.auditSeq || lastHash !== sealed.auditHash) throw tampered('the audit trail’s last event');
  return sealed;
}
