// Random key indexes and a plain reference for search tests: every key's fields lower-cased and
// checked with includes, the filters applied one by one, the matches sorted with a full sort.
import { KeyIndex } from './key-index';
import { toTuple } from './key-tuple';
import { PackedSegment } from './packed-segment';
import { KEY_KINDS, KEY_STATES, type KeyQuery, type KeyRecord } from './types';

/** A small deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// characters whose lower case is longer (İ), shared by other letters (K, Kelvin sign), contextual
// (Σ), outside the BMP (🔑), or rare ASCII that the trigram index puts in one class (~, #)
const ALPHABET = [
  'a',
  'b',
  'e',
  'o',
  'n',
  'r',
  's',
  '-',
  '_',
  '.',
  ' ',
  '1',
  '7',
  'A',
  'B',
  'K',
  'İ',
  'ß',
  'é',
  'Σ',
  '\u212a',
  '🔑',
  '~',
  '#',
  ':',
  '@',
];
const WORDS = ['billing', 'deploy', 'Read-Only', 'İstanbul', 'ops', 'sync', 'ssh-ed25519', 'on-call', 'ΟΔΟΣ'];
export const WORKSPACES = ['ws-a', 'ws-b', 'ws-c'];
export const ENVIRONMENTS = ['env-1', 'env-2'];

export function randomText(r: () => number, min: number, max: number): string {
  const n = min + Math.floor(r() * (max - min + 1));
  let s = '';
  while (s.length < n) s += r() < 0.25 ? WORDS[Math.floor(r() * WORDS.length)]! : ALPHABET[Math.floor(r() * ALPHABET.length)]!;
  return s;
}

export function randomRecord(r: () => number, i: number): KeyRecord {
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
  const time = (d: number) => new Date(Date.UTC(2024, 0, 1) + d * 3_600_000).toISOString();
  return {
    id: `k${i.toString().padStart(6, '0')}`,
    workspaceId: r() < 0.2 ? null : pick(WORKSPACES),
    environmentId: r() < 0.5 ? null : pick(ENVIRONMENTS),
    kind: pick(KEY_KINDS),
    // unique, so that every sort order is total
    name: `${randomText(r, 0, 14)}#${i}`,
    description:
      r() < 0.3 ? '' : r() < 0.7 ? pick(['deploy key for Billing', 'owned by the ops team', 'İstanbul on-call']) : randomText(r, 1, 30),
    state: pick(KEY_STATES),
    remoteId: null,
    flags: {},
    role: null,
    publicPart: r() < 0.5 ? null : `ssh-ed25519 ${randomText(r, 0, 40)}`,
    fingerprint: r() < 0.6 ? null : `SHA256:${randomText(r, 0, 20)}`,
    meta: {},
    remoteMissing: false,
    createdAt: time(Math.floor(r() * 50)),
    updatedAt: time(60),
    rotatedAt: r() < 0.4 ? null : time(Math.floor(r() * 50)),
    hasSecret: true,
  };
}

/** An index of `records` in segments of at most `perSegment` keys, as unlock loads it. */
export function indexOf(records: KeyRecord[], perSegment: number): KeyIndex {
  const index = new KeyIndex();
  for (let s = 0; s * perSegment < records.length; s++) {
    const tuples = records.slice(s * perSegment, (s + 1) * perSegment).map(toTuple);
    index.loadSegment(s, 1, PackedSegment.decode(PackedSegment.encode(tuples), s));
  }
  return index;
}

export const providerWorkspaces = (p: string): Set<string> => new Set(p === 'github' ? ['ws-a', 'ws-c'] : ['ws-b']);

/** What the query must answer: its total and the ids of its page. */
export function reference(records: readonly KeyRecord[], q: KeyQuery): { total: number; ids: string[] } {
  const needle = (q.search ?? '').trim().toLowerCase().replaceAll('\u0000', '');
  const ws = q.provider ? providerWorkspaces(q.provider) : null;
  const hits = records.filter(
    (k) =>
      (!needle || [k.name, k.description, k.publicPart, k.fingerprint].some((f) => f !== null && f.toLowerCase().includes(needle))) &&
      (q.kind === undefined || k.kind === q.kind) &&
      (q.state === undefined || k.state === q.state) &&
      (q.workspaceId === undefined || k.workspaceId === q.workspaceId) &&
      (q.environmentId === undefined || k.environmentId === q.environmentId) &&
      (ws === null || (k.workspaceId !== null && ws.has(k.workspaceId))),
  );
  const sort = q.sort ?? 'name';
  const value = (k: KeyRecord): string | number | null =>
    sort === 'createdAt'
      ? Date.parse(k.createdAt)
      : sort === 'rotatedAt'
        ? k.rotatedAt && Date.parse(k.rotatedAt)
        : sort === 'kind'
          ? k.kind
          : k.state;
  hits.sort((a, b) => {
    let c: number;
    if (sort === 'name') {
      const x = a.name.toLowerCase();
      const y = b.name.toLowerCase();
      c = x < y ? -1 : x > y ? 1 : a.id < b.id ? -1 : 1;
    } else {
      const x = value(a);
      const y = value(b);
      c = x === y ? 0 : x === null ? -1 : y === null ? 1 : x < y ? -1 : 1;
      if (c === 0) c = a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
    }
    return q.order === 'desc' ? -c : c;
  });
  const offset = Math.max(0, q.offset ?? 0);
  const limit = q.limit ?? Number.MAX_SAFE_INTEGER;
  return { total: hits.length, ids: hits.slice(offset, offset + limit).map((k) => k.id) };
}

/** A needle as an admin might type it: part of some key's field (any case), or noise. */
export function randomNeedle(r: () => number, records: readonly KeyRecord[]): string {
  const x = r();
  if (x < 0.05) return '';
  if (x < 0.1) return randomText(r, 40, 60); // longer than any field
  if (x < 0.25) return randomText(r, 1, 4);
  const k = records[Math.floor(r() * records.length)]!;
  const fields = [k.name, k.description, k.publicPart ?? k.name, k.fingerprint ?? k.name];
  const f = fields[Math.floor(r() * fields.length)]!;
  const from = Math.floor(r() * f.length);
  const part = f.slice(from, from + 1 + Math.floor(r() * 9));
  return r() < 0.3 ? part.toUpperCase() : r() < 0.1 ? ` ${part} ` : part;
}

/** A random query: search, filters, order and page. */
export function randomQuery(r: () => number, records: readonly KeyRecord[]): KeyQuery {
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
  const q: KeyQuery = { search: randomNeedle(r, records) };
  if (r() < 0.15) q.kind = pick(KEY_KINDS);
  if (r() < 0.15) q.state = pick(KEY_STATES);
  if (r() < 0.1) q.workspaceId = pick(WORKSPACES);
  if (r() < 0.1) q.environmentId = pick(ENVIRONMENTS);
  if (r() < 0.05) q.provider = pick(['github', 'rancher'] as const);
  if (r() < 0.3) q.sort = pick(['name', 'createdAt', 'rotatedAt', 'kind', 'state'] as const);
  if (r() < 0.4) q.order = pick(['asc', 'desc'] as const);
  if (r() < 0.3) q.offset = Math.floor(r() * records.length * 0.3);
  q.limit = r() < 0.1 ? undefined : Math.floor(r() * 60);
  return q;
}
