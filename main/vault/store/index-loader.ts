// The index loader: opens every sealed index segment at unlock and decodes it into the KeyIndex,
// giving the event loop a turn every few ms. A large index opens with libsodium
// (native-secretbox.ts: ~900 MB/s, so 100,000 keys' 4 MB of sealed segments open in ~5 ms and the
// inflating and decoding are what is left), a small one with tweetnacl (docs/ARCHITECTURE.md
// "Unlock").
import { setImmediate } from 'node:timers/promises';
import { inflateRawSync } from 'node:zlib';
import { z } from 'zod';
import { KeyholdError } from '../../errors';
import type { Sealer } from '../crypto';
import type { KeyIndex } from '../key-index';
import { nativeSecretboxOpen } from '../native-secretbox';
import { PackedSegment } from '../packed-segment';
import type { SecretboxOpener } from '../secretbox';
import type { Connection } from './connection';
import { row } from './tx';

export const SEGMENT_LABEL = 'index_segments.data';
export const SegmentRow = z.object({ seg: z.number(), rev: z.number(), data: z.instanceof(Buffer) });

/** Opens (with `open`, else libsodium once loaded, else tweetnacl), inflates and decodes one sealed segment. */
export function loadSegmentRow(
  index: KeyIndex,
  sealer: Sealer,
  { seg, rev, data }: z.output<typeof SegmentRow>,
  open?: SecretboxOpener,
): void {
  const sealed = sealer.openBytes(SEGMENT_LABEL, String(seg), data, open);
  let plain: Buffer;
  try {
    // one output chunk for a whole segment (~120 KB for 512 keys): zlib's default of 16 KB costs
    // a copy of every chunk into the result, and ~15 % of the time at unlock
    plain = inflateRawSync(sealed, { chunkSize: INFLATE_CHUNK });
  } catch {
    throw new KeyholdError('INTEGRITY', `The vault is damaged: index segment ${seg} does not inflate.`);
  } finally {
    sealed.fill(0);
  }
  try {
    index.loadSegment(seg, rev, PackedSegment.decode(plain, seg));
  } finally {
    plain.fill(0);
  }
}

const INFLATE_CHUNK = 256 * 1024;

/** How long this thread works before it lets the event loop turn: a third of a frame, so that a
 * slow step, a garbage collection or a busy core still leaves the loop's delay under one frame. */
const SLICE_MS = 5;

/** Sealed bytes from which libsodium is worth loading (~12 ms) rather than opening with a cold
 * tweetnacl (~25 ms for its first 20 KB: about 1,000 keys). */
const NATIVE_FROM_BYTES = 8 * 1024;

/**
 * Reads every index segment (libsodium, or tweetnacl for a small index), giving the event loop a
 * turn every few milliseconds.
 */
export async function loadIndex(c: Connection): Promise<void> {
  // data_version before the rows: a commit in between makes the next read catch up (never the
  // other way round: rows older than the version they are marked with)
  const version = c.readDataVersion();
  const rows = c.reader.all('SELECT seg, rev, data FROM index_segments ORDER BY seg').map((r) => row(SegmentRow, r, 'index_segments'));
  c.markLoaded(version);
  // once loaded, every open uses libsodium (Sealer.openBytes); where it does not load, tweetnacl
  // opens a large index too, a few tens of ms slower
  if (rows.reduce((n, r) => n + r.data.length, 0) >= NATIVE_FROM_BYTES) nativeSecretboxOpen();
  // reading 4 MB took a few ms: a turn of the event loop before the first slice
  let last = -Infinity;
  for (const r of rows) {
    if (performance.now() - last > SLICE_MS) {
      await setImmediate();
      if (c.isLocked) return;
      last = performance.now();
    }
    loadSegmentRow(c.index, c.sealer, r);
    c.index.warmSegment(r.seg);
  }
}

/** How long after unlock the search index starts building: the unlock's answer, the first page
 * and the window's other first requests go first (its slices would each make them wait). */
const SEARCH_AFTER_UNLOCK_MS = 300;

/**
 * Starts the search index (search-keeper.ts: haystacks and trigrams, in slices of a few ms) a
 * moment after unlock. A search before it is ready scans what it does not cover yet.
 */
export function prepareSearch(c: Connection): void {
  setTimeout(() => {
    if (!c.isLocked) c.index.prepareSearch();
  }, SEARCH_AFTER_UNLOCK_MS).unref();
}
