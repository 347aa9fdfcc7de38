// A unified diff of two small texts (config files shown before they are written). Lines are
// compared on the real text and may be shown through `display` (which masks secrets and must keep
// the line count), so a changed password still shows as a changed line, masked on both sides.

export interface DiffOptions {
  oldLabel?: string;
  newLabel?: string;
  context?: number;
  /** maps a whole text to what is shown; must keep its lines one for one */
  display?: (text: string) => string;
}

type Op = { kind: ' ' | '-' | '+'; oldIndex: number; newIndex: number };

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Longest-common-subsequence edit script; the common prefix and suffix are trimmed first, so
 * the quadratic part only covers the changed middle (a merge touches a few lines). */
function editScript(a: string[], b: string[]): Op[] {
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  const ops: Op[] = [];
  for (let i = 0; i < pre; i++) ops.push({ kind: ' ', oldIndex: i, newIndex: i });
  const am = a.slice(pre, a.length - suf);
  const bm = b.slice(pre, b.length - suf);
  if (am.length * bm.length > 4_000_000) {
    am.forEach((_, i) => ops.push({ kind: '-', oldIndex: pre + i, newIndex: pre }));
    bm.forEach((_, j) => ops.push({ kind: '+', oldIndex: pre + am.length, newIndex: pre + j }));
  } else {
    const n = am.length;
    const m = bm.length;
    const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[i]![j] = am[i] === bm[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && am[i] === bm[j]) {
        ops.push({ kind: ' ', oldIndex: pre + i++, newIndex: pre + j++ });
      } else if (j < m && (i === n || lcs[i]![j + 1]! > lcs[i + 1]![j]!)) {
        ops.push({ kind: '+', oldIndex: pre + i, newIndex: pre + j++ });
      } else {
        ops.push({ kind: '-', oldIndex: pre + i++, newIndex: pre + j });
      }
    }
  }
  for (let k = 0; k < suf; k++) ops.push({ kind: ' ', oldIndex: a.length - suf + k, newIndex: b.length - suf + k });
  return ops;
}

/** `--- old` / `+++ new` / `@@ -l,n +l,n @@` hunks; empty string when nothing changes. */
export function unifiedDiff(before: string, after: string, options: DiffOptions = {}): string {
  const context = options.context ?? 3;
  const a = splitLines(before);
  const b = splitLines(after);
  const show = options.display ?? ((t: string) => t);
  const aShown = splitLines(show(before));
  const bShown = splitLines(show(after));
  const ops = editScript(a, b);
  const changed = ops.map((op, k) => (op.kind !== ' ' ? k : -1)).filter((k) => k >= 0);
  if (changed.length === 0) return '';

  const out = [`--- ${options.oldLabel ?? 'before'}`, `+++ ${options.newLabel ?? 'after'}`];
  let k = 0;
  while (k < changed.length) {
    let first = changed[k]!;
    let last = first;
    while (k + 1 < changed.length && changed[k + 1]! - last <= 2 * context + 1) last = changed[++k]!;
    k++;
    first = Math.max(0, first - context);
    last = Math.min(ops.length - 1, last + context);
    const hunk = ops.slice(first, last + 1);
    const oldStart = hunk[0]!.oldIndex;
    const newStart = hunk[0]!.newIndex;
    const oldCount = hunk.filter((o) => o.kind !== '+').length;
    const newCount = hunk.filter((o) => o.kind !== '-').length;
    out.push(`@@ -${oldCount ? oldStart + 1 : oldStart},${oldCount} +${newCount ? newStart + 1 : newStart},${newCount} @@`);
    for (const op of hunk) {
      const line = op.kind === '+' ? bShown[op.newIndex] : aShown[op.oldIndex];
      out.push(`${op.kind}${line ?? ''}`);
    }
  }
  return `${out.join('\n')}\n`;
}
