import { parse } from 'dotenv';
import { describe, expect, it } from 'vitest';
import { renderDotenv } from '../export/dotenv';
import { mergeNetrc } from '../export/netrc';
import { readDotenv } from './dotenv-file';
import { readNetrc } from './netrc-file';

describe('netrc', () => {
  it('imports each machine with a password as a login; an entry without one is skipped', async () => {
    const text =
      '# mine\nmachine api.example\n  login bot\n  password "p w\\"x"\nmachine ftp.example login anon\ndefault login guest password g\n';
    const r = await readNetrc(Buffer.from(text));
    expect(r.items).toEqual([
      {
        source: 'netrc',
        sourceRef: 'api.example (line 2)',
        groupPath: [],
        kind: 'login',
        name: 'api.example',
        login: 'bot',
        url: 'api.example',
        secret: 'p w"x',
      },
      { source: 'netrc', sourceRef: 'default (line 6)', groupPath: [], kind: 'login', name: 'default', login: 'guest', secret: 'g' },
    ]);
    expect(r.skipped).toEqual([{ sourceRef: 'ftp.example (line 5)', reason: 'the entry has no password' }]);
  });

  it('reads back byte for byte what Keyhold writes to a netrc file', async () => {
    const password = 'ü "q" \\ #x';
    const r = await readNetrc(Buffer.from(mergeNetrc('', [{ machine: 'h.example', login: 'me', password }]).after));
    expect(r.items[0]).toMatchObject({ secret: password });
  });

  it('a truncated file is INVALID_INPUT naming the line, never the value', async () => {
    const err = await readNetrc(Buffer.from('machine a login b password c\nmachine d login e password "s3cret')).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'INVALID_INPUT', message: 'netrc, line 2: a quoted value is not closed on its line' });
  });
});

describe('.env', () => {
  it('imports each variable as dotenv reads it, naming its line', async () => {
    const text = '# comment\nA=plain\nexport B=\'sp ace # not a comment\'\nC="multi\\nline"\nD=`x`\n\nE=tail # comment\n';
    const r = await readDotenv(Buffer.from(text));
    const parsed = parse(text);
    expect(r.items.map((i) => [i.name, i.sourceRef, i.kind !== 'ssh_key_pair' && i.secret])).toEqual([
      ['A', 'A (line 2)', parsed.A],
      ['B', 'B (line 3)', parsed.B],
      ['C', 'C (line 4)', 'multi\nline'],
      ['D', 'D (line 5)', 'x'],
      ['E', 'E (line 7)', 'tail'],
    ]);
  });

  it("reads back byte for byte what Keyhold's .env export writes", async () => {
    const values = { Q1: "it's quoted", Q0: 'say "hi"', Q2: 'line\nbreak', Q3: 'back\\slash $HOME', Q4: 'ünï 🔑' };
    const r = await readDotenv(Buffer.from(renderDotenv(Object.entries(values).map(([name, value]) => ({ name, value })))));
    expect(Object.fromEntries(r.items.map((i) => [i.name, i.kind !== 'ssh_key_pair' ? i.secret : '']))).toEqual(values);
  });

  it('a later definition wins; the earlier one and empty values are listed as skipped', async () => {
    const r = await readDotenv(Buffer.from('A=1\nB=\nA=2\n'));
    expect(r.items).toEqual([{ source: 'dotenv', sourceRef: 'A (line 3)', groupPath: [], kind: 'api_key', name: 'A', secret: '2' }]);
    expect(r.skipped).toEqual([
      { sourceRef: 'A (line 1)', reason: 'A is set again on line 3, which wins' },
      { sourceRef: 'B (line 2)', reason: 'the value is empty' },
    ]);
  });

  it('a line that is not NAME=value, or an unclosed quote, is INVALID_INPUT naming the line', async () => {
    await expect(readDotenv(Buffer.from('A=1\n\nthis is not a variable\n'))).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: '.env, line 3: not a NAME=value line',
    });
    const err = await readDotenv(Buffer.from('A=1\nB="s3cret\n')).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'INVALID_INPUT', message: '.env, line 2: a quoted value is never closed (the file is truncated?)' });
  });
});
