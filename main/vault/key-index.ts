// The decrypted key index: every key's metadata in memory while unlocked, kept as segments of up
// to SEGMENT_SIZE keys, each sealed as ONE blob in index_segments. Unlock opens a few dozen large
// boxes (secretbox runs ~80 MB/s but only ~150k small boxes/s), search is a scan over
// precomputed lower-case haystacks, and a write re-seals only the segments it touched.
import { KeyholdError } from '../errors';
import { fromTuple, KeyTuple, type KeyTuple as Tuple } from './records';
import type { KeyPage, KeyQuery, KeyRecord } from './types';

export const SEGMENT_SIZE = 1024;

interface Entry {
  t: Tuple;
  seg: number;
  /** name, description, public part, fingerprint, lower-cased, for search */
  hay: string;
  /** lower-cased name, for sorting */
  sortName: string;
}

function hayOf(t: Tuple): string {
  return `${t[4]}\n${t[5]}\n${t[10] ?? ''}\n${t[11] ?? ''}`.toLowerCase();
}

export function parseSegment(json: string, seg: number): Tuple[] {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new KeyholdError('INTEGRITY', `The vault is damaged: index segment ${seg} is not valid.`);
  }
  if (!Array.isArray(raw)) throw new KeyholdError('INTEGRITY', `The vault is damaged: index segment ${seg} is not valid.`);
  return raw.map((item) => {
    const r = KeyTuple.safeParse(item);
    if (!r.success) throw new KeyholdError('INTEGRITY', `The vault is damaged: index segment ${seg} holds a malformed key.`);
    return r.data;
  });
}

export class KeyIndex {
  private readonly byId = new Map<string, Entry>();
  private readonly segments = new Map<number, Set<string>>();
  /** seg -> rev of the stored copy this memory reflects */
  readonly revs = new Map<number, number>();
  private sortedByName: Entry[] | null = null;

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
    return [...this.segments.keys()];
  }

  /** Replaces one segment's content with what was read from disk. */
  loadSegment(seg: number, rev: number, tuples: Tuple[]): void {
    this.dropSegment(seg);
    const ids = new Set<string>();
    for (const t of tuples) {
      ids.add(t[0]);
      this.byId.set(t[0], { t, seg, hay: hayOf(t), sortName: t[4].toLowerCase() });
    }
    this.segments.set(seg, ids);
    this.revs.set(seg, rev);
    this.sortedByName = null;
  }

  dropSegment(seg: number): void {
    const ids = this.segments.get(seg);
    if (ids) for (const id of ids) this.byId.delete(id);
    this.segments.delete(seg);
    this.revs.delete(seg);
    this.sortedByName = null;
  }

  /** The segment a new key goes to: the last one with room, else a new one. */
  segmentForNew(): number {
    let max = -1;
    for (const s of this.segments.keys()) if (s > max) max = s;
    if (max >= 0 && this.segments.get(max)!.size < SEGMENT_SIZE) return max;
    return max + 1;
  }

  put(t: Tuple, seg: number): void {
    const old = this.byId.get(t[0]);
    if (old && old.seg !== seg) this.segments.get(old.seg)?.delete(t[0]);
    let ids = this.segments.get(seg);
    if (!ids) {
      ids = new Set();
      this.segments.set(seg, ids);
    }
    ids.add(t[0]);
    this.byId.set(t[0], { t, seg, hay: hayOf(t), sortName: t[4].toLowerCase() });
    this.sortedByName = null;
  }

  remove(id: string): number | undefined {
    const e = this.byId.get(id);
    if (!e) return undefined;
    this.byId.delete(id);
    this.segments.get(e.seg)?.delete(id);
    this.sortedByName = null;
    return e.seg;
  }

  segmentTuples(seg: number): Tuple[] {
    const ids = this.segments.get(seg);
    if (!ids) return [];
    const out: Tuple[] = [];
    for (const id of ids) out.push(this.byId.get(id)!.t);
    return out;
  }

  segmentSize(seg: number): number {
    return this.segments.get(seg)?.size ?? 0;
  }

  private byName(): Entry[] {
    if (!this.sortedByName) {
      const all = [...this.byId.values()];
      all.sort((a, b) => (a.sortName < b.sortName ? -1 : a.sortName > b.sortName ? 1 : a.t[0] < b.t[0] ? -1 : 1));
      this.sortedByName = all;
    }
    return this.sortedByName;
  }

  /** Builds the name order now (unlock calls this so the first page needs no sort). */
  warm(): void {
    this.byName();
  }

  query(q: KeyQuery, workspaceOfProvider?: (provider: string) => Set<string>): KeyPage {
    const sort = q.sort ?? 'name';
    const desc = q.order === 'desc';
    const needle = q.search?.trim().toLowerCase() ?? '';
    const wsAllowed = q.provider && workspaceOfProvider ? workspaceOfProvider(q.provider) : undefined;
    const match = (e: Entry): boolean => {
      const t = e.t;
      if (q.workspaceId !== undefined && t[1] !== q.workspaceId) return false;
      if (q.environmentId !== undefined && t[2] !== q.environmentId) return false;
      if (q.kind !== undefined && t[3] !== q.kind) return false;
      if (q.state !== undefined && t[6] !== q.state) return false;
      if (wsAllowed && (t[1] === null || !wsAllowed.has(t[1]))) return false;
      if (needle && !e.hay.includes(needle)) return false;
      return true;
    };
    let list: Entry[];
    if (sort === 'name') {
      list = this.byName().filter(match);
      if (desc) list.reverse();
    } else {
      list = [...this.byId.values()].filter(match);
      const col = sort === 'createdAt' ? 14 : sort === 'rotatedAt' ? 16 : sort === 'kind' ? 3 : 6;
      list.sort((a, b) => {
        const x = a.t[col] as string | number | null;
        const y = b.t[col] as string | number | null;
        let c = x === y ? 0 : x === null ? -1 : y === null ? 1 : x < y ? -1 : 1;
        if (c === 0) c = a.sortName < b.sortName ? -1 : a.sortName > b.sortName ? 1 : 0;
        return desc ? -c : c;
      });
    }
    const offset = Math.max(0, q.offset ?? 0);
    const limit = Math.max(0, q.limit ?? list.length);
    return { total: list.length, items: list.slice(offset, offset + limit).map((e) => fromTuple(e.t)) };
  }

  /** Drops every decrypted value. */
  clear(): void {
    this.byId.clear();
    this.segments.clear();
    this.revs.clear();
    this.sortedByName = null;
  }
}
