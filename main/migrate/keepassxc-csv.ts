// KeePassXC's CSV export. keepassxc-cli 2.7 writes the header
//   "Group","Title","Username","Password","URL","Notes","TOTP","Icon","Last Modified","Created"
// with the group as a path from the database's own top group ("Passwords/Prod/db"), joined by
// "/" (so a group name holding "/" cannot be told apart: the CSV has no escape for it; the XML
// export has). The top group is dropped, as in the XML reader, so both give the same items.
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { columnIndex, csvRecords } from './csv-rows';
import { entryItems, entryName } from './entry-items';
import { invalidInput, type MigrationRead } from './item';

export interface KeepassCsvOptions {
  label?: string;
}

const RECYCLE_BIN = 'Recycle Bin';
const REQUIRED = ['Group', 'Title', 'Username', 'Password', 'URL', 'Notes'] as const;

export async function readKeepassCsv(input: Readable | string, options: KeepassCsvOptions = {}): Promise<MigrationRead> {
  const label = options.label ?? 'KeePassXC CSV';
  const stream = typeof input === 'string' ? createReadStream(input) : input;
  const out: MigrationRead = { items: [], skipped: [] };
  let col: number[] | null = null;
  for await (const { line, fields } of csvRecords(stream, label)) {
    if (!col) {
      const idx = columnIndex(fields);
      col = REQUIRED.map((name) => idx(name));
      const missing = REQUIRED.filter((_, i) => col![i]! < 0);
      if (missing.length)
        throw invalidInput(
          `${label}, line ${line}`,
          `the header lacks the column(s) ${missing.join(', ')}: this is not a KeePassXC CSV export`,
        );
      continue;
    }
    const [group, title, login, password, url, notes] = col.map((i) => fields[i] ?? '') as [string, string, string, string, string, string];
    const groupPath = group
      .split('/')
      .slice(1)
      .filter((g) => g !== '');
    const entry = { title, login, password, url, notes };
    const sourceRef = [...groupPath, entryName(entry)].join('/');
    // the CSV does not mark the recycle bin; KeePassXC names it so (in an English session)
    if (groupPath[0] === RECYCLE_BIN) {
      out.skipped.push({ sourceRef, reason: 'it is in the recycle bin' });
      continue;
    }
    const got = await entryItems({ source: 'keepassxc-csv', groupPath, sourceRef: `${sourceRef} (line ${line})` }, entry);
    out.items.push(...got.items);
    out.skipped.push(...got.skipped);
  }
  if (!col) throw invalidInput(label, 'the file is empty');
  return out;
}
