// The decrypted key index: every key's metadata in memory while unlocked, kept as segments of up to
// SEGMENT_SIZE keys, each sealed as ONE blob in index_segments. Unlock opens a few hundred large
// boxes (secretbox runs ~80 MB/s but only ~150k small boxes/s); a write re-seals only the segments
// it touched.
//
// Query speed without a global sort: each segment keeps its keys in name order, and a page in name
// order is a k-way merge of the segments' matches. Search scans one lower-cased haystack string per
// segment with indexOf (native, fast) instead of calling includes() 100,000 times.
import { KeyholdError } from '../errors';
import { fromTuple, type KeyTuple as Tuple } from './records';
import { KEY_KINDS, KEY_STATES, type KeyPage, type KeyQuery } from './types';

export const SEGMENT_SIZE = 512;
const SEP = '\u0000';

interface Entry {
  t: Tuple;
  seg: number;
}

class Segment {
  readonly ids = new Set<string>();
  /** in name order (lower-cased name, then id), rebuilt lazily after a change */
  private ordered: Tuple[] | null = null;
  private lowerNames: string[] = [];
  private hay: string | null = null;
  private starts: Int32Array | null = null;

  changed(): void {
    this.ordered = null;
    this.hay = null;
    this.starts = null;
  }

  /** Takes tuples as stored: flush() writes them in name order, so usually no sort is needed. */
  adopt(tuples: Tuple[]): void {
    const names = tuples.map((t) => t[4].toLowerCase());
    for (let i = 1; i < tuples.length; i++) {
      const a = names[i - 1]!;
      const b = names[i]!;
      if (a > b || (a === b && tuples[i - 1]![0] > tuples[i]![0])) return; // not in order: sort lazily
    }
    this.ordered = tuples;
    this.lowerNames = names;
  }

  order(byId: Map<string, Entry>): { tuples: Tuple[]; names: string[] } {
    if (!this.ordered) {
      const withNames: Array<[string, Tuple]> = [];
      for (const id of this.ids) {
        const t = byId.get(id)!.t;
        withNames.push([t[4].toLowerCase(), t]);
      }
      withNames.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1][0] < b[1][0] ? -1 : 1));
      this.ordered = withNames.map((x) => x[1]);
      this.lowerNames = withNames.map((x) => x[0]);
    }
    return { tuples: this.ordered, names: this.lowerNames };
  }

  /**
   * The keys (in name order) whose name, description, public part or fingerprint contains `needle`
   * (lower-cased; '' = every key) and that `keep` accepts: their count, and the positions of the
   * first `cap` of them (a page never needs more: this keeps search free of big arrays).
   */
  search(byId: Map<string, Entry>, needle: string, keep: ((t: Tuple) => boolean) | null, cap: number): { count: number; idx: number[] } {
    const { tuples } = this.order(byId);
    const idx: number[] = [];
    let count = 0;
    if (!needle) {
      for (let i = 0; i < tuples.length; i++) {
        if (keep && !keep(tuples[i]!)) continue;
        if (count++ < cap) idx.push(i);
      }
      return { count, idx };
    }
    if (this.hay === null || this.starts === null) {
      const parts: string[] = [];
      const starts = new Int32Array(tuples.length + 1);
      let at = 0;
      for (let i = 0; i < tuples.length; i++) {
        const t = tuples[i]!;
        // lower-case each record on its own: toLowerCase may change lengths, offsets must hold
        const rec = `${t[4]}\n${t[5]}\n${t[10] ?? ''}\n${t[11] ?? ''}`.toLowerCase() + SEP;
        starts[i] = at;
        at += rec.length;
        parts.push(rec);
      }
      starts[tuples.length] = at;
      this.hay = parts.join('');
      this.starts = starts;
    }
    const hay = this.hay;
    const starts = this.starts;
    let pos = hay.indexOf(needle);
    let rec = 0;
    while (pos >= 0) {
      // hits come in increasing order: walk the record starts forward instead of searching
      while (starts[rec + 1]! <= pos) rec++;
      if (!keep || keep(tuples[rec]!)) {
        if (count++ < cap) idx.push(rec);
      }
      pos = hay.indexOf(needle, starts[rec + 1]!);
    }
    return { count, idx };
  }
}

const KINDS = new Set<string>(KEY_KINDS);
const STATES = new Set<string>(KEY_STATES);
const isStrOrNull = (v: unknown) => v === null || typeof v === 'string';
const isRecordOf = (v: unknown, type: 'string' | 'boolean') =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === type);

