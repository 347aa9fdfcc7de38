import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readOnePasswordCsv } from './onepassword-csv';

// 1Password 8's CSV export: a header row, then one login per record (RFC 4180 quoting)
const HEADER = 'Title,Url,Username,Password,OTPAuth,Favorite,Archived,Tags,Notes\n';
const csvField = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const row = (...v: string[]) => `${v.map(csvField).join(',')}\n`;
const PASSWORD = 'ö "q", 🗝\nline2';

describe('1Password CSV export', () => {
  it('imports each login byte for byte, naming the line each record starts on', async () => {
    const text =
      HEADER +
      row('Mail', 'https://mail.example', 'me@example', PASSWORD, '', 'true', 'false', 'work', 'note, "1"\nnote 2') +
      row('Secure note', '', '', '', '', 'false', 'false', '', 'only notes');
    const r = await readOnePasswordCsv(Readable.from([text]));
    expect(r.items).toEqual([
      {
        source: '1password-csv',
        sourceRef: 'Mail (line 2)',
        groupPath: [],
        kind: 'login',
        name: 'Mail',
        login: 'me@example',
        url: 'https://mail.example',
        secret: PASSWORD,
        notes: 'note, "1"\nnote 2',
      },
      {
        source: '1password-csv',
        sourceRef: 'Secure note (line 5)',
        groupPath: [],
        kind: 'note',
        name: 'Secure note',
        secret: 'only notes',
      },
    ]);
  });

  it('finds the columns by name, as older versions let the user pick them', async () => {
    const r = await readOnePasswordCsv(Readable.from(['notes,password,title,website\nn,p,T,https://x\n']));
    expect(r.items[0]).toMatchObject({ name: 'T', secret: 'p', url: 'https://x', notes: 'n' });
  });

  it('an entry with an oversized password is skipped with the limit, the others imported', async () => {
    const r = await readOnePasswordCsv(
      Readable.from([HEADER + row('Huge', '', '', 'x'.repeat(70_000), '', '', '', '', '') + row('Small', '', '', 'p', '', '', '', '', '')]),
    );
    expect(r.items.map((i) => i.name)).toEqual(['Small']);
    expect(r.skipped).toEqual([{ sourceRef: 'Huge (line 2)', reason: expect.stringMatching(/^it cannot be imported \(secret: .*65536/) }]);
    expect(r.skipped[0]!.reason).not.toContain('xxxx');
  });

  it('a truncated file is INVALID_INPUT naming the line', async () => {
    const text = HEADER + row('A', '', 'u', 'p', '', '', '', '', '') + 'B,,u,"unterminated\n';
    await expect(readOnePasswordCsv(Readable.from([text]))).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: '1Password CSV, line 3: a quoted field is never closed (the file is truncated?)',
    });
  });

  it('a record with a missing field is INVALID_INPUT naming its line', async () => {
    await expect(readOnePasswordCsv(Readable.from([`${HEADER}A,u\n`]))).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('line 2'),
    });
  });

  it('a file without Title and Password columns is refused', async () => {
    await expect(readOnePasswordCsv(Readable.from(['name,value\na,b\n']))).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('not a 1Password CSV'),
    });
  });
});
