// Search over the in-memory index against a plain reference (every key's fields, lower-cased,
// checked with includes): the same count and the same page in name order, whether a key matches
// by its name, its description (shared by many keys, kept once in the index's dictionary), its
// public part or its fingerprint, and after writes that add new descriptions.
import { describe, expect, it } from 'vitest';
import { KeyIndex } from './key-index';
import { PackedSegment } from './packed-segment';
import { toTuple } from './key-tuple';
import type { KeyRecord } from './types';

const TEAMS = ['platform team', 'Data team', 'İstanbul ops', 'web'];

function record(i: number): KeyRecord {
  return {
    id: `k${i.toString().padStart(5, '0')}`,
    workspaceId: null,
    environmentId: null,
    kind: i % 2 ? 'api_key' : 'ssh_key_pair',
    name: `${['billing', 'Search', 'ingest'][i % 3]}-${i.toString(36)}`,
    description: i % 9 ? `deploy key for ${TEAMS[i % 4]}` : '',
    state: 'active',
    remoteId: null,
    flags: {},
    role: null,
    publicPart: i % 2 ? null : `ssh-ed25519 AAAA${(i * 7919).toString(36)} team@host`,
    fingerprint: i % 5 ? null : `SHA256:Fp${i}`,
    meta: {},
    remoteMissing: false,
    createdAt: '2024-01-01T00:00:00.000Z',
    updatedAt: '2024-01-01T00:00:00.000Z',
    rotatedAt: null,
    hasSecret: true,
  };
}

function reference(records: KeyRecord[], needle: string, limit: number) {
  const n = needle.toLowerCase();
  const hits = records
    .filter((r) => [r.name, r.description, r.publicPart, r.fingerprint].some((f) => f !== null && f.toLowerCase().includes(n)))
    .sort((a, b) => {
      const x = a.name.toLowerCase();
      const y = b.name.toLowerCase();
      return x < y ? -1 : x > y ? 1 : a.id < b.id ? -1 : 1;
    });
  return { total: hits.length, ids: hits.slice(0, limit).map((r) => r.id) };
}

function indexOf(records: KeyRecord[], perSegment: number): KeyIndex {
  const index = new KeyIndex();
  for (let s = 0; s * perSegment < records.length; s++) {
    const tuples = records.slice(s * perSegment, (s + 1) * perSegment).map(toTuple);
    index.loadSegment(s, 1, PackedSegment.decode(PackedSegment.encode(tuples), s));
  }
  return index;
}

const NEEDLES = [
  'team',
  'deploy key for data',
  'İstanbul',
  'istanbul',
  'ing',
  'search-1',
  'team@host',
  'sha256:fp1',
  'y f',
  'zzz',
  'web',
  'r w',
];

describe('key index search', () => {
  it('counts and pages every match by name, description, public part or fingerprint like a plain scan', () => {
    const records = Array.from({ length: 1500 }, (_, i) => record(i));
    const index = indexOf(records, 200);
    index.prepareSearch();
    for (const needle of NEEDLES) {
      const page = index.query({ search: needle, limit: 30 });
      expect({ needle, total: page.total, ids: page.items.map((k) => k.id) }).toEqual({ needle, ...reference(records, needle, 30) });
    }
  });

  it('finds descriptions written after the index was searched', () => {
    const records = Array.from({ length: 600 }, (_, i) => record(i));
    const index = indexOf(records, 256);
    expect(index.query({ search: 'rotated by ci', limit: 10 }).total).toBe(0);
    const changed = { ...records[5]!, description: 'Rotated by CI nightly' };
    records[5] = changed;
    index.put(toTuple(changed), index.segmentOf(changed.id)!);
    const added = { ...record(9999), description: 'also rotated by ci' };
    records.push(added);
    index.put(toTuple(added), index.segmentForNew());
    for (const needle of ['rotated by ci', 'team', 'deploy']) {
      const page = index.query({ search: needle, limit: 20 });
      expect({ needle, total: page.total, ids: page.items.map((k) => k.id) }).toEqual({ needle, ...reference(records, needle, 20) });
    }
  });
});
