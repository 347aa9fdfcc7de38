// A netrc file (~/.netrc): each `machine` (or `default`) entry with a password becomes a login,
// read with the same parser Keyhold writes netrc files with (docs/PLATFORMS.md: curl's grammar).
import { readFile } from 'node:fs/promises';
import { decodeNetrc, parseNetrc } from '../export/netrc';
import { isKeyholdError } from '../errors';
import { checkedItem, invalidInput, type MigrationRead } from './item';

export const MAX_NETRC_BYTES = 16 * 1024 * 1024;

export async function readNetrc(input: string | Buffer, options: { label?: string } = {}): Promise<MigrationRead> {
  const label = options.label ?? 'netrc';
  const bytes = typeof input === 'string' ? await readFile(input) : input;
  if (bytes.length > MAX_NETRC_BYTES) throw invalidInput(label, `the file is larger than ${MAX_NETRC_BYTES / 1024 / 1024} MB`);
  let parsed;
  try {
    parsed = parseNetrc(decodeNetrc(bytes));
  } catch (e) {
    // NetrcSyntaxError says "line N: reason" and never quotes a value
    if (isKeyholdError(e)) throw invalidInput(`${label}, ${e.message.split(':')[0]}`, e.message.replace(/^line \d+: /, ''));
    throw e;
  }
  const out: MigrationRead = { items: [], skipped: [] };
  for (const entry of parsed.entries) {
    const machine = entry.name?.value ?? 'default';
    const sourceRef = `${machine} (line ${entry.keyword.line})`;
    const value = (k: string) =>
      entry.pairs.find((p) => p.keyword.value === k || (k === 'login' && p.keyword.value === 'user'))?.value.value;
    const password = value('password');
    const account = value('account');
    if (!password) {
      out.skipped.push({ sourceRef, reason: 'the entry has no password' });
      continue;
    }
    const login = value('login');
    out.items.push(
      checkedItem({
        source: 'netrc',
        sourceRef,
        groupPath: [],
        kind: 'login',
        name: machine,
        ...(login ? { login } : {}),
        ...(entry.name ? { url: machine } : {}),
        secret: password,
      }),
    );
    if (account) out.skipped.push({ sourceRef: `${sourceRef} [account]`, reason: 'the account value is not imported' });
  }
  return out;
}
