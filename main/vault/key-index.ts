// The decrypted key index: every key's metadata in memory while unlocked, kept as segments of up to
// SEGMENT_SIZE keys, each sealed as ONE blob in index_segments. Unlock opens a few hundred large
// boxes (secretbox runs ~80 MB/s but only ~150k small boxes/s); a write re-seals only the segments
// it touched.
//
// Unlock speed: a segment's plaintext is columnar (PackedSegment below): one UTF-8 text of all its
// fields and a table of their lengths. Unlock decodes that text into ONE string per segment and
// makes no per-key objects; a key's tuple is built only when something asks for that key (a page,
// getKey, a write), so 100,000 keys cost a few hundred strings, not millions of objects.
//
// Query speed without a global sort: each segment keeps its keys in name order, and a page in name
// order is a k-way merge of the segments' matches. Search scans one lower-cased haystack string per
// segment with indexOf (native, fast) instead of calling includes() 100,000 times; the searchable
// fields lie first in the text, so that haystack is the lower-cased head of it.
import { KeyholdError } from '../errors';
import { fromTuple, type KeyTuple as Tuple } from './key-tuple';
import { KEY_KINDS, KEY_STATES, type KeyPage, type KeyQuery } from './types';

export const SEGMENT_SIZE = 512;
const SEP = '\u0000';

const isRecordOf = (v: unknown, type: 'string' | 'boolean') =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === type);

// ---- the packed (columnar) segment ---------------------------------------------------------------
//
// plaintext: u8 version (1) | u32le n | u8 kind[n] | u8 state[n] | u8 bits[n] (1 remoteMissing,
// 2 hasSecret) | f64le times[3n] (created, updated, rotated; NaN = null) | i32le len[n * FIELDS]
// (UTF-16 units, -1 = null) | UTF-8 text. The text holds first every record's searchable fields,
// each followed by '\n' (the record's last by '\0'), then every record's other fields, unseparated.
const PACKED_V1 = 1;
const F_NAME = 0;
const F_DESC = 1;
const F_PUB = 2;
const F_FP = 3;
const SEARCHABLE = 4;
const F_ID = 4;
const F_WS = 5;
const F_ENV = 6;
const F_REMOTE = 7;
const F_ROLE = 8;
const F_FLAGS = 9;
const F_META = 10;
const FIELDS = 11;
const NULLABLE = [false, false, true, true, false, true, true, true, true, false, false];

const utf8 = new TextDecoder('utf-8', { fatal: true });

function damaged(seg: number, what = 'is not valid'): KeyholdError {
  return new KeyholdError('INTEGRITY', `The vault is damaged: index segment ${seg} ${what}.`);
}

/** A segment's keys (in name order) as stored: fields are cut from one string on demand. */
export class PackedSegment {
  private hay: string | null = null;
  private hayStarts: Int32Array | null = null;
  /** how often each ASCII character occurs in the haystack (search starts from the rarest) */
  private freq: Uint32Array | null = null;
  private lower: Array<string | undefined> = [];

  private constructor(
    readonly seg: number,
    readonly n: number,
    private readonly text: string,
    /** start of field f of record i at [i * FIELDS + f]; length alike (-1 = null) */
    private readonly off: Int32Array,
    private readonly len: Int32Array,
    private readonly kinds: Uint8Array,
    private readonly states: Uint8Array,
    private readonly bits: Uint8Array,
    private readonly times: Float64Array,
    /** end of the searchable head of `text` */
    private readonly headEnd: number,
  ) {}

