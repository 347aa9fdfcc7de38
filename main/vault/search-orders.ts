// The unlocked index's keys in each order other than by name (created, rotated, kind, state), kept
// while no segment changes: a page in such an order is the first matches along it, so a query
// sorts nothing (sorting 100,000 matches per keystroke would hold the event loop for tens of ms).
// Built at the first query that asks for that order; any write makes a new one at the next query.
import { F_NAME, type PackedSegment } from './packed-segment';
import { KEY_KINDS, KEY_STATES } from './types';

export type OtherSort = 'createdAt' | 'rotatedAt' | 'kind' | 'state';

// kinds and states compare as their names do
const rankOf = (names: readonly string[]) => {
  const sorted = [...names].sort();
  return new Map(names.map((n) => [n, sorted.indexOf(n)]));
};
const KIND_RANK = rankOf(KEY_KINDS);
const STATE_RANK = rankOf(KEY_STATES);

export class SortOrders {
  private serials: number[] = [];
  private readonly orders = new Map<OtherSort, Int32Array>();

  /**
   * The keys of `views` (numbered as `bases` does: bases[j] + i) in `sort` order, ascending: by
   * value (no rotation first), then name, then place. Descending is this order backwards.
   */
  order(sort: OtherSort, views: readonly PackedSegment[], bases: Int32Array): Int32Array {
    const serials = views.map((p) => p.serial);
    if (serials.length !== this.serials.length || serials.some((s, j) => s !== this.serials[j])) {
      this.orders.clear();
      this.serials = serials;
    }
    let order = this.orders.get(sort);
    if (!order) {
      order = build(sort, views, bases);
      this.orders.set(sort, order);
    }
    return order;
  }

  get bytes(): number {
    let n = 0;
    for (const o of this.orders.values()) n += o.byteLength;
    return n;
  }

  clear(): void {
    this.orders.clear();
    this.serials = [];
  }
}

function build(sort: OtherSort, views: readonly PackedSegment[], bases: Int32Array): Int32Array {
  const n = bases[views.length]!;
  const values = new Float64Array(n);
  const names = new Array<string>(n);
  views.forEach((p, j) => {
    for (let i = 0; i < p.n; i++) {
      const k = bases[j]! + i;
      values[k] =
        sort === 'createdAt'
          ? p.time(i, 0)!
          : sort === 'rotatedAt'
            ? (p.time(i, 2) ?? -Infinity)
            : sort === 'kind'
              ? KIND_RANK.get(p.kind(i))!
              : STATE_RANK.get(p.state(i))!;
      names[k] = p.str(i, F_NAME)!;
    }
  });
  const order = new Int32Array(n);
  for (let k = 0; k < n; k++) order[k] = k;
  return order.sort((a, b) => {
    const x = values[a]!;
    const y = values[b]!;
    if (x !== y) return x < y ? -1 : 1;
    const s = names[a]!;
    const t = names[b]!;
    return s < t ? -1 : s > t ? 1 : a - b;
  });
}