/** A hand-written check of one tuple (zod is ~10x slower here, on 100,000 tuples at unlock). */
function isTuple(v: unknown): v is Tuple {
  if (!Array.isArray(v) || v.length !== 18) return false;
  return (
    typeof v[0] === 'string' &&
    isStrOrNull(v[1]) &&
    isStrOrNull(v[2]) &&
    KINDS.has(v[3]) &&
    typeof v[4] === 'string' &&
    typeof v[5] === 'string' &&
    STATES.has(v[6]) &&
    isStrOrNull(v[7]) &&
    isRecordOf(v[8], 'boolean') &&
    isStrOrNull(v[9]) &&
    isStrOrNull(v[10]) &&
    isStrOrNull(v[11]) &&
    isRecordOf(v[12], 'string') &&
    (v[13] === 0 || v[13] === 1) &&
    typeof v[14] === 'number' &&
    typeof v[15] === 'number' &&
    (v[16] === null || typeof v[16] === 'number') &&
    (v[17] === 0 || v[17] === 1)
  );
}

export function parseSegment(json: string, seg: number): Tuple[] {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new KeyholdError('INTEGRITY', `The vault is damaged: index segment ${seg} is not valid.`);
  }
  if (!Array.isArray(raw)) throw new KeyholdError('INTEGRITY', `The vault is damaged: index segment ${seg} is not valid.`);
  for (const item of raw) if (!isTuple(item)) throw new KeyholdError('INTEGRITY', `The vault is damaged: index segment ${seg} holds a malformed key.`);
  return raw as Tuple[];
}

/** A cursor over one segment's matches, for the k-way merge. */
interface Run {
  tuples: Tuple[];
  names: string[];
  /** positions of the matches this page may need, in name order */
  idx: number[];
  at: number;
}

function runLength(r: Run): number {
  return r.idx.length;
}
function runPos(r: Run, i: number): number {
  return r.idx[i]!;
}

export class KeyIndex {
  private readonly byId = new Map<string, Entry>();
  private readonly segments = new Map<number, Segment>();
  /** seg -> rev of the stored copy this memory reflects */
  readonly revs = new Map<number, number>();