  static decode(plain: Uint8Array, seg: number): PackedSegment {
    if (plain.length < 5 || plain[0] !== PACKED_V1) throw damaged(seg);
    const dv = new DataView(plain.buffer, plain.byteOffset, plain.byteLength);
    const n = dv.getUint32(1, true);
    let at = 5;
    const need = at + n * 3 + n * 24 + n * FIELDS * 4;
    if (n > 1 << 20 || plain.length < need) throw damaged(seg);
    // copies (Buffer#slice would be a view, and the caller zeroes the plaintext)
    const kinds = new Uint8Array(plain.subarray(at, at + n));
    const states = new Uint8Array(plain.subarray(at + n, at + 2 * n));
    const bits = new Uint8Array(plain.subarray(at + 2 * n, at + 3 * n));
    at += 3 * n;
    const times = new Float64Array(3 * n);
    for (let k = 0; k < 3 * n; k++, at += 8) times[k] = dv.getFloat64(at, true);
    const len = new Int32Array(n * FIELDS);
    for (let k = 0; k < n * FIELDS; k++, at += 4) len[k] = dv.getInt32(at, true);
    let text: string;
    try {
      text = utf8.decode(plain.subarray(at));
    } catch {
      throw damaged(seg);
    }
    const off = new Int32Array(n * FIELDS);
    let pos = 0;
    for (let i = 0; i < n; i++) {
      if (kinds[i]! >= KEY_KINDS.length || states[i]! >= KEY_STATES.length) throw damaged(seg, 'holds a malformed key');
      for (let f = 0; f < SEARCHABLE; f++) {
        const k = i * FIELDS + f;
        const l = len[k]!;
        if (l < -1 || (l === -1 && !NULLABLE[f])) throw damaged(seg, 'holds a malformed key');
        off[k] = pos;
        pos += Math.max(0, l) + 1;
      }
    }
    const headEnd = pos;
    for (let i = 0; i < n; i++) {
      for (let f = SEARCHABLE; f < FIELDS; f++) {
        const k = i * FIELDS + f;
        const l = len[k]!;
        if (l < -1 || (l === -1 && !NULLABLE[f])) throw damaged(seg, 'holds a malformed key');
        off[k] = pos;
        pos += Math.max(0, l);
      }
    }
    if (pos !== text.length) throw damaged(seg);
    return new PackedSegment(seg, n, text, off, len, kinds, states, bits, times, headEnd);
  }

  /** The plaintext of `tuples` (sorted here into name order). */
  static encode(tuples: Tuple[]): Buffer {
    const sorted = sortByName(tuples);
    const n = sorted.length;
    const len = new Int32Array(n * FIELDS);
    const head: string[] = [];
    const rest: string[] = [];
    const fixed = Buffer.alloc(5 + n * 3 + n * 24);
    fixed[0] = PACKED_V1;
    fixed.writeUInt32LE(n, 1);
    for (let i = 0; i < n; i++) {
      const t = sorted[i]!;
      const fields: Array<string | null> = [t[4], t[5], t[10], t[11], t[0], t[1], t[2], t[7], t[9], JSON.stringify(t[8]), JSON.stringify(t[12])];
      for (let f = 0; f < FIELDS; f++) {
        const v = fields[f]!;
        len[i * FIELDS + f] = v === null ? -1 : v.length;
        if (f < SEARCHABLE) head.push(v ?? '', f === SEARCHABLE - 1 ? SEP : '\n');
        else if (v !== null) rest.push(v);
      }
      fixed[5 + i] = KEY_KINDS.indexOf(t[3]);
      fixed[5 + n + i] = KEY_STATES.indexOf(t[6]);
      fixed[5 + 2 * n + i] = (t[13] ? 1 : 0) | (t[17] ? 2 : 0);
      const at = 5 + 3 * n + i * 24;
      fixed.writeDoubleLE(t[14], at);
      fixed.writeDoubleLE(t[15], at + 8);
      fixed.writeDoubleLE(t[16] ?? Number.NaN, at + 16);
    }
    const lens = Buffer.alloc(n * FIELDS * 4);
    for (let k = 0; k < n * FIELDS; k++) lens.writeInt32LE(len[k]!, k * 4);
    return Buffer.concat([fixed, lens, Buffer.from(head.join('') + rest.join(''), 'utf8')]);
  }

  /** A view of tuples already in memory (after a write), without a round trip through bytes. */
  static of(tuples: Tuple[], seg: number): PackedSegment {
    const plain = PackedSegment.encode(tuples);
    try {
      return PackedSegment.decode(plain, seg);
    } finally {
      plain.fill(0);
    }
  }

  str(i: number, f: number): string | null {
    const k = i * FIELDS + f;
    const l = this.len[k]!;
    return l < 0 ? null : this.text.slice(this.off[k]!, this.off[k]! + l);
  }

