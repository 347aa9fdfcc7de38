// Keeps the trigram index (search-grams.ts) of the unlocked key index close to its segments: built
// in the background in slices of a few milliseconds (never holding the event loop for a frame),
// first after unlock and again after writes changed segments. Until a segment is covered, a search
// scans that segment's haystack, so results never wait for the index and are never stale: a
// changed segment is a new PackedSegment, whose serial the index does not hold.
import { GramBuilder, type GramIndex, type GramSource } from './search-grams';

/** Work per slice: a third of a frame, leaving room for what else the loop runs (a request that
 * arrives meanwhile waits at most this long). */
const SLICE_MS = 5;
/** After writes, wait a little: a burst of them costs one rebuild, not one each. */
const REBUILD_DELAY_MS = 250;

export class GramKeeper {
  private index: GramIndex | null = null;
  private builder: GramBuilder | null = null;
  /** cancels the pending slice */
  private timer: (() => void) | null = null;
  /** set when a build failed (haystacks too large): searches scan from then on */
  private failed = false;

  /** `sources()`: the non-empty segments as they are now, in segment order. */
  constructor(private readonly sources: () => GramSource[]) {}

  get current(): GramIndex | null {
    return this.index;
  }

  /** A build is under way or due (unlock asked for one: the app, not a one-shot CLI command). */
  get pending(): boolean {
    return this.builder !== null || this.timer !== null;
  }

  /** Bytes the index holds (for the bench's memory note). */
  get bytes(): number {
    return this.index?.bytes ?? 0;
  }

  /** Asks for an index of the segments as they are now, built in the background. */
  request(): void {
    if (this.failed || this.builder || this.timer) return;
    const delay = this.index ? REBUILD_DELAY_MS : 0;
    if (delay === 0) this.soon();
    else {
      const t = setTimeout(this.slice, delay).unref(); // a one-shot CLI command does not wait for it
      this.timer = () => clearTimeout(t);
    }
  }

  /** Builds the index now, in one go (tests; a caller that searches at once and may block). */
  buildNow(): void {
    this.cancel();
    if (this.failed) return;
    try {
      this.builder = new GramBuilder(this.sources());
      this.finish(this.builder.step(Infinity));
    } catch {
      this.failed = true; // haystacks too large to index: searches scan
      this.builder = null;
    }
  }

  private readonly slice = (): void => {
    this.timer = null;
    try {
      this.builder ??= new GramBuilder(this.sources());
      this.finish(this.builder.step(performance.now() + SLICE_MS));
    } catch {
      this.failed = true;
      this.builder = null;
    }
  };

  private finish(done: GramIndex | null): void {
    if (done) {
      this.index = done;
      this.builder = null;
      return;
    }
    // the first build's written part serves searches at once (a rebuild keeps the full old index)
    const partial = this.index === null || this.index.slots < this.index.segs.length ? this.builder!.partial() : null;
    if (partial) this.index = partial;
    this.soon();
  }

  private soon(): void {
    // a timer, not setImmediate: an unref'd immediate waits until something else wakes the loop
    const t = setTimeout(this.slice, 0).unref();
    this.timer = () => clearTimeout(t);
  }

  private cancel(): void {
    this.timer?.();
    this.timer = null;
    this.builder = null;
  }

  /** Drops the index and stops a build (lock). */
  clear(): void {
    this.cancel();
    this.index = null;
    this.failed = false;
  }
}
