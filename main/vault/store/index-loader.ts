// The index loader: opens every sealed index segment at unlock and decodes it into the KeyIndex,
// giving the event loop a turn every few ms. A large index opens on this thread with libsodium
// (native-secretbox.ts: ~900 MB/s, so 100,000 keys' 4 MB of sealed segments open in ~5 ms and the
// inflating and decoding are what is left); where libsodium cannot load, worker threads open it with
// tweetnacl (~120 MB/s per core) while this thread decodes (docs/ARCHITECTURE.md "Unlock").
import { inflateRawSync } from 'node:zlib';
import { z } from 'zod';
import { KeyholdError } from '../../errors';
import type { Sealer } from '../crypto';
import type { KeyIndex } from '../key-index';
import { sha256, type SegmentHashes } from '../manifest';
import { nativeSecretboxOpen } from '../native-secretbox';
import { PackedSegment } from '../packed-segment';
import type { SecretboxOpener } from '../secretbox';
import type { OpenedSegment, VaultWorkers } from '../vault-workers';
import type { Connection } from './connection';
import { row } from './tx';

export const SEGMENT_LABEL = 'index_segments.data';
export const SegmentRow = z.object({ seg: z.number(), rev: z.number(), data: z.instanceof(Buffer) });

/** Opens (with `open`: tweetnacl's by default), inflates and decodes one sealed segment. */
export function loadSegmentRow(
  index: KeyIndex,
  sealer: Sealer,
  { seg, rev, data }: z.output<typeof SegmentRow>,
  open?: SecretboxOpener,
): void {
  const sealed = sealer.openBytes(SEGMENT_LABEL, String(seg), data, open);
  let plain: Buffer | null = null;
  let inflateError = false;
  try {
    plain = inflateRawSync(sealed);
  } catch {
    inflateError = true;
  } finally {
    sealed.fill(0);
  }
  loadOpenedSegment(index, seg, rev, plain, inflateError);
}

/** How long this thread works before it lets the event loop turn: a third of a frame, so that a
 * slow step, a garbage collection or a busy core still leaves the loop's delay under one frame. */
const SLICE_MS = 5;

/** Sealed bytes from which libsodium is worth loading (~14 ms) rather than opening with tweetnacl. */
const NATIVE_FROM_BYTES = 2 * 1024 * 1024;

function loadOpenedSegment(index: KeyIndex, seg: number, rev: number, plain: Uint8Array | null, inflateError: boolean): void {
  if (inflateError) throw new KeyholdError('INTEGRITY', `The vault is damaged: index segment ${seg} does not inflate.`);
  if (!plain)
    throw new KeyholdError(
      'INTEGRITY',
      `The vault is damaged or tampered with: a sealed value in ${SEGMENT_LABEL} (row ${seg}) does not open.`,
    );
  try {
    index.loadSegment(seg, rev, PackedSegment.decode(plain, seg));
  } finally {
    plain.fill(0);
  }
}

/**
 * Reads every index segment: on this thread (libsodium, or tweetnacl for a small index), else on
 * the workers with tweetnacl while this thread decodes what they send back; either way the event
 * loop gets a turn every few milliseconds. The hash of each sealed segment as read goes to the
 * connection for the manifest check (manifest.ts), so that unlock reads and hashes them once.
 */
export async function loadIndex(c: Connection, workers?: VaultWorkers): Promise<void> {
  // data_version before the rows: a commit in between makes the next read catch up (never the
  // other way round: rows older than the version they are marked with)
  const version = c.readDataVersion();
  const rows = c.reader.all('SELECT seg, rev, data FROM index_segments ORDER BY seg').map((r) => row(SegmentRow, r, 'index_segments'));
  // filled as each segment is loaded (hashing 4 MB at once would hold the event loop)
  const hashes: SegmentHashes = new Map();
  c.markLoaded(version, hashes);
  await loadRows(c, rows, (r) => void hashes.set(r.seg, { rev: r.rev, data: sha256(r.data) }), workers);
}

type Row = z.output<typeof SegmentRow>;

async function loadRows(c: Connection, rows: Row[], hash: (r: Row) => void, workers?: VaultWorkers): Promise<void> {
  const index = c.index;
  let last = performance.now();
  const breathe = async (): Promise<boolean> => {
    if (performance.now() - last <= SLICE_MS) return true;
    await new Promise<void>((resolve) => setImmediate(resolve));
    last = performance.now();
    return !c.isLocked;
  };
  let bytes = 0;
  for (const r of rows) bytes += r.data.length;
  const native = bytes >= NATIVE_FROM_BYTES ? nativeSecretboxOpen() : null;
  if (native || !workers || rows.length < 4) {
    for (const r of rows) {
      hash(r);
      loadSegmentRow(index, c.sealer, r, native ?? undefined);
      index.warmSegment(r.seg);
      if (!(await breathe())) return;
    }
    return;
  }
  // The workers pull small jobs from the queue (each opens and inflates, already warmed up while
  // the KDF ran); this thread only decodes what they send back. (Opening segments here too was
  // measured: no faster on two cores, as this thread's tweetnacl is still cold, and the event
  // loop waited longer.)
  const queue = rows.slice();
  const opened: OpenedSegment[] = [];
  const rowOf = new Map(rows.map((r) => [r.seg, r]));
  let inFlight = 0;
  let failure: unknown = null;
  let wake: (() => void) | null = null;
  const subkey = c.sealer.subkeyCopy(SEGMENT_LABEL);
  const pump = (w: number): void => {
    if (queue.length === 0 || failure !== null || c.isLocked) return;
    const job = queue.splice(0, 4).map((r) => ({ seg: r.seg, data: r.data }));
    inFlight++;
    workers
      .openSegments(w, subkey, job)
      .then(
        (r) => void opened.push(...r),
        (e: unknown) => void (failure ??= e),
      )
      .finally(() => {
        inFlight--;
        wake?.();
        pump(w);
      });
  };
  try {
    // two jobs in flight per worker: no idle gap while a result travels back
    for (let round = 0; round < 2; round++) for (let w = 0; w < workers.size; w++) pump(w);
    while (queue.length > 0 || inFlight > 0 || opened.length > 0) {
      if (failure !== null) throw failure;
      const o = opened.shift();
      const r = o && rowOf.get(o.seg);
      if (o && r) {
        hash(r);
        loadOpenedSegment(index, o.seg, r.rev, o.plain, Boolean(o.inflateError));
      } else {
        await new Promise<void>((resolve) => (wake = resolve));
        wake = null;
      }
      if (!(await breathe())) return;
    }
    if (failure !== null) throw failure;
  } finally {
    subkey.fill(0);
  }
}

/**
 * Builds every segment's search haystack in small slices after unlock, so that the first
 * keystroke of a search finds them ready and the event loop is never held for long.
 */
export async function warmSearch(c: Connection): Promise<void> {
  let last = performance.now();
  for (const seg of c.index.segmentIds()) {
    if (c.isLocked) return;
    c.index.warmSearch(seg);
    if (performance.now() - last > SLICE_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      last = performance.now();
    }
  }
}
