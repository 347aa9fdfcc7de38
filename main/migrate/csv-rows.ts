// CSV records with the line each starts on, streamed through csv-parse (RFC 4180: quoted fields
// may hold commas, doubled quotes and line breaks). csv-parse's own messages can quote a field,
// so its errors are rewritten here to a line and a reason.
import type { Readable } from 'node:stream';
import { parse, type InfoRecord, type Options } from 'csv-parse';
import { invalidInput } from './item';

export interface CsvRecord {
  /** the line the record starts on, 1-based */
  line: number;
  fields: string[];
}

/** A record longer than this is not a password entry (csv-parse would otherwise buffer it all). */
const MAX_RECORD_BYTES = 4 * 1024 * 1024;

const REASONS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'a quoted field is never closed (the file is truncated?)',
  CSV_RECORD_INCONSISTENT_FIELDS_LENGTH: 'the record has a different number of fields than the header',
  CSV_RECORD_INCONSISTENT_COLUMNS: 'the record has a different number of fields than the header',
  CSV_INVALID_CLOSING_QUOTE: 'a quote inside a quoted field is not doubled',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'text follows a closing quote',
  CSV_MAX_RECORD_SIZE: 'the record is longer than Keyhold accepts',
  INVALID_OPENING_QUOTE: 'a quote opens in the middle of a field',
};

export async function* csvRecords(input: Readable, label: string): AsyncGenerator<CsvRecord> {
  // lines are counted as csv-parse reads (on_record), not as records are consumed: an error can
  // arrive while parsed records still wait in the stream's buffer. A record's start line is its
  // end line less the line breaks inside its quoted fields; starts wait in order in a queue.
  let lastEnd = 0;
  const starts: number[] = [];
  const options: Options = {
    bom: true,
    skip_empty_lines: true,
    max_record_size: MAX_RECORD_BYTES,
    on_record: (record: string[], context: InfoRecord) => {
      const breaks = record.reduce((n, f) => n + (f.match(/\r\n|\r|\n/g)?.length ?? 0), 0);
      lastEnd = context.lines;
      starts.push(context.lines - breaks);
      return record;
    },
  };
  const parser = parse(options);
  input.on('error', (e) => parser.destroy(e));
  input.pipe(parser);
  try {
    for await (const fields of parser as AsyncIterable<string[]>) yield { line: starts.shift() ?? lastEnd, fields };
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if ((typeof code === 'string' && code.startsWith('CSV_')) || code === 'INVALID_OPENING_QUOTE') {
      const reason = REASONS[String(code)] ?? 'the CSV is malformed';
      const line = code === 'CSV_QUOTE_NOT_CLOSED' ? lastEnd + 1 : Number((e as { lines?: unknown }).lines) || lastEnd + 1;
      throw invalidInput(`${label}, line ${line}`, reason);
    }
    throw e;
  } finally {
    input.unpipe(parser);
    input.destroy();
  }
}

/** Index of each expected column in a header row, matched without regard to case and spaces. */
export function columnIndex(header: readonly string[]): (name: string) => number {
  const norm = (s: string) => s.trim().toLowerCase().replace(/\s+/g, ' ');
  const map = new Map<string, number>();
  header.forEach((h, i) => {
    if (!map.has(norm(h))) map.set(norm(h), i);
  });
  return (name) => map.get(norm(name)) ?? -1;
}
