// The trigram index is built in the background (after unlock warms the segments, and again after
// writes change some), and searches are right before, during and after that.
import { describe, expect, it, vi } from 'vitest';
import { toTuple } from './key-tuple';
import { indexOf, providerWorkspaces, randomQuery, randomRecord, reference, rng } from './search.testkit';

describe('the search index kept in the background', () => {
  it('is built after warm-up, rebuilt after writes, and searches agree with a plain scan throughout', async () => {
    const r = rng(5);
    const records = Array.from({ length: 900 }, (_, i) => randomRecord(r, i));
    const index = indexOf(records, 100);
    const check = () => {
      for (let n = 0; n < 40; n++) {
        const q = randomQuery(r, records);
        const page = index.query(q, providerWorkspaces);
        expect({ q, total: page.total, ids: page.items.map((k) => k.id) }).toEqual({ q, ...reference(records, q) });
      }
    };
    expect(index.searchIndexReady).toBe(false);
    index.prepareSearch(); // as unlock does, in the background
    check();
    await vi.waitFor(() => expect(index.searchIndexReady).toBe(true), { timeout: 10_000, interval: 5 });
    expect(index.searchIndexBytes).toBeGreaterThan(0);
    check();

    const k = { ...records[3]!, name: 'renamed after the index was built' };
    records[3] = k;
    index.put(toTuple(k), index.segmentOf(k.id)!);
    expect(index.searchIndexReady).toBe(false);
    check(); // the changed segment is scanned, and a rebuild is asked for
    await vi.waitFor(() => expect(index.searchIndexReady).toBe(true), { timeout: 10_000, interval: 10 });
    check();
  });

  it('is never built by a search on the event loop: a first search scans, and the build goes on in the background', async () => {
    const r = rng(7);
    const records = Array.from({ length: 400 }, (_, i) => randomRecord(r, i));
    const cli = indexOf(records, 50); // a one-shot command: no warm-up asked for
    expect(cli.query({ search: 'ab', limit: 5 }).total).toBe(reference(records, { search: 'ab' }).total);
    expect(cli.searchIndexBytes).toBe(0); // it scanned
    const app = indexOf(records, 50);
    app.prepareSearch(); // unlock's background build has just been asked for
    expect(app.query({ search: 'ab', limit: 5 }).total).toBe(reference(records, { search: 'ab' }).total);
    expect(app.searchIndexReady).toBe(false); // that search scanned; the index comes in slices
    await vi.waitFor(() => expect(app.searchIndexReady).toBe(true), { timeout: 10_000, interval: 5 });
    expect(app.query({ search: 'ab', limit: 5 }).total).toBe(reference(records, { search: 'ab' }).total);
    cli.clear();
    app.clear();
  });

  it('drops the index on lock', () => {
    const r = rng(6);
    const index = indexOf(
      Array.from({ length: 300 }, (_, i) => randomRecord(r, i)),
      50,
    );
    index.indexSearchNow();
    expect(index.searchIndexBytes).toBeGreaterThan(0);
    index.clear();
    expect(index.searchIndexBytes).toBe(0);
    expect(index.query({ search: 'a' }).total).toBe(0);
  });
});
