// The distinct lower-cased descriptions of the unlocked index, each once. Admins write descriptions
// from a few templates ("deploy key for billing, owned by the platform team"), so 100,000 keys hold
// a few hundred distinct ones: search scans each distinct description once per query and a key
// matches through its description's id, instead of scanning 100,000 copies (and counting each).
export class TextDictionary {
  private readonly ids = new Map<string, number>();
  private readonly values: string[] = [];
  private hay = '';
  private starts: Int32Array = new Int32Array(1);
  private joined = 0;
  private lastNeedle: string | null = null;
  private lastHits: Uint8Array = new Uint8Array(0);

  get size(): number {
    return this.values.length;
  }

  /** The id of a lower-cased value (added if new). */
  id(lower: string): number {
    let id = this.ids.get(lower);
    if (id === undefined) {
      // a flat copy: a slice would keep the whole text it was cut from alive
      const own = Buffer.from(lower, 'utf8').toString('utf8');
      id = this.values.length;
      this.values.push(own);
      this.ids.set(own, id);
    }
    return id;
  }

  /** One byte per id: 1 when that value contains `needle` (lower-cased, not empty). */
  hits(needle: string): Uint8Array {
    if (needle === this.lastNeedle && this.lastHits.length === this.values.length) return this.lastHits;
    if (this.joined !== this.values.length) {
      // values end with '\0', which no needle holds: a match never spans two values
      this.hay = this.values.join('\0') + '\0';
      this.starts = new Int32Array(this.values.length + 1);
      for (let i = 0, at = 0; i < this.values.length; i++) {
        this.starts[i] = at;
        at += this.values[i]!.length + 1;
      }
      this.starts[this.values.length] = this.hay.length;
      this.joined = this.values.length;
    }
    const out = new Uint8Array(this.values.length);
    let pos = this.hay.indexOf(needle);
    let v = 0;
    while (pos >= 0) {
      while (this.starts[v + 1]! <= pos) v++;
      out[v] = 1;
      pos = this.hay.indexOf(needle, this.starts[v + 1]!);
    }
    this.lastNeedle = needle;
    this.lastHits = out;
    return out;
  }

  clear(): void {
    this.ids.clear();
    this.values.length = 0;
    this.hay = '';
    this.starts = new Int32Array(1);
    this.joined = 0;
    this.lastNeedle = null;
    this.lastHits = new Uint8Array(0);
  }
}
