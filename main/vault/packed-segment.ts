// The packed (columnar) plaintext of one index segment: one UTF-8 text of all its keys' fields and
// a table of their lengths. Unlock decodes that text into ONE string per segment and makes no
// per-key objects; a key's tuple is built only when something asks for that key. Search scans one
// lower-cased haystack string per segment with indexOf (native, fast) instead of calling
// includes() per key; the searchable fields lie first in the text, so that haystack is the
// lower-cased head of it.
import { KeyholdError } from '../errors';
import type { KeyTuple as Tuple } from './key-tuple';
import type { TextDictionary } from './text-dictionary';
import { KEY_KINDS, KEY_STATES } from './types';

export const SEP = '\u0000';

const isRecordOf = (v: unknown, type: 'string' | 'boolean') =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === type);

// ---- the packed (columnar) segment ---------------------------------------------------------------
//
// plaintext: u8 version (1) | u32le n | u8 kind[n] | u8 state[n] | u8 bits[n] (1 remoteMissing,
// 2 hasSecret) | f64le times[3n] (created, updated, rotated; NaN = null) | i32le len[n * FIELDS]
// (UTF-16 units, -1 = null) | UTF-8 text. The text holds first every record's searchable fields,
// each followed by '\n' (the record's last by '\0'), then every record's other fields, unseparated.
const PACKED_V1 = 1;
export const F_NAME = 0;
const F_DESC = 1;
export const F_PUB = 2;
export const F_FP = 3;
const SEARCHABLE = 4;
const F_ID = 4;
export const F_WS = 5;
export const F_ENV = 6;
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

let nextSerial = 1;

/** A segment's keys (in name order) as stored: fields are cut from one string on demand. */
export class PackedSegment {
  /** tells this version of a segment from any other (the trigram index records what it covers) */
  readonly serial = nextSerial++;
  private hay: string | null = null;
  private hayStarts: Int32Array | null = null;
  /** each record's description, as an id in the index's dictionary */
  private descIds: Int32Array | null = null;
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
      const fields: Array<string | null> = [
        t[4],
        t[5],
        t[10],
        t[11],
        t[0],
        t[1],
        t[2],
        t[7],
        t[9],
        JSON.stringify(t[8]),
        JSON.stringify(t[12]),
      ];
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

  /**
   * Builds the search haystack now (after unlock, in the background) rather than at the first
   * search: each record's lower-cased name, public part and fingerprint; its description goes to
   * the index's dictionary (text-dictionary.ts) and the record keeps that description's id.
   */
  warmSearch(dict: TextDictionary): void {
    if (this.hay !== null) return;
    const head = this.text.slice(0, this.headEnd);
    const lowerAll = head.toLowerCase();
    const same = lowerAll.length === head.length; // else lower-case piece by piece so that offsets hold
    const low = (from: number, to: number) => (same ? lowerAll.slice(from, to) : head.slice(from, to).toLowerCase());
    const starts = new Int32Array(this.n + 1);
    const descIds = new Int32Array(this.n);
    const parts: string[] = [];
    let at = 0;
    for (let i = 0; i < this.n; i++) {
      const o = i * FIELDS;
      const end = i + 1 < this.n ? this.off[o + FIELDS]! : this.headEnd;
      const name = low(this.off[o + F_NAME]!, this.off[o + F_DESC]!); // name and its '\n'
      const rest = low(this.off[o + F_PUB]!, end); // public part '\n' fingerprint '\0'
      starts[i] = at;
      at += name.length + rest.length;
      parts.push(name, rest);
      descIds[i] = dict.id(low(this.off[o + F_DESC]!, this.off[o + F_DESC]! + Math.max(0, this.len[o + F_DESC]!)));
    }
    starts[this.n] = at;
    const hay = parts.join('');
    const freq = new Uint32Array(128);
    for (let j = 0; j < hay.length; j++) {
      const c = hay.charCodeAt(j);
      if (c < 128) freq[c]!++;
    }
    this.hay = hay;
    this.hayStarts = starts;
    this.descIds = descIds;
    this.freq = freq;
  }

  /** The haystack and its record starts, built by warmSearch. */
  get searchHay(): { hay: string; starts: Int32Array; descIds: Int32Array } {
    return { hay: this.hay!, starts: this.hayStarts!, descIds: this.descIds! };
  }

  /** Each record's description id in the dictionary (warmSearch must have run). */
  get descriptionIds(): Int32Array {
    return this.descIds!;
  }

  /**
   * Sets mark[base + i] for every key i whose name, public part or fingerprint contains `needle`
   * (lower-cased, not empty) by scanning this segment's haystack: the way for a segment the
   * trigram index (search-grams.ts) does not cover yet. Descriptions are the dictionary's.
   * Returns how many marks it set (that were not set before).
   */
  markHay(needle: string, mark: Uint8Array, base: number, dict: TextDictionary): number {
    let marked = 0;
    this.warmSearch(dict);
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
      if (mark[base + rec] === 0) marked++;
      mark[base + rec] = 1;
      pos = hay.indexOf(sub, starts[rec + 1]! + k);
    }
    return marked;
  }
}

export function sortByName(tuples: Tuple[]): Tuple[] {
  const withNames = tuples.map((t): [string, Tuple] => [t[4].toLowerCase(), t]);
  withNames.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1][0] < b[1][0] ? -1 : a[1][0] > b[1][0] ? 1 : 0));
  return withNames.map((x) => x[1]);
}
