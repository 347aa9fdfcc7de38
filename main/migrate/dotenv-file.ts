// A .env file: each variable becomes an api_key named after it. Values are read by the dotenv
// package, the reader docker compose-style tools and Keyhold's own .env export agree with; dotenv
// itself skips lines it cannot read, so each line is first matched with dotenv's own line pattern
// and anything else is refused with its line number.
import { readFile } from 'node:fs/promises';
import { parse } from 'dotenv';
import { checkedItem, invalidInput, type MigrationRead } from './item';

export const MAX_DOTENV_BYTES = 16 * 1024 * 1024;

// dotenv's LINE pattern (lib/main.js), one variable with its quoted, possibly multi-line value
const LINE =
  /(?:^|^)\s*(?:export\s+)?([\w.-]+)(?:\s*=\s*?|:\s+?)(\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|\s*`(?:\\`|[^`])*`|[^#\r\n]+)?\s*(?:#.*)?(?:$|$)/gm;

export async function readDotenv(input: string | Buffer, options: { label?: string } = {}): Promise<MigrationRead> {
  const label = options.label ?? '.env';
  const bytes = typeof input === 'string' ? await readFile(input) : input;
  if (bytes.length > MAX_DOTENV_BYTES) throw invalidInput(label, `the file is larger than ${MAX_DOTENV_BYTES / 1024 / 1024} MB`);
  const text = bytes.toString('utf8').replace(/\r\n?/g, '\n');
  if (text.includes('\0')) throw invalidInput(label, 'the file is not text');
  const lineAt = (pos: number) => {
    let n = 1;
    for (let i = text.indexOf('\n'); i !== -1 && i < pos; i = text.indexOf('\n', i + 1)) n++;
    return n;
  };
  const checkGap = (from: number, to: number) => {
    const gap = text.slice(from, to);
    const bad = gap.split('\n').findIndex((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
    if (bad >= 0) throw invalidInput(`${label}, line ${lineAt(from) + bad}`, 'not a NAME=value line');
  };
  const found: { name: string; value: string; line: number }[] = [];
  let last = 0;
  for (const m of text.matchAll(LINE)) {
    if (m[0].trim() === '') continue;
    checkGap(last, m.index);
    const line = lineAt(m.index + (m[0].length - m[0].trimStart().length));
    // an opening quote dotenv could not close is read by the pattern as a bare value: refuse it
    const v = (m[2] ?? '').trim();
    if (/^['"`]/.test(v) && (v.length < 2 || v[v.length - 1] !== v[0]))
      throw invalidInput(`${label}, line ${line}`, 'a quoted value is never closed (the file is truncated?)');
    const value = parse(m[0])[m[1]!];
    found.push({ name: m[1]!, value: value ?? '', line });
    last = m.index + m[0].length;
  }
  checkGap(last, text.length);
  const out: MigrationRead = { items: [], skipped: [] };
  const lastOf = new Map(found.map((f) => [f.name, f.line]));
  for (const f of found) {
    const sourceRef = `${f.name} (line ${f.line})`;
    if (lastOf.get(f.name) !== f.line)
      out.skipped.push({ sourceRef, reason: `${f.name} is set again on line ${lastOf.get(f.name)}, which wins` });
    else if (f.value === '') out.skipped.push({ sourceRef, reason: 'the value is empty' });
    else out.items.push(checkedItem({ source: 'dotenv', sourceRef, groupPath: [], kind: 'api_key', name: f.name, secret: f.value }));
  }
  return out;
}
