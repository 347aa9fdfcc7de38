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
import { EMPTY_ROWS, measureRows, measureSegments, type ClearMeasure } from './manifest-rows';

export { segmentRowsHash, sha256 } from './manifest-rows';

export const MANIFEST_LABEL = 'manifest.data';

const Hex = z.string().regex(/^[0-9a-f]{64}$/);
const ManifestData = z.object({
  v: z.literal(1),
  vaultId: z.string(),
  counter: z.number().int().nonnegative(),
  keys: z.number().int().nonnegative(),
  workspaces: z.number().int().nonnegative(),
  environments: z.number().int().nonnegative(),
  auditSeq: z.number().int().nonnegative(),
  auditHash: Hex.nullable(),
  /** sha256 of the canonical list of segments (segmentsDigest): the list itself is measured from
   * the file at unlock and kept in memory, so a commit seals a few hundred bytes */
  segments: Hex,
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
const HeadRow = z.object({ vault_id: z.string(), audit_head_seq: z.number(), audit_head_hash: z.instanceof(Buffer).nullable() });
const Count = z.number().int();
const LastEvent = z.object({ seq: z.number(), hash: z.instanceof(Buffer) }).optional();

const tampered = (what: string) =>
  new KeyholdError('INTEGRITY', `The vault is damaged or tampered with: ${what} does not match its sealed manifest.`);

/** The format that brought the manifest (migrations/004-manifest.ts). */
export const MANIFEST_FORMAT = 4;

/** A file that has a manifest yet claims a format from before it had its version lowered (so that
 * the migration would seal whatever it holds now): INTEGRITY. */
export function refuseLoweredFormat(db: Database, formatVersion: number): void {
  if (formatVersion >= MANIFEST_FORMAT) return;
  if (db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'manifest'").get()) {
    throw new KeyholdError('INTEGRITY', 'The vault is damaged or tampered with: its format version was lowered.');
  }
}

/** What the sealed row holds: the manifest with its segment list as one digest. */
export type SealedManifest = Omit<Manifest, 'segments'> & { segments: string };

/** The digest of the segment list: every segment's number, rev, data hash and rows hash, in order. */
export function segmentsDigest(segments: Map<number, SegmentFacts>): string {
  const lines = [...segments.entries()].sort((a, b) => a[0] - b[0]).map(([seg, f]) => `${seg} ${f.rev} ${f.data} ${f.rows}\n`);
  return createHash('sha256').update(lines.join('')).digest('hex');
}

/** The canonical content of a manifest: fixed field order. */
function encode(m: Manifest): z.input<typeof ManifestData> {
  return {
    v: 1,
    vaultId: m.vaultId,
    counter: m.counter,
    keys: m.keys,
    workspaces: m.workspaces,
    environments: m.environments,
    auditSeq: m.auditSeq,
    auditHash: m.auditHash,
    segments: segmentsDigest(m.segments),
  };
}

export function sealManifest(sealer: Sealer, m: Manifest): Buffer {
  return sealer.sealJson(MANIFEST_LABEL, m.vaultId, encode(m));
}

export function writeManifest(db: Database, sealer: Sealer, m: Manifest): void {
  db.prepare('INSERT INTO manifest (id, data) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET data = excluded.data').run(
    sealManifest(sealer, m),
  );
}

/** The stored manifest, opened (INTEGRITY if it is missing, or does not open for this vault). */
export function readManifest(db: Database, sealer: Sealer, vaultId: string): SealedManifest {
  const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'manifest'").get();
  const raw = hasTable ? db.prepare('SELECT data FROM manifest WHERE id = 1').get() : undefined;
  const r = ManifestRow.safeParse(raw);
  if (!r.success) throw new KeyholdError('INTEGRITY', 'The vault is damaged or tampered with: its sealed manifest is missing.');
  const parsed = ManifestData.safeParse(sealer.openJson(MANIFEST_LABEL, vaultId, r.data.data));
  if (!parsed.success) throw new KeyholdError('INTEGRITY', 'The vault is damaged: its sealed manifest has an unexpected shape.');
  const d = parsed.data;
  return {
    vaultId: d.vaultId,
    counter: d.counter,
    keys: d.keys,
    workspaces: d.workspaces,
    environments: d.environments,
    auditSeq: d.auditSeq,
    auditHash: d.auditHash,
    segments: d.segments,
  };
}

const Measured = z.object({
  segments: z.array(z.object({ seg: z.number().int(), rev: z.number().int(), data: Hex })),
  rows: z.array(z.object({ seg: z.number().int(), n: z.number().int().nonnegative(), rows: Hex })),
});

/** Checks what a worker measured (measureClear on its own connection) before it is trusted. */
export function parseClearMeasure(v: unknown): ClearMeasure {
  const r = Measured.safeParse(v);
  if (!r.success) throw new KeyholdError('INTEGRITY', 'The vault could not be measured against its manifest.');
  return r.data;
}

/** What the file says now, everything but the counter (which only the manifest holds). The
 * segments and the keys rows may come already measured from the same snapshot (unlock: a worker
 * measured them while the KDF ran). */
export function measure(db: Database, counter: number, known?: ClearMeasure): Manifest {
  const head = HeadRow.safeParse(db.prepare('SELECT vault_id, audit_head_seq, audit_head_hash FROM header WHERE id = 1').get());
  if (!head.success) throw new KeyholdError('INTEGRITY', 'The vault header is missing or damaged.');
  const segments = new Map<number, SegmentFacts>();
  for (const { seg, rev, data } of known?.segments ?? measureSegments(db)) segments.set(seg, { rev, data, rows: EMPTY_ROWS });
  let keys = 0;
  for (const { seg, n, rows } of known?.rows ?? measureRows(db)) {
    keys += n;
    const f = segments.get(seg);
    // keys in a segment that does not exist: an entry no sealed manifest can have
    if (f) f.rows = rows;
    else segments.set(seg, { rev: -1, data: '', rows });
  }
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
export function compareManifest(sealed: SealedManifest, actual: Manifest): void {
  if (sealed.vaultId !== actual.vaultId) throw tampered('the vault id');
  if (sealed.auditSeq !== actual.auditSeq || sealed.auditHash !== actual.auditHash) throw tampered('the audit trail’s head');
  if (sealed.keys !== actual.keys) throw tampered(`the number of keys (${actual.keys} stored, ${sealed.keys} sealed)`);
  if (sealed.workspaces !== actual.workspaces) throw tampered('the number of workspaces');
  if (sealed.environments !== actual.environments) throw tampered('the number of environments');
  if (sealed.segments !== segmentsDigest(actual.segments))
    throw tampered('an index segment or the keys in it (a segment or a current version put back, or a key removed)');
}

/** Opens the stored manifest and checks the whole file against it; returns the file's manifest
 * (what the next commit starts from). */
export function checkManifest(db: Database, sealer: Sealer, vaultId: string, known?: ClearMeasure): Manifest {
  const sealed = readManifest(db, sealer, vaultId);
  const actual = measure(db, sealed.counter, known);
  compareManifest(sealed, actual);
  // the audit head in the header must be the last event's hash (the chain itself: audit --verify)
  const lastRow = LastEvent.safeParse(db.prepare('SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1').get());
  if (!lastRow.success) throw new KeyholdError('INTEGRITY', 'The vault is damaged: an unexpected row in audit_events.');
  const last = lastRow.data;
  const lastHash = last ? last.hash.toString('hex') : null;
  if ((last?.seq ?? 0) !== sealed.auditSeq || lastHash !== sealed.auditHash) throw tampered('the audit trail’s last event');
  return actual;
}
