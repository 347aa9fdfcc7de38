// One query over the unlocked index's segments (key-index.ts): which keys match, how many, and one
// page of them, without sorting the matches in name order.
//
// Matching: a key matches a search through its description (the index's dictionary of distinct
// descriptions, text-dictionary.ts, searched once) or through its name, public part or fingerprint
// (the trigram index, search-grams.ts, for the segments it covers; a scan of the segment's
// haystack for the others). Either way the result is one byte per key in a shared array, so
// counting is a pass over typed arrays. Each segment keeps its keys in name order, so a page in
// name order is a k-way merge of the segments that stops after offset + limit keys.
import { fromTuple, type KeyTuple as Tuple } from './key-tuple';
import { F_ENV, F_FP, F_NAME, F_PUB, F_WS, type PackedSegment, SEP } from './packed-segment';
import type { GramIndex, LiveSlot } from './search-grams';
import type { SortOrders } from './search-orders';
import type { TextDictionary } from './text-dictionary';
import type { KeyPage, KeyQuery } from './types';

export interface QuerySources {
  /** the non-empty segments, in segment order */
  readonly segs: readonly number[];
  readonly views: readonly PackedSegment[];
  readonly dict: TextDictionary;
  readonly grams: GramIndex | null;
  readonly orders: SortOrders;
}

export interface QueryResult {
  page: KeyPage;
  /** segments the trigram index does not cover (yet): a search scans them */
  scanned: number;
}

/** One byte per key, shared by every query (one runs at a time). */
let marks = new Uint8Array(1024);
function zeroedMarks(n: number): Uint8Array {
  if (marks.length < n) marks = new Uint8Array(Math.max(n, marks.length * 2));
  const m = marks.subarray(0, n);
  m.fill(0);
  return m;
}

export function runQuery(src: QuerySources, q: KeyQuery, workspaceOfProvider?: (provider: string) => Set<string>): QueryResult {
  const { views, dict } = src;
  const sort = q.sort ?? 'name';
  const desc = q.order === 'desc';
  const needle = (q.search ?? '').trim().toLowerCase().replaceAll(SEP, '');
  const wsAllowed = q.provider && workspaceOfProvider ? workspaceOfProvider(q.provider) : undefined;
  const byPlace = q.workspaceId !== undefined || q.environmentId !== undefined || wsAllowed !== undefined;
  const filtered = byPlace || q.kind !== undefined || q.state !== undefined;
  const keep = (p: PackedSegment, i: number): boolean => {
    if (q.kind !== undefined && p.kind(i) !== q.kind) return false;
    if (q.state !== undefined && p.state(i) !== q.state) return false;
    if (!byPlace) return true;
    const ws = p.str(i, F_WS);
    return (
      (q.workspaceId === undefined || ws === q.workspaceId) &&
      (q.environmentId === undefined || p.str(i, F_ENV) === q.environmentId) &&
      (wsAllowed === undefined || (ws !== null && wsAllowed.has(ws)))
    );
  };

  const bases = new Int32Array(views.length + 1);
  for (let j = 0; j < views.length; j++) bases[j + 1] = bases[j]! + views[j]!.n;
  let scanned = 0;
  // one byte per key, 1 = it matches (search and filters); null = every key matches
  let mark: Uint8Array | null = null;
  let marked = 0;
  if (needle || filtered) mark = zeroedMarks(bases[views.length]!);
  if (needle) {
    for (const p of views) p.warmSearch(dict); // before hits(): warming adds descriptions
    const text = markText(src, needle, bases, mark!, dict.hits(needle));
    scanned = text.scanned;
    marked = text.marked;
  }

  // count, and note each segment's first and last match (where the merge starts)
  const first = new Int32Array(views.length);
  const last = new Int32Array(views.length);
  let total = 0;
  for (let j = 0; j < views.length; j++) {
    const p = views[j]!;
    let c = p.n;
    if (mark) {
      const base = bases[j]!;
      if (filtered) c = resolveFilter(mark, base, p, !needle, keep);
      const own = mark.subarray(base, base + p.n);
      first[j] = c === 0 ? -1 : own.indexOf(1);
      last[j] = first[j]! < 0 ? -1 : own.lastIndexOf(1);
    } else {
      first[j] = p.n > 0 ? 0 : -1;
      last[j] = p.n - 1;
    }
    total += c;
  }
  if (needle && !filtered) total = marked; // every mark a match, counted as they were set
  const offset = Math.max(0, q.offset ?? 0);
  const limit = Math.max(0, q.limit ?? Number.MAX_SAFE_INTEGER);
  const want = Math.min(total, offset + limit);
  const page: Tuple[] = [];
  const matches = (j: number, i: number): boolean => mark === null || mark[bases[j]! + i] === 1;
  if (sort === 'name') mergeByName(views, first, last, matches, desc, offset, want, page);
  else {
    // along the kept order of every key (search-orders.ts): the first matches are the page
    const order = src.orders.order(sort, views, bases);
    const n = order.length;
    let taken = 0;
    for (let k = desc ? n - 1 : 0; k >= 0 && k < n && taken < want; k += desc ? -1 : 1) {
      const g = order[k]!;
      if (mark !== null && mark[g] !== 1) continue;
      if (taken++ < offset) continue;
      let lo = 0; // the segment holding key g
      let hi = views.length;
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if (bases[mid]! <= g) lo = mid;
        else hi = mid;
      }
      page.push(views[lo]!.tuple(g - bases[lo]!));
    }
  }
  return { page: { total, items: page.map(fromTuple) }, scanned };
}

