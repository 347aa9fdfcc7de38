// The index loader: opens every sealed index segment at unlock (on worker threads when there are
// enough of them) and decodes it into the KeyIndex, giving the event loop a turn every few ms.
import { inflateRawSync } from 'node:zlib';
import { z } from 'zod';
import { KeyholdError } from '../../errors';
import type { Sealer } from '../crypto';
import type { KeyIndex } from '../key-index';
import { PackedSegment } from '../packed-segment';
import type { OpenedSegment, VaultWorkers } from '../vault-workers';
import type { Connection } from './connection';
import { row } from './tx';

export const SEGMENT_LABEL = 'index_segments.data';
export const SegmentRow = z.object({ seg: z.number(), rev: z.number(), data: z.instanceof(Buffer) });

export function loadSegmentRow(index: KeyIndex, sealer: Sealer, { seg, rev, data }: z.output<typeof SegmentRow>): void {
  const sealed = sealer.openBytes(SEGMENT_LABEL, String(seg), data);
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
 * Reads every index segment. With workers, they open and inflate the sealed segments (both
 * cores) while this thread parses what they send back; either way the event loop gets a turn
 * every few milliseconds.
 */
export async function loadIndex(c: Connection, workers?: VaultWorkers): Promise<void> {
  const rows = c.reader.all('SELECT seg, rev, data FROM index_segments ORDER BY seg').map((r) => row(SegmentRow, r, 'index_segments'));
  c.markLoaded(c.readDataVersion());
  const index = c.index;
  let last = performance.now();
  const breathe = async (): Promise<boolean> => {
    if (performance.now() - last <= 8) return true;
    await new Promise<void>((resolve) => setImmediate(resolve));
    last = performance.now();
    return !c.isLocked;
  };
  if (!workers || rows.length < 4) {
    for (const r of rows) {
      loadSegmentRow(index, c.sealer, r);
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
  const revOf = new Map(rows.map((r) => [r.seg, r.rev]));
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
      if (o) loadOpenedSegment(index, o.seg, revOf.get(o.seg)!, o.plain, Boolean(o.inflateError));
      else {
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
    if (performance.now() - last > 8) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      last = performance.now();
    }
  }
}
