// Search over the unlocked index gives exactly what a plain scan of every key gives (search.testkit's
// reference): the same count and the same page, with every filter, order and offset, whether a
// segment is served by the trigram index, scanned because the index does not cover it (not built
// yet, or the segment changed since), or covered by an index still being written; and never a
// stale answer after keys are added, renamed, removed, or segments reloaded or dropped.
import { describe, expect, it } from 'vitest';
import type { KeyIndex } from './key-index';
import { toTuple } from './key-tuple';
import { PackedSegment } from './packed-segment';
import { GramBuilder, type GramSource, type LiveSlot } from './search-grams';
import { indexOf, providerWorkspaces, randomNeedle, randomQuery, randomRecord, randomText, reference, rng } from './search.testkit';
import type { KeyQuery, KeyRecord } from './types';

function expectSame(index: KeyIndex, records: readonly KeyRecord[], q: KeyQuery): void {
  const page = index.query(q, providerWorkspaces);
  expect({ q, total: page.total, ids: page.items.map((k) => k.id) }).toEqual({ q, ...reference(records, q) });
}

const FIXED_NEEDLES = [
  '',
  ' ',
  'a',
  'ß',
  'İ',
  'i̇',
  'i',
  'k',
  '\u212a',
  'ss',
  'on',
  '~#',
  'ssh',
  'ssh-ed25519 ',
  'ΟΔΟΣ',
  'οδος',
  'ς',
  '🔑',
  '🔑a',
  '#1',
  'x'.repeat(80),
];

describe('search over the key index', () => {
  it('matches a plain scan, by scanning and through the trigram index, for random queries', () => {
    const r = rng(1);
    const records = Array.from({ length: 700 }, (_, i) => randomRecord(r, i));
    const index = indexOf(records, 37);
    const queries = [
      ...FIXED_NEEDLES.map((search) => ({ search, limit: 30 })),
      ...Array.from({ length: 250 }, () => randomQuery(r, records)),
    ];
    for (const q of queries) expectSame(index, records, q); // no trigram index yet: every segment scanned
    index.indexSearchNow();
    expect(index.searchIndexBytes).toBeGreaterThan(0);
    for (const q of queries) expectSame(index, records, q);
  });

  it('answers right after keys are added, renamed and removed, before and after the index catches up', () => {
    const r = rng(2);
    const records = Array.from({ length: 500 }, (_, i) => randomRecord(r, i));
    const index = indexOf(records, 64);
    index.indexSearchNow();
    const check = () => {
      for (let n = 0; n < 60; n++) expectSame(index, records, randomQuery(r, records));
      for (const search of ['billing', 'renamed', 'new key', 'zz-top']) expectSame(index, records, { search, limit: 20 });
    };
    for (let round = 0; round < 4; round++) {
      // rename a few keys (their segment changes: the index no longer covers it)
      for (let n = 0; n < 5; n++) {
        const i = Math.floor(r() * records.length);
        const k = { ...records[i]!, name: `renamed ${randomText(r, 1, 8)} ${round}-${n}`, description: randomText(r, 0, 12) };
        records[i] = k;
        index.put(toTuple(k), index.segmentOf(k.id)!);
      }
      // remove some, add some
      for (let n = 0; n < 4; n++) {
        const [gone] = records.splice(Math.floor(r() * records.length), 1);
        index.remove(gone!.id);
      }
      for (let n = 0; n < 6; n++) {
        const k = { ...randomRecord(r, 10_000 + round * 10 + n), name: `new key zz-top ${round} ${n}` };
        records.push(k);
        index.put(toTuple(k), index.segmentForNew());
      }
      check(); // stale segments scanned
      index.indexSearchNow();
      check(); // all covered again
    }
  });

  it('forgets a segment that is dropped or reloaded with other keys', () => {
    const r = rng(3);
    let records = Array.from({ length: 300 }, (_, i) => randomRecord(r, i));
    const index = indexOf(records, 50);
    index.indexSearchNow();
    const dropped = new Set(records.slice(100, 150).map((k) => k.id));
    index.dropSegment(2);
    records = records.filter((k) => !dropped.has(k.id));
    const fresh = Array.from({ length: 50 }, (_, i) => ({ ...randomRecord(r, 900 + i), name: `reloaded ${i}` }));
    const old = new Set(records.slice(0, 50).map((k) => k.id));
    index.loadSegment(0, 2, PackedSegment.decode(PackedSegment.encode(fresh.map(toTuple)), 0));
    records = [...records.filter((k) => !old.has(k.id)), ...fresh];
    for (let n = 0; n < 80; n++) expectSame(index, records, randomQuery(r, records));
    expectSame(index, records, { search: 'reloaded', limit: 100 });
    index.indexSearchNow();
    for (let n = 0; n < 80; n++) expectSame(index, records, randomQuery(r, records));
  });

  it('an index still being written finds every match in the slots it has written, and only there', () => {
    const r = rng(4);
    const slots = Array.from({ length: 9 }, (_, s) => {
      const texts = Array.from({ length: 40 + s }, () => `${randomText(r, 0, 20)}\n${randomText(r, 0, 30)}\n\u0000`.toLowerCase());
      const starts = new Int32Array(texts.length + 1);
      texts.forEach((t, i) => (starts[i + 1] = starts[i]! + t.length));
      return { hay: texts.join(''), starts, n: texts.length };
    });
    const sources: GramSource[] = slots.map((s, i) => ({ seg: i, serial: i, text: () => ({ ...s, descIds: new Int32Array(s.n) }) }));
    const builder = new GramBuilder(sources);
    const live: LiveSlot[] = [];
    slots.forEach((s, i) => live.push({ ...s, recBase: i * 100 }));
    const needles = Array.from({ length: 60 }, () =>
      randomNeedle(r, [randomRecord(r, 0)])
        .toLowerCase()
        .trim(),
    ).filter((n) => n.length >= 2 && !n.includes('\n'));
    needles.push('ss', 'ssh', 'on-call', 'ssh-ed25519');
    let steps = 0;
    for (;;) {
      const done = builder.step(-Infinity); // one slot per step
      steps++;
      const index = done ?? builder.partial();
      if (index) {
        for (const needle of needles) {
          const mark = new Uint8Array(1000);
          index.mark(needle, live, mark);
          const want = new Uint8Array(1000);
          slots.forEach((s, i) => {
            if (i >= index.slots) return;
            for (let k = 0; k < s.n; k++)
              if (
                s.hay
                  .slice(s.starts[k], s.starts[k + 1]! - 1)
                  .split('\n')
                  .some((f) => f.includes(needle))
              )
                want[i * 100 + k] = 1;
          });
          expect({ needle, slots: index.slots, mark: [...mark] }).toEqual({ needle, slots: index.slots, mark: [...want] });
        }
      }
      if (done) break;
    }
    expect(steps).toBeGreaterThan(slots.length); // it went through partial indexes
  });
});