  get size(): number {
    return this.byId.size;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  tuple(id: string): Tuple | undefined {
    return this.byId.get(id)?.t;
  }

  segmentOf(id: string): number | undefined {
    return this.byId.get(id)?.seg;
  }

  segmentIds(): number[] {
    return [...this.segments.keys()].sort((a, b) => a - b);
  }

  /** Replaces one segment's content with what was read from disk. */
  loadSegment(seg: number, rev: number, tuples: Tuple[]): void {
    this.dropSegment(seg);
    const s = new Segment();
    for (const t of tuples) {
      if (this.byId.has(t[0])) throw new KeyholdError('INTEGRITY', `The vault is damaged or tampered with: a key appears twice in the index.`);
      s.ids.add(t[0]);
      this.byId.set(t[0], { t, seg });
    }
    s.adopt(tuples);
    this.segments.set(seg, s);
    this.revs.set(seg, rev);
  }

  dropSegment(seg: number): void {
    const s = this.segments.get(seg);
    if (s) for (const id of s.ids) if (this.byId.get(id)?.seg === seg) this.byId.delete(id);
    this.segments.delete(seg);
    this.revs.delete(seg);
  }

  /** The segment new keys go to: the last one with room, else a new one. */
  segmentForNew(): number {
    let max = -1;
    for (const s of this.segments.keys()) if (s > max) max = s;
    if (max >= 0 && this.segments.get(max)!.ids.size < SEGMENT_SIZE) return max;
    return max + 1;
  }

  put(t: Tuple, seg: number): void {
    const old = this.byId.get(t[0]);
    if (old && old.seg !== seg) {
      const s = this.segments.get(old.seg);
      s?.ids.delete(t[0]);
      s?.changed();
    }
    let s = this.segments.get(seg);
    if (!s) {
      s = new Segment();
      this.segments.set(seg, s);
    }
    s.ids.add(t[0]);
    s.changed();
    this.byId.set(t[0], { t, seg });
  }

  remove(id: string): number | undefined {
    const e = this.byId.get(id);
    if (!e) return undefined;
    this.byId.delete(id);
    const s = this.segments.get(e.seg);
    s?.ids.delete(id);
    s?.changed();
    return e.seg;
  }

  /** One segment's keys in name order (the order they are sealed in). */
  segmentTuples(seg: number): Tuple[] {
    const s = this.segments.get(seg);
    if (!s) return [];
    return s.order(this.byId).tuples.slice();
  }

  /** Sorts every segment now (unlock calls this, in slices, so the first page needs no sort). */
  warmSegment(seg: number): void {
    this.segments.get(seg)?.order(this.byId);
  }

  query(q: KeyQuery, workspaceOfProvider?: (provider: string) => Set<string>): KeyPage {
    const sort = q.sort ?? 'name';
    const desc = q.order === 'desc';
    const needle = (q.search ?? '').trim().toLowerCase().replaceAll(SEP, '');
    const wsAllowed = q.provider && workspaceOfProvider ? workspaceOfProvider(q.provider) : undefined;
    const filtered = q.workspaceId !== undefined || q.environmentId !== undefined || q.kind !== undefined || q.state !== undefined || wsAllowed !== undefined;
    const keep = (t: Tuple): boolean =>
      (q.workspaceId === undefined || t[1] === q.workspaceId) &&
      (q.environmentId === undefined || t[2] === q.environmentId) &&
      (q.kind === undefined || t[3] === q.kind) &&
      (q.state === undefined || t[6] === q.state) &&
      (wsAllowed === undefined || (t[1] !== null && wsAllowed.has(t[1])));

    const offset = Math.max(0, q.offset ?? 0);
    const limit = Math.max(0, q.limit ?? Number.MAX_SAFE_INTEGER);
    // name order: each segment gives at most offset+limit matches (from its start, or its end for
    // desc); other orders need every match to sort
    const cap = sort === 'name' ? Math.min(Number.MAX_SAFE_INTEGER, offset + limit) : Number.MAX_SAFE_INTEGER;
    const runs: Run[] = [];
    let total = 0;
    for (const seg of this.segmentIds()) {
      const s = this.segments.get(seg)!;
      if (s.ids.size === 0) continue;
      const { tuples, names } = s.order(this.byId);
      const { count, idx } = s.search(this.byId, needle, filtered ? keep : null, desc && sort === 'name' ? Number.MAX_SAFE_INTEGER : cap);
      if (count === 0) continue;
      total += count;
      if (desc && sort === 'name' && idx.length > cap) idx.splice(0, idx.length - cap);
      runs.push({ tuples, names, idx, at: 0 });
    }
    const want = Math.min(total, offset + limit);
    const page: Tuple[] = [];

    if (sort === 'name') {
      // k-way merge over the runs' name-ordered matches, from the front (asc) or the back (desc)
      for (const r of runs) r.at = desc ? runLength(r) - 1 : 0;
      const key = (r: Run) => r.names[runPos(r, r.at)]!;
      const id = (r: Run) => r.tuples[runPos(r, r.at)]![0];
      const before = (a: Run, b: Run) => {
        const x = key(a);
        const y = key(b);
        const c = x < y ? -1 : x > y ? 1 : id(a) < id(b) ? -1 : 1;
        return desc ? c > 0 : c < 0;
      };
      const heap = runs.slice();
      const down = (i: number) => {
        for (;;) {
          const l = 2 * i + 1;
          const r = l + 1;
          let m = i;
          if (l < heap.length && before(heap[l]!, heap[m]!)) m = l;
          if (r < heap.length && before(heap[r]!, heap[m]!)) m = r;
          if (m === i) return;
          [heap[i], heap[m]] = [heap[m]!, heap[i]!];
          i = m;
        }
      };
      for (let i = (heap.length >> 1) - 1; i >= 0; i--) down(i);
      for (let n = 0; n < want && heap.length > 0; n++) {
        const top = heap[0]!;
        if (n >= offset) page.push(top.tuples[runPos(top, top.at)]!);
        top.at += desc ? -1 : 1;
        if (top.at < 0 || top.at >= runLength(top)) {
          heap[0] = heap[heap.length - 1]!;
          heap.pop();
        }
        if (heap.length > 0) down(0);
      }
    } else {
      const all: Tuple[] = [];
      for (const r of runs) for (let i = 0; i < runLength(r); i++) all.push(r.tuples[runPos(r, i)]!);
      const col = sort === 'createdAt' ? 14 : sort === 'rotatedAt' ? 16 : sort === 'kind' ? 3 : 6;
      all.sort((a, b) => {
        const x = a[col] as string | number | null;
        const y = b[col] as string | number | null;
        let c = x === y ? 0 : x === null ? -1 : y === null ? 1 : x < y ? -1 : 1;
        if (c === 0) c = a[4] < b[4] ? -1 : a[4] > b[4] ? 1 : 0;
        return desc ? -c : c;
      });
      for (let i = offset; i < want; i++) page.push(all[i]!);
    }
    return { total, items: page.map(fromTuple) };
  }

  /** Drops every decrypted value. */
  clear(): void {
    this.byId.clear();
    this.segments.clear();
    this.revs.clear();
  }
}
