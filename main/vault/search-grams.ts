// A positional trigram index over the search haystacks of the unlocked index (packed-segment.ts):
// which key holds a needle is found from a few posting lists instead of scanning ~5 MB of text per
// keystroke. Each list holds the positions of one trigram as gaps in 7-bit varints (~2 bytes a
// position: ~11 MB for 100,000 keys). Positions are exact, so a needle of 4+ characters is found by
// joining the lists of trigrams that cover it (at offsets 0, 3, 6, ... and its last three
// characters): a merge of sorted lists, read in order, with no look at the text itself (which,
// spread over megabytes, would cost a cache miss a candidate).
//
// Characters fall into 48 classes (letters, digits, common punctuation; the rest shares two
// classes): a trigram of a rarer character stands for several, so such a needle's candidates are
// checked against the text.
import { DescriptionPostings } from './search-descriptions';

const CLASSES = 48;
const KEYS = CLASSES * CLASSES * CLASSES;
const OTHER_ASCII = 46;
const NON_ASCII = 47;
const CLASS = (() => {
  const t = new Uint8Array(128).fill(OTHER_ASCII);
  t[0] = 0; // '\0' ends a record and '\n' a field: the separator class (also past a haystack's end)
  t[10] = 0;
  for (let c = 0; c < 26; c++) t[97 + c] = 1 + c;
  for (let c = 0; c < 10; c++) t[48 + c] = 27 + c;
  [...'-._@:/+ ='].forEach((ch, i) => (t[ch.charCodeAt(0)] = 37 + i));
  return t;
})();

const classOf = (c: number): number => (c < 128 ? CLASS[c]! : NON_ASCII);
/** The character is all its class stands for (a list hit needs no check for it). */
const exact = (c: number): boolean => c < 128 && CLASS[c] !== OTHER_ASCII && CLASS[c] !== 0;

/** One segment's haystack as the index is built from it (`text()` may build it first). */
export interface GramSource {
  readonly seg: number;
  readonly serial: number;
  /** the haystack, the start of each record in it (the haystack's length last), and each record's description id */
  text(): { hay: string; starts: Int32Array; descIds: Int32Array };
}

/** Slots start at multiples of a block; each block notes the record at its start. */
const BLOCK_BITS = 6;
const BLOCK = 1 << BLOCK_BITS;

/** A slot of the index whose segment is still the one indexed: where its keys are counted. */
export interface LiveSlot {
  readonly hay: string;
  /** start of each record in `hay`, and the haystack's length last */
  readonly starts: Int32Array;
  readonly n: number;
  /** the first record's number in the query's match array */
  readonly recBase: number;
}

export class GramIndex {
  constructor(
    /** per slot: the segment and the version (PackedSegment serial) it was built from */
    readonly segs: Int32Array,
    readonly serials: Float64Array,
    /** per slot: its haystack's first global position (a multiple of BLOCK), and the total last */
    private readonly posBase: Float64Array,
    /** per block of BLOCK positions: the (slot's) record holding its first position */
    private readonly blocks: Int32Array,
    private readonly offsets: Uint32Array,
    private readonly data: Uint8Array,
    /** slots covered: fewer than segs while the builder is still writing (it writes slot by slot) */
    readonly slots: number,
    /** while the builder writes: where each list ends so far ([2 * key + 1]) */
    private readonly ends: Int32Array | null,
    /** the keys of each description (once the index is complete) */
    readonly descs: DescriptionPostings | null,
  ) {}

  /** What the index holds in memory. */
  get bytes(): number {
    const { offsets, data, posBase, blocks, segs, serials } = this;
    const descs = this.descs?.bytes ?? 0;
    return offsets.byteLength + data.byteLength + posBase.byteLength + blocks.byteLength + segs.byteLength + serials.byteLength + descs;
  }

  /**
   * Sets mark[slot.recBase + i] for every record i of a live slot whose haystack holds `needle`
   * (lower-cased, at least 2 characters, no '\n' or '\0'). Slots given as null are skipped.
   * Returns how many marks it set (that were not set before).
   */
  mark(needle: string, live: ReadonlyArray<LiveSlot | null>, mark: Uint8Array): number {
    const L = needle.length;
    const c = (i: number) => classOf(needle.charCodeAt(i));
    const key = (i: number) => (c(i) * CLASSES + c(i + 1)) * CLASSES + c(i + 2);
    let inexact = false;
    for (let i = 0; i < L; i++) inexact ||= !exact(needle.charCodeAt(i));
    if (L === 2) {
      // every position has its trigram (past a haystack's end, separators): needle + any third
      const ab = c(0) * CLASSES + c(1);
      let n = 0;
      for (let x = 0; x < CLASSES; x++) n += this.scan(ab * CLASSES + x, [], inexact, needle, live, mark);
      return n;
    }
    // trigrams covering the needle; the one with the shortest list drives, the others must agree
    const cover: number[] = [];
    for (let i = 0; i + 3 < L; i += 3) cover.push(i);
    cover.push(L - 3);
    let driver = cover[0]!;
    for (const i of cover) if (this.listBytes(key(i)) < this.listBytes(key(driver))) driver = i;
    const join: number[] = [];
    let verify = inexact;
    for (const i of cover) {
      if (i === driver) continue;
      // a list far longer than the driver's costs more to read than checking the text would
      if (this.listBytes(key(i)) > 32 * this.listBytes(key(driver))) verify = true;
      else join.push(key(i), i - driver);
    }
    return this.scan(key(driver), join, verify, needle, live, mark, -driver);
  }