/** Adds description matches to one segment's marks; returns how many marks it set. */
function markDescriptions(mark: Uint8Array, base: number, n: number, descIds: Int32Array, hits: Uint8Array): number {
  let c = 0;
  for (let i = 0; i < n; i++) {
    const was = mark[base + i]!;
    const m = was | hits[descIds[i]!]!;
    mark[base + i] = m;
    c += m - was;
  }
  return c;
}

/** Applies the filters to one segment's marks (all keys when `all`); returns how many keys match. */
function resolveFilter(
  mark: Uint8Array,
  base: number,
  p: PackedSegment,
  all: boolean,
  keep: (p: PackedSegment, i: number) => boolean,
): number {
  let c = 0;
  for (let i = 0; i < p.n; i++) {
    const m = (all || mark[base + i] === 1) && keep(p, i) ? 1 : 0;
    mark[base + i] = m;
    c += m;
  }
  return c;
}

/**
 * Marks the keys whose name, public part or fingerprint holds `needle`, or whose description does
 * (`hits`: by description id): how many it marked, and how many segments the trigram index does
 * not cover.
 */
function markText(
  src: QuerySources,
  needle: string,
  bases: Int32Array,
  mark: Uint8Array,
  hits: Uint8Array,
): { scanned: number; marked: number } {
  let marked = 0;
  const { views, dict, grams } = src;
  // the index's slots whose segment is still the version it indexed
  const covered = new Uint8Array(views.length);
  const live: Array<LiveSlot | null> = [];
  if (grams) {
    const where = new Map<number, number>();
    src.segs.forEach((seg, j) => where.set(seg, j));
    for (let s = 0; s < grams.slots; s++) {
      const j = where.get(grams.segs[s]!);
      const p = j === undefined ? undefined : views[j]!;
      if (j === undefined || !p || p.serial !== grams.serials[s]) {
        live.push(null);
        continue;
      }
      const { hay, starts } = p.searchHay;
      live.push({ hay, starts, n: p.n, recBase: bases[j]! });
      covered[j] = 1;
    }
  }
  // what the index does not cover: a rebuild is due (whether or not this needle used the index)
  const scanned = views.length - covered.reduce((a, b) => a + b, 0);
  if (needle.includes('\n')) {
    // the haystack joins a key's fields with '\n': such a needle is checked field by field
    views.forEach((p, j) => {
      for (let i = 0; i < p.n; i++) {
        if ([F_NAME, F_PUB, F_FP].some((f) => p.str(i, f)?.toLowerCase().includes(needle))) {
          mark[bases[j]! + i] = 1;
          marked++;
        }
      }
    });
  } else {
    const useGrams = grams !== null && needle.length >= 2;
    if (useGrams) marked += grams.mark(needle, live, mark);
    views.forEach((p, j) => {
      if (useGrams && covered[j]) return;
      marked += p.markHay(needle, mark, bases[j]!, dict);
    });
  }
  if (hits.indexOf(1) >= 0) {
    const byPostings = grams?.descs ? grams.descs.mark(hits, live, mark) : -1;
    if (byPostings >= 0) marked += byPostings;
    views.forEach((p, j) => {
      if (byPostings < 0 || !covered[j]) marked += markDescriptions(mark, bases[j]!, p.n, p.descriptionIds, hits);
    });
  }
  return { scanned, marked };
}

/** A cursor over one segment's matches, for the k-way merge. */
interface Run {
  j: number;
  p: PackedSegment;
  at: number;
}

function mergeByName(
  views: readonly PackedSegment[],
  first: Int32Array,
  last: Int32Array,
  matches: (j: number, i: number) => boolean,
  desc: boolean,
  offset: number,
  want: number,
  page: Tuple[],
): void {
  const step = desc ? -1 : 1;
  // moves a run to its next match; false when it has none left
  const advance = (r: Run): boolean => {
    const end = desc ? first[r.j]! : last[r.j]!;
    while (r.at !== end) {
      r.at += step;
      if (matches(r.j, r.at)) return true;
    }
    return false;
  };
  const heap: Run[] = [];
  if (want === 0) return;
  views.forEach((p, j) => {
    if (first[j]! >= 0) heap.push({ j, p, at: desc ? last[j]! : first[j]! });
  });
  const before = (a: Run, b: Run) => {
    const x = a.p.lowerName(a.at);
    const y = b.p.lowerName(b.at);
    const c = x < y ? -1 : x > y ? 1 : a.p.id(a.at) < b.p.id(b.at) ? -1 : 1;
    return desc ? c > 0 : c < 0;
  };
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
    if (n >= offset) page.push(top.p.tuple(top.at));
    if (!advance(top)) {
      heap[0] = heap[heap.length - 1]!;
      heap.pop();
    }
    if (heap.length > 0) down(0);
  }
}
