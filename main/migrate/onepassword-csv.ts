// 1Password's CSV export (1Password 8: File > Export > CSV). Its documented columns are
//   Title, Url, Username, Password, OTPAuth, Favorite, Archived, Tags, Notes
// (older versions let the user pick columns, so they are found by name, and "Website"/"URL" are
// taken for Url). The CSV holds logins only; other item kinds need 1PUX, which is not supported:
// no maintained 1PUX parser is published on npm (the 1Password packages there are the Connect and
// service-account SDKs, which read a live account, not an export file).
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { columnIndex, csvRecords } from './csv-rows';
import { entryItems, entryName } from './entry-items';
import { invalidInput, type MigrationRead } from './item';

export interface OnePasswordCsvOptions {
  label?: string;
}

export async function readOnePasswordCsv(input: Readable | string, options: OnePasswordCsvOptions = {}): Promise<MigrationRead> {
  const label = options.label ?? '1Password CSV';
  const stream = typeof input === 'string' ? createReadStream(input) : input;
  const out: MigrationRead = { items: [], skipped: [] };
  let col: { title: number; url: number; login: number; password: number; notes: number } | null = null;
  for await (const { line, fields } of csvRecords(stream, label)) {
    if (!col) {
      const idx = columnIndex(fields);
      const url = [idx('Url'), idx('URL'), idx('Website')].find((i) => i >= 0) ?? -1;
      col = { title: idx('Title'), url, login: idx('Username'), password: idx('Password'), notes: idx('Notes') };
      if (col.title < 0 || col.password < 0)
        throw invalidInput(`${label}, line ${line}`, 'the header lacks a Title or Password column: this is not a 1Password CSV export');
      continue;
    }
    const at = (i: number) => (i >= 0 ? (fields[i] ?? '') : '');
    const entry = { title: at(col.title), login: at(col.login), password: at(col.password), url: at(col.url), notes: at(col.notes) };
    const got = await entryItems({ source: '1password-csv', groupPath: [], sourceRef: `${entryName(entry)} (line ${line})` }, entry);
    out.items.push(...got.items);
    out.skipped.push(...got.skipped);
  }
  if (!col) throw invalidInput(label, 'the file is empty');
  return out;
}