  private listBytes(key: number): number {
    return this.offsets[key + 1]! - this.offsets[key]!;
  }

  /**
   * Walks one posting list: each position q stands for an occurrence at q + delta if every list of
   * `join` ([key, offset from q] pairs) holds q + offset, and (when `verify`) the text agrees.
   * Returns the marks it set.
   */
  private scan(
    key: number,
    join: readonly number[],
    verify: boolean,
    needle: string,
    live: ReadonlyArray<LiveSlot | null>,
    mark: Uint8Array,
    delta = 0,
  ): number {
    let marked = 0;
    let o = this.offsets[key]!;
    const end = this.end(key);
    if (o === end) return 0;
    const data = this.data;
    const posBase = this.posBase;
    const blocks = this.blocks;
    const L = needle.length;
    const codes = new Uint16Array(L);
    for (let i = 0; i < L; i++) codes[i] = needle.charCodeAt(i);
    // the joined lists' cursors: next byte, end, and the last position read
    const J = join.length / 2;
    const jo = new Float64Array(J);
    const jend = new Float64Array(J);
    const jpos = new Float64Array(J).fill(-1);
    const joff = new Float64Array(J);
    for (let m = 0; m < J; m++) {
      jo[m] = this.offsets[join[2 * m]!]!;
      jend[m] = this.end(join[2 * m]!);
      joff[m] = join[2 * m + 1]!;
    }
    let q = -1;
    let s = -1;
    let slotStart = 0;
    let slotEnd = -1;
    let live_ = false;
    let hay = '';
    let st: Int32Array = EMPTY;
    let recBase = 0;
    outer: while (o < end) {
      let v = data[o++]!;
      if (v & 0x80) {
        v = varint(data, o - 1, v);
        o += varintBytes(v) - 1;
      }
      q += v;
      for (let m = 0; m < J; m++) {
        const want = q + joff[m]!;
        let at = jpos[m]!;
        let jo_ = jo[m]!;
        while (at < want && jo_ < jend[m]!) {
          let w = data[jo_++]!;
          if (w & 0x80) {
            w = varint(data, jo_ - 1, w);
            jo_ += varintBytes(w) - 1;
          }
          at += w;
        }
        jpos[m] = at;
        jo[m] = jo_;
        if (at !== want) {
          if (at < want) break outer; // that list has run out: no later match
          continue outer;
        }
      }
      const g = q + delta; // where the needle starts
      if (g >= slotEnd) {
        do s++;
        while (posBase[s + 1]! <= g);
        slotStart = posBase[s]!;
        slotEnd = posBase[s + 1]!;
        const slot = s < this.slots ? live[s] : null;
        live_ = slot !== null && slot !== undefined;
        if (slot) {
          hay = slot.hay;
          st = slot.starts;
          recBase = slot.recBase;
        }
      }
      const p = g - slotStart;
      if (!live_ || p < 0) continue;
      // the record holding p: from the one at its block's start, a step or two on
      let rec = blocks[g >> BLOCK_BITS]!;
      while (st[rec + 1]! <= p) rec++;
      if (mark[recBase + rec] === 1) continue;
      if (verify) {
        let i = 0;
        while (i < L && hay.charCodeAt(p + i) === codes[i]) i++;
        if (i < L) continue;
      }
      mark[recBase + rec] = 1;
      marked++;
    }
    return marked;
  }

  private end(key: number): number {
    return this.ends ? this.ends[2 * key + 1]! : this.offsets[key + 1]!;
  }
}

const varintBytes = (g: number): number => (g < 0x80 ? 1 : g < 0x4000 ? 2 : g < 0x200000 ? 3 : 4);

/** A varint of 2+ bytes whose first byte `first` is at `at` (under 2^28: the builder refuses more). */
function varint(data: Uint8Array, at: number, first: number): number {
  let v = first & 0x7f;
  let shift = 7;
  for (let o = at + 1; ; o++) {
    const b = data[o]!;
    v |= (b & 0x7f) << shift;
    if (!(b & 0x80)) return v;
    shift += 7;
  }
}

const EMPTY = new Int32Array(1);

/**
 * Builds a GramIndex over `sources` in steps (each returns by its deadline), so that the event
 * loop is never held: two passes over the haystacks, the first sizing every list, the second
 * writing it.
 */
