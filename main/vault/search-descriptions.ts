// Which keys have which description, inverted: for each description of the index's dictionary
// (text-dictionary.ts), the keys that carry it, in index order. A search whose needle is in a few
// descriptions marks those keys directly instead of looking at every key's description id.
import type { LiveSlot } from './search-grams';

export class DescriptionPostings {
  private constructor(
    /** per slot: its first key's number in `keys`, and the total last */
    private readonly slotBase: Int32Array,
    /** per description id: where its keys start in `keys`, and the total last */
    private readonly starts: Int32Array,
    private readonly keys: Int32Array,
  ) {}

  /** From each slot's description ids (one per key, in key order). */
  static build(perSlot: readonly Int32Array[]): DescriptionPostings {
    const slotBase = new Int32Array(perSlot.length + 1);
    let ids = 0;
    perSlot.forEach((d, s) => {
      slotBase[s + 1] = slotBase[s]! + d.length;
      for (const id of d) if (id + 1 > ids) ids = id + 1;
    });
    const starts = new Int32Array(ids + 1);
    for (const d of perSlot) for (const id of d) starts[id + 1]!++;
    for (let id = 0; id < ids; id++) starts[id + 1]! += starts[id]!;
    const at = starts.slice(0, ids);
    const keys = new Int32Array(slotBase[perSlot.length]!);
    perSlot.forEach((d, s) => d.forEach((id, i) => (keys[at[id]!++] = slotBase[s]! + i)));
    return new DescriptionPostings(slotBase, starts, keys);
  }

  get bytes(): number {
    return this.slotBase.byteLength + this.starts.byteLength + this.keys.byteLength;
  }

  /**
   * Marks the keys of live slots whose description id has hits[id] === 1; returns how many marks
   * it set, or -1 (nothing done) when those keys are so many that a pass over every key is cheaper.
   */
  mark(hits: Uint8Array, live: ReadonlyArray<LiveSlot | null>, mark: Uint8Array): number {
    const ids = Math.min(hits.length, this.starts.length - 1);
    let size = 0;
    for (let id = 0; id < ids; id++) if (hits[id] === 1) size += this.starts[id + 1]! - this.starts[id]!;
    if (size * 3 > this.keys.length) return -1;
    let marked = 0;
    const base = this.slotBase;
    for (let id = 0; id < ids; id++) {
      if (hits[id] !== 1) continue;
      let s = 0;
      for (let k = this.starts[id]!; k < this.starts[id + 1]!; k++) {
        const key = this.keys[k]!;
        if (key >= base[s + 1]!) {
          // the next slot holding it (keys only grow along a description's list)
          let lo = s + 1;
          let hi = base.length - 1;
          while (hi - lo > 1) {
            const mid = (lo + hi) >> 1;
            if (base[mid]! <= key) lo = mid;
            else hi = mid;
          }
          s = lo;
        }
        const slot = live[s];
        if (!slot) continue;
        const at = slot.recBase + key - base[s]!;
        if (mark[at] === 0) {
          mark[at] = 1;
          marked++;
        }
      }
    }
    return marked;
  }
}