  id(i: number): string {
    return this.str(i, F_ID)!;
  }

  kind(i: number): Tuple[3] {
    return KEY_KINDS[this.kinds[i]!]!;
  }

  state(i: number): Tuple[6] {
    return KEY_STATES[this.states[i]!]!;
  }

  time(i: number, which: 0 | 1 | 2): number | null {
    const v = this.times[i * 3 + which]!;
    return Number.isNaN(v) ? null : v;
  }

  /** The lower-cased name (the merge key of name order). */
  lowerName(i: number): string {
    let v = this.lower[i];
    if (v === undefined) {
      v = this.str(i, F_NAME)!.toLowerCase();
      this.lower[i] = v;
    }
    return v;
  }

  tuple(i: number): Tuple {
    const json = (f: number, type: 'string' | 'boolean'): Record<string, never> => {
      let v: unknown;
      try {
        v = JSON.parse(this.str(i, f)!);
      } catch {
        throw damaged(this.seg, 'holds a malformed key');
      }
      if (!isRecordOf(v, type)) throw damaged(this.seg, 'holds a malformed key');
      return v as Record<string, never>;
    };
    const b = this.bits[i]!;
    return [
      this.id(i),
      this.str(i, F_WS),
      this.str(i, F_ENV),
      this.kind(i),
      this.str(i, F_NAME)!,
      this.str(i, F_DESC)!,
      this.state(i),
      this.str(i, F_REMOTE),
      json(F_FLAGS, 'boolean'),
      this.str(i, F_ROLE),
      this.str(i, F_PUB),
      this.str(i, F_FP),
      json(F_META, 'string'),
      b & 1 ? 1 : 0,
      this.times[i * 3]!,
      this.times[i * 3 + 1]!,
      this.time(i, 2),
      b & 2 ? 1 : 0,
    ];
  }

  tuples(): Tuple[] {
    const out: Tuple[] = new Array<Tuple>(this.n);
    for (let i = 0; i < this.n; i++) out[i] = this.tuple(i);
    return out;
  }

  /** Builds the lower-cased haystack now (after unlock, in the background) rather than at the first search. */
  warmSearch(): void {
    if (this.hay !== null) return;
    const head = this.text.slice(0, this.headEnd);
    const lower = head.toLowerCase();
    const starts = new Int32Array(this.n + 1);
    if (lower.length === head.length) {
      for (let i = 0; i < this.n; i++) starts[i] = this.off[i * FIELDS]!;
      starts[this.n] = this.headEnd;
      this.hay = lower;
    } else {
      // toLowerCase changed some lengths: lower-case record by record so that offsets hold
      const parts: string[] = [];
      let at = 0;
      for (let i = 0; i < this.n; i++) {
        const from = this.off[i * FIELDS]!;
        const to = i + 1 < this.n ? this.off[(i + 1) * FIELDS]! : this.headEnd;
        const rec = head.slice(from, to).toLowerCase();
        starts[i] = at;
        at += rec.length;
        parts.push(rec);
      }
      starts[this.n] = at;
      this.hay = parts.join('');
    }
    this.hayStarts = starts;
    const freq = new Uint32Array(128);
    const hay = this.hay;
    for (let j = 0; j < hay.length; j++) {
      const c = hay.charCodeAt(j);
      if (c < 128) freq[c]!++;
    }
    this.freq = freq;
  }