export class GramBuilder {
  private pass = 0;
  private at = 0;
  /** per key: [last position, list size (first pass) or write cursor (second)] side by side */
  private state: Int32Array | null = new Int32Array(2 * KEYS);
  private offsets: Uint32Array | null = null;
  private data: Uint8Array | null = null;
  private readonly posBase: Float64Array;
  private readonly segs: Int32Array;
  private readonly serials: Float64Array;
  /** each source's character classes, from the first pass to the second */
  private readonly classes: Array<Uint8Array | null>;
  /** each source's blocks (first pass), then all of them in one array */
  private slotBlocks: Int32Array[] = [];
  private blocks: Int32Array | null = null;
  private readonly descIds: Int32Array[] = [];

  constructor(private readonly sources: readonly GramSource[]) {
    this.posBase = new Float64Array(sources.length + 1);
    this.segs = Int32Array.from(sources, (s) => s.seg);
    this.serials = Float64Array.from(sources, (s) => s.serial);
    this.classes = sources.map(() => null);
    for (let k = 0; k < KEYS; k++) this.state![2 * k] = -1;
  }

  /** While the second pass runs: an index of the slots it has written (null before). */
  partial(): GramIndex | null {
    if (this.pass !== 1 || this.at === 0) return null;
    return new GramIndex(this.segs, this.serials, this.posBase, this.blocks!, this.offsets!, this.data!, this.at, this.state, null);
  }

  /** Works until `deadline` (performance.now()); the index once it is complete, else null. */
  step(deadline: number): GramIndex | null {
    while (this.pass < 2) {
      if (this.at === this.sources.length) {
        if (this.pass === 0) this.startWriting();
        this.pass++;
        this.at = 0;
        continue;
      }
      const base = this.posBase[this.at]!;
      if (this.pass === 0) {
        const { hay, starts, descIds } = this.sources[this.at]!.text();
        this.descIds.push(descIds);
        // every slot starts at a block; the first pass lays them out
        const nb = Math.ceil(hay.length / BLOCK);
        this.posBase[this.at + 1] = base + nb * BLOCK;
        const blocks = new Int32Array(nb);
        for (let b = 0, r = 0; b < nb; b++) {
          while (starts[r + 1]! <= b * BLOCK) r++;
          blocks[b] = r;
        }
        this.slotBlocks.push(blocks);
        const cls = classes(hay);
        this.classes[this.at] = cls;
        this.size(cls, hay.length, base);
      } else {
        const cls = this.classes[this.at]!;
        this.classes[this.at] = null;
        this.write(cls, cls.length - 2, base);
      }
      this.at++;
      if (performance.now() >= deadline && this.at < this.sources.length) return null;
    }
    this.state = null;
    const descs = DescriptionPostings.build(this.descIds);
    return new GramIndex(this.segs, this.serials, this.posBase, this.blocks!, this.offsets!, this.data!, this.segs.length, null, descs);
  }

  private startWriting(): void {
    // gaps are read as 28-bit varints (GramIndex.scan)
    if (this.posBase[this.sources.length]! >= 2 ** 28) throw new RangeError('search haystacks too large to index');
    const state = this.state!;
    const offsets = new Uint32Array(KEYS + 1);
    let total = 0;
    for (let k = 0; k < KEYS; k++) {
      offsets[k] = total;
      total += state[2 * k + 1]!;
      state[2 * k] = -1;
      state[2 * k + 1] = offsets[k]!;
    }
    offsets[KEYS] = total;
    this.offsets = offsets;
    this.blocks = new Int32Array(this.posBase[this.sources.length]! / BLOCK);
    let b = 0;
    for (const part of this.slotBlocks) {
      this.blocks.set(part, b);
      b += part.length;
    }
    this.slotBlocks = [];
    this.data = new Uint8Array(total);
  }

  private size(cls: Uint8Array, m: number, h0: number): void {
    const state = this.state!;
    for (let j = 0; j < m; j++) {
      // no needle holds a separator: a trigram that starts with one, or has one second, is never asked for
      if (cls[j] === 0 || cls[j + 1] === 0) continue;
      const key = 2 * ((cls[j]! * CLASSES + cls[j + 1]!) * CLASSES + cls[j + 2]!);
      const h = h0 + j;
      const g = h - state[key]!;
      state[key] = h;
      state[key + 1]! += varintBytes(g);
    }
  }

  private write(cls: Uint8Array, m: number, h0: number): void {
    const state = this.state!;
    const data = this.data!;
    for (let j = 0; j < m; j++) {
      if (cls[j] === 0 || cls[j + 1] === 0) continue;
      const key = 2 * ((cls[j]! * CLASSES + cls[j + 1]!) * CLASSES + cls[j + 2]!);
      const h = h0 + j;
      let g = h - state[key]!;
      state[key] = h;
      let o = state[key + 1]!;
      while (g >= 0x80) {
        data[o++] = (g & 0x7f) | 0x80;
        g >>>= 7;
      }
      data[o++] = g;
      state[key + 1] = o;
    }
  }
}

/** The class of each character of `hay`, and two separators past its end. */
function classes(hay: string): Uint8Array {
  const m = hay.length;
  const out = new Uint8Array(m + 2);
  for (let j = 0; j < m; j++) {
    const c = hay.charCodeAt(j);
    out[j] = c < 128 ? CLASS[c]! : NON_ASCII;
  }
  return out;
}
