// The decrypted key index: every key's metadata in memory while unlocked, kept as segments of up to
// SEGMENT_SIZE keys, each sealed as ONE blob in index_segments. Unlock opens a few hundred large
// boxes (secretbox runs ~80 MB/s but only ~150k small boxes/s); a write re-seals only the segments
// it touched.
//
// Unlock speed: a segment's plaintext is columnar (packed-segment.ts), so 100,000 keys cost a few
// hundred strings, not millions of objects.
//
// Query speed without a global sort: each segment keeps its keys in name order, and a page in name
// order is a k-way merge of the segments' matches (key-query.ts). Search looks names, public parts
// and fingerprints up in a trigram index (search-grams.ts, kept by search-keeper.ts) and scans the
// lower-cased haystack of a segment the index does not cover yet.
import { KeyholdError } from '../errors';
import { runQuery } from './key-query';
import type { KeyTuple as Tuple } from './key-tuple';
import { PackedSegment, sortByName } from './packed-segment';
import type { GramSource } from './search-grams';
import { GramKeeper } from './search-keeper';
import { SortOrders } from './search-orders';
import { TextDictionary } from './text-dictionary';
import type { KeyPage, KeyQuery } from './types';

export const SEGMENT_SIZE = 512;

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

export class KeyIndex {
  private readonly segments = new Map<number, Segment>();
  /** id -> segment, built at the first lookup by id (unlock does not need it) */
  private segOf: Map<string, number> | null = null;
  private maxSeg = -1;
  /** seg -> rev of the stored copy this memory reflects */
  readonly revs = new Map<number, number>();
  /** the distinct descriptions, searched once per query for every segment */
  private readonly descriptions = new TextDictionary();
  /** every key in each order other than by name, while no segment changes (search-orders.ts) */
  private readonly orders = new SortOrders();
  /** the trigram index of names, public parts and fingerprints (search-grams.ts) */
  private readonly grams = new GramKeeper(() => {
    const out: GramSource[] = [];
    for (const seg of this.segmentIds()) {
      const s = this.segments.get(seg)!;
      if (s.size === 0) continue;
      const p = s.view();
      out.push({ seg, serial: p.serial, text: () => (p.warmSearch(this.descriptions), p.searchHay) });
    }
    return out;
  });

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
        if (this.segOf.has(id))
          throw new KeyholdError('INTEGRITY', `The vault is damaged or tampered with: a key appears twice in the index.`);
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

  /** Asks for the search index, built in the background with each segment's haystack (after
   * unlock; writes ask again through query()). */
  prepareSearch(): void {
    if (!this.grams.current) this.grams.request();
  }

  query(q: KeyQuery, workspaceOfProvider?: (provider: string) => Set<string>): KeyPage {
    const segs: number[] = [];
    const views: PackedSegment[] = [];
    for (const seg of this.segmentIds()) {
      const s = this.segments.get(seg)!;
      if (s.size === 0) continue;
      segs.push(seg);
      views.push(s.view());
    }
    // a search before the background build got far scans what the index does not cover yet (as a
    // CLI command, which asks for no index, always does): never a build of the whole index on the
    // event loop
    const grams = this.grams.current;
    const { page, scanned } = runQuery({ segs, views, dict: this.descriptions, grams, orders: this.orders }, q, workspaceOfProvider);
    // segments the index does not cover (new, or changed by writes): index them in the background
    if (scanned > 0 || (!grams && q.search)) this.grams.request();
    return page;
  }

  /** Builds the trigram index of every segment now (tests; normally it is built in the background). */
  indexSearchNow(): void {
    this.grams.buildNow();
  }

  /** The trigram index covers every segment as it is now (a search scans none). */
  get searchIndexReady(): boolean {
    const g = this.grams.current;
    if (!g || g.slots < g.segs.length) return false;
    const at = new Map<number, number>();
    for (let s = 0; s < g.slots; s++) at.set(g.segs[s]!, g.serials[s]!);
    for (const [seg, s] of this.segments) if (s.size > 0 && at.get(seg) !== s.view().serial) return false;
    return true;
  }

  /** Memory the trigram index holds, in bytes. */
  get searchIndexBytes(): number {
    return this.grams.bytes;
  }

  /** Drops every decrypted value. */
  clear(): void {
    this.grams.clear();
    this.orders.clear();
    this.segments.clear();
    this.descriptions.clear();
    this.segOf = null;
    this.maxSeg = -1;
    this.revs.clear();
  }
}