  /**
   * The keys (in name order) whose name, description, public part or fingerprint contains `needle`
   * (lower-cased; '' = every key) and that `keep` accepts: their count, and the positions of the
   * first `cap` of them (a page never needs more: this keeps search free of big arrays).
   */
  search(needle: string, keep: ((p: PackedSegment, i: number) => boolean) | null, cap: number): { count: number; idx: number[] } {
    const idx: number[] = [];
    let count = 0;
    if (!needle) {
      for (let i = 0; i < this.n; i++) {
        if (keep && !keep(this, i)) continue;
        if (count++ < cap) idx.push(i);
      }
      return { count, idx };
    }
    this.warmSearch();
    const hay = this.hay!;
    const starts = this.hayStarts!;
    // indexOf finds a needle's first character with memchr and then compares: 'a' or 'e' stop it
    // every few bytes, 'q' or '-' almost never. So look for the needle from its rarest character
    // on, and check the characters before it at each hit.
    const freq = this.freq!;
    let k = 0;
    for (let j = 1; j < needle.length; j++) {
      const c = needle.charCodeAt(j);
      if ((c < 128 ? freq[c]! : 0) < (needle.charCodeAt(k) < 128 ? freq[needle.charCodeAt(k)]! : 0)) k = j;
    }
    const sub = k === 0 ? needle : needle.slice(k);
    let pos = hay.indexOf(sub, k);
    let rec = 0;
    while (pos >= 0) {
      const at = pos - k;
      if (k > 0 && !hay.startsWith(needle, at)) {
        pos = hay.indexOf(sub, pos + 1);
        continue;
      }
      // hits come in increasing order: walk the record starts forward instead of searching (a
      // match never spans two records: they end with '\0', which no needle holds)
      while (starts[rec + 1]! <= at) rec++;
      if (!keep || keep(this, rec)) {
        if (count++ < cap) idx.push(rec);
      }
      pos = hay.indexOf(sub, starts[rec + 1]! + k);
    }
    return { count, idx };
  }
}

function sortByName(tuples: Tuple[]): Tuple[] {
  const withNames = tuples.map((t): [string, Tuple] => [t[4].toLowerCase(), t]);
  withNames.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1][0] < b[1][0] ? -1 : a[1][0] > b[1][0] ? 1 : 0));
  return withNames.map((x) => x[1]);
}

/** A segment's plaintext (before deflate): its tuples in name order, packed. */
export function encodeSegment(tuples: Tuple[]): Buffer {
  return PackedSegment.encode(tuples);
}

/**
 * One segment in memory: as read (packed, nothing decoded per key) until a write or a lookup by id
 * needs its tuples; after a write, packed again (lazily) for queries.
 */
class Segment {
  private packed: PackedSegment | null;
  private byId: Map<string, Tuple> | null;

  constructor(
    readonly seg: number,
    from: PackedSegment | Tuple[],
  ) {
    if (from instanceof PackedSegment) {
      this.packed = from;
      this.byId = null;
    } else {
      this.packed = null;
      this.byId = new Map(from.map((t) => [t[0], t]));
    }
  }

  get size(): number {
    return this.byId ? this.byId.size : this.packed!.n;
  }

  /** The tuples by id (decoded now if the segment is still packed). */
  map(): Map<string, Tuple> {
    if (!this.byId) {
      const p = this.packed!;
      this.byId = new Map();
      for (let i = 0; i < p.n; i++) {
        const t = p.tuple(i);
        this.byId.set(t[0], t);
      }
    }
    return this.byId;
  }

  *ids(): Iterable<string> {
    if (this.byId) yield* this.byId.keys();
    else for (let i = 0; i < this.packed!.n; i++) yield this.packed!.id(i);
  }

  changed(): void {
    this.map();
    this.packed = null;
  }

  /** In name order, for queries. */
  view(): PackedSegment {
    if (!this.packed) this.packed = PackedSegment.of([...this.byId!.values()], this.seg);
    return this.packed;
  }

  /** The plaintext to seal for this segment; from now on the packed form is what memory holds. */
  encode(keepTuples: boolean): Buffer {
    const plain = PackedSegment.encode(this.byId ? [...this.byId.values()] : this.packed!.tuples());
    if (keepTuples) {
      // the segment new keys go to: the next write would decode it again at once
      this.packed = null;
    } else {
      this.packed = PackedSegment.decode(plain, this.seg);
      this.byId = null;
    }
    return plain;
  }

  tuplesInOrder(): Tuple[] {
    if (this.packed) return this.packed.tuples();
    return sortByName([...this.byId!.values()]);
  }
}

/** A cursor over one segment's matches, for the k-way merge. */
interface Run {
  p: PackedSegment;
  /** positions of the matches this page may need, in name order */
  idx: number[];
  at: number;
}

