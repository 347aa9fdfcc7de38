// What the sealed manifest (manifest.ts) binds that needs no key: per index segment, the hash of
// its sealed bytes and a hash of its keys' clear rows (id, workspace, environment, current version)
// in id order. SQLite builds one text per segment (a JS object per row would cost more than the
// hash); quote() writes each value as an SQL literal, so the encoding is unambiguous (text, integer
// and NULL differ; no separator can be forged inside a value). No zod here: the vault worker
// measures this while the KDF runs (worker/entry.ts), and the main thread checks what it sends back.
import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { KeyholdError } from '../errors';

export const ROWS_SQL =
  "SELECT seg, count(*) AS n, group_concat(quote(id) || ',' || quote(workspace_id) || ',' || quote(environment_id) || ',' || quote(current_version), char(10) ORDER BY id) AS rows FROM keys";

/** One segment's keys: how many, and the hash of their rows. */
export interface SegmentRows {
  seg: number;
  n: number;
  rows: string;
}

export function sha256(b: Uint8Array | string): string {
  return createHash('sha256').update(b).digest('hex');
}

const hashRows = (rows: string | null): string => sha256(rows ?? '');
export const EMPTY_ROWS = hashRows(null);

const unexpected = () => new KeyholdError('INTEGRITY', 'The vault is damaged: an unexpected row in keys.');

function groupRow(raw: unknown): { seg: number | null; n: number; rows: string | null } {
  if (typeof raw !== 'object' || raw === null) throw unexpected();
  const { seg, n, rows } = raw as Record<string, unknown>;
  if (!((typeof seg === 'number' && Number.isInteger(seg)) || seg === null)) throw unexpected();
  if (typeof n !== 'number' || !Number.isInteger(n)) throw unexpected();
  if (!(typeof rows === 'string' || rows === null)) throw unexpected();
  return { seg, n, rows };
}

/** One segment as stored: its rev and the hash of its sealed bytes. */
export interface SegmentHash {
  seg: number;
  rev: number;
  data: string;
}

/** What the file holds in clear, measured in one read transaction (a worker, while the KDF runs). */
export interface ClearMeasure {
  segments: SegmentHash[];
  rows: SegmentRows[];
}

const unexpectedSegment = () => new KeyholdError('INTEGRITY', 'The vault is damaged: an unexpected row in index_segments.');

/** Every segment's rev and the hash of its sealed bytes. */
export function measureSegments(db: Database): SegmentHash[] {
  const out: SegmentHash[] = [];
  for (const raw of db.prepare('SELECT seg, rev, data FROM index_segments ORDER BY seg').iterate()) {
    if (typeof raw !== 'object' || raw === null) throw unexpectedSegment();
    const { seg, rev, data } = raw as Record<string, unknown>;
    if (typeof seg !== 'number' || typeof rev !== 'number' || !Buffer.isBuffer(data)) throw unexpectedSegment();
    out.push({ seg, rev, data: sha256(data) });
  }
  return out;
}

/** The segments and the keys rows, from one snapshot. */
export function measureClear(db: Database): ClearMeasure {
  return db.transaction(() => ({ segments: measureSegments(db), rows: measureRows(db) })).deferred();
}

/** Every segment's keys rows (one read of the keys_seg_rows index: migrations/005). */
export function measureRows(db: Database): SegmentRows[] {
  const out: SegmentRows[] = [];
  for (const raw of db.prepare(`${ROWS_SQL} GROUP BY seg`).iterate()) {
    const { seg, n, rows } = groupRow(raw);
    if (seg === null) throw unexpected();
    out.push({ seg, n, rows: hashRows(rows) });
  }
  return out;
}

/** The rows hash of one segment (each commit, for the segments it touched). */
export function segmentRowsHash(db: Database, seg: number): string {
  return hashRows(groupRow(db.prepare(`${ROWS_SQL} WHERE seg = ?`).get(seg)).rows);
}