export class KeyIndex {
  private readonly segments = new Map<number, Segment>();
  /** id -> segment, built at the first lookup by id (unlock does not need it) */
  private segOf: Map<string, number> | null = null;
  private maxSeg = -1;
  /** seg -> rev of the stored copy this memory reflects */
  readonly revs = new Map<number, number>();

  get size(): number {
    let n = 0;
    for (const s of this.segments.values()) n += s.size;
    return n;
  }

  private lookup(): Map<string, number> {
    if (!this.segOf) {
      const m = new Map<string, number>();
      for (const s of this.segments.values()) {
        for (const id of s.ids()) {
          if (m.has(id)) throw new KeyholdError('INTEGRITY', `The vault is damaged or tampered with: a key appears twice in the index.`);
          m.set(id, s.seg);
        }
      }
      this.segOf = m;
    }
    return this.segOf;
  }

  has(id: string): boolean {
    return this.lookup().has(id);
  }

  tuple(id: string): Tuple | undefined {
    const seg = this.lookup().get(id);
    return seg === undefined ? undefined : this.segments.get(seg)?.map().get(id);
  }

  segmentOf(id: string): number | undefined {
    return this.lookup().get(id);
  }

  segmentIds(): number[] {
    return [...this.segments.keys()].sort((a, b) => a - b);
  }

  /** Replaces one segment's content with what was read from disk. */
  loadSegment(seg: number, rev: number, content: PackedSegment | Tuple[]): void {
    this.dropSegment(seg);
    const s = new Segment(seg, content);
    if (this.segOf) {
      for (const id of s.ids()) {
        if (this.segOf.has(id)) throw new KeyholdError('INTEGRITY', `The vault is damaged or tampered with: a key appears twice in the index.`);
        this.segOf.set(id, seg);
      }
    }
    this.segments.set(seg, s);
    if (seg > this.maxSeg) this.maxSeg = seg;
    this.revs.set(seg, rev);
  }

  dropSegment(seg: number): void {
    const s = this.segments.get(seg);
    if (s && this.segOf) for (const id of s.ids()) if (this.segOf.get(id) === seg) this.segOf.delete(id);
    this.segments.delete(seg);
    this.revs.delete(seg);
    if (seg === this.maxSeg) {
      this.maxSeg = -1;
      for (const k of this.segments.keys()) if (k > this.maxSeg) this.maxSeg = k;
    }
  }

  /** The segment new keys go to: the last one with room, else a new one. */
  segmentForNew(): number {
    const max = this.maxSeg;
    if (max >= 0 && this.segments.get(max)!.size < SEGMENT_SIZE) return max;
    return max + 1;
  }

  put(t: Tuple, seg: number): void {
    const lookup = this.lookup();
    const old = lookup.get(t[0]);
    if (old !== undefined && old !== seg) {
      const s = this.segments.get(old);
      s?.changed();
      s?.map().delete(t[0]);
    }
    let s = this.segments.get(seg);
    if (!s) {
      s = new Segment(seg, []);
      this.segments.set(seg, s);
      if (seg > this.maxSeg) this.maxSeg = seg;
    }
    s.changed();
    s.map().set(t[0], t);
    lookup.set(t[0], seg);
  }

  remove(id: string): number | undefined {
    const lookup = this.lookup();
    const seg = lookup.get(id);
    if (seg === undefined) return undefined;
    lookup.delete(id);
    const s = this.segments.get(seg);
    s?.changed();
    s?.map().delete(id);
    return seg;
  }

  /** One segment's keys in name order (the order they are sealed in). */
  segmentTuples(seg: number): Tuple[] {
    return this.segments.get(seg)?.tuplesInOrder() ?? [];
  }

  /** A segment's plaintext to seal (after a write), or null when it has no key left. */
  encodeSegment(seg: number): Buffer | null {
    const s = this.segments.get(seg);
    if (!s || s.size === 0) return null;
    return s.encode(seg === this.maxSeg && s.size < SEGMENT_SIZE);
  }

  /** Prepares a segment for queries (unlock calls this, in slices, so the first page needs no work). */
  warmSegment(seg: number): void {
    this.segments.get(seg)?.view();
  }

  /** Builds one segment's search haystack (after unlock, in the background). */
  warmSearch(seg: number): void {
    const s = this.segments.get(seg);
    if (s && s.size > 0) s.view().warmSearch();
  }

  query(q: KeyQuery, workspaceOfProvider?: (provider: string) => Set<string>): KeyPage {
    const sort = q.sort ?? 'name';
    const desc = q.order === 'desc';
    const needle = (q.search ?? '').trim().toLowerCase().replaceAll(SEP, '');
    const wsAllowed = q.provider && workspaceOfProvider ? workspaceOfProvider(q.provider) : undefined;
    const filtered = q.workspaceId !== undefined || q.environmentId !== undefined || q.kind !== undefined || q.state !== undefined || wsAllowed !== undefined;
    const keep = (p: PackedSegment, i: number): boolean => {
      if (q.kind !== undefined && p.kind(i) !== q.kind) return false;
      if (q.state !== undefined && p.state(i) !== q.state) return false;
      if (q.workspaceId === undefined && q.environmentId === undefined && wsAllowed === undefined) return true;
      const ws = p.str(i, F_WS);
      return (
        (q.workspaceId === undefined || ws === q.workspaceId) &&
        (q.environmentId === undefined || p.str(i, F_ENV) === q.environmentId) &&
        (wsAllowed === undefined || (ws !== null && wsAllowed.has(ws)))
      );
    };

    const offset = Math.max(0, q.offset ?? 0);
    const limit = Math.max(0, q.limit ?? Number.MAX_SAFE_INTEGER);
    // name order: each segment gives at most offset+limit matches (from its start, or its end for
    // desc); other orders need every match to sort
    const cap = sort === 'name' ? Math.min(Number.MAX_SAFE_INTEGER, offset + limit) : Number.MAX_SAFE_INTEGER;
    const runs: Run[] = [];
    let total = 0;
    for (const seg of this.segmentIds()) {
      const s = this.segments.get(seg)!;
      if (s.size === 0) continue;
      const p = s.view();
      const { count, idx } = p.search(needle, filtered ? keep : null, desc && sort === 'name' ? Number.MAX_SAFE_INTEGER : cap);
      if (count === 0) continue;
      total += count;
      if (desc && sort === 'name' && idx.length > cap) idx.splice(0, idx.length - cap);
      runs.push({ p, idx, at: 0 });
    }
    const want = Math.min(total, offset + limit);
    const page: Tuple[] = [];

    if (sort === 'name') {
      // k-way merge over the runs' name-ordered matches, from the front (asc) or the back (desc)
      for (const r of runs) r.at = desc ? r.idx.length - 1 : 0;
      const key = (r: Run) => r.p.lowerName(r.idx[r.at]!);
      const id = (r: Run) => r.p.id(r.idx[r.at]!);
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
        if (n >= offset) page.push(top.p.tuple(top.idx[top.at]!));
        top.at += desc ? -1 : 1;
        if (top.at < 0 || top.at >= top.idx.length) {
          heap[0] = heap[heap.length - 1]!;
          heap.pop();
        }
        if (heap.length > 0) down(0);
      }
    } else {
      const all: Array<{ p: PackedSegment; i: number; v: string | number | null; name: string }> = [];
      for (const r of runs) {
        for (const i of r.idx) {
          const v = sort === 'createdAt' ? r.p.time(i, 0) : sort === 'rotatedAt' ? r.p.time(i, 2) : sort === 'kind' ? r.p.kind(i) : r.p.state(i);
          all.push({ p: r.p, i, v, name: r.p.str(i, F_NAME)! });
        }
      }
      all.sort((a, b) => {
        const x = a.v;
        const y = b.v;
        let c = x === y ? 0 : x === null ? -1 : y === null ? 1 : x < y ? -1 : 1;
        if (c === 0) c = a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
        return desc ? -c : c;
      });
      for (let i = offset; i < want; i++) page.push(all[i]!.p.tuple(all[i]!.i));
    }
    return { total, items: page.map(fromTuple) };
  }

  /** Drops every decrypted value. */
  clear(): void {
    this.segments.clear();
    this.segOf = null;
    this.maxSeg = -1;
    this.revs.clear();
  }
}
