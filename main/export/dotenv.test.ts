import { parse } from 'dotenv';
import { describe, expect, it } from 'vitest';
import { dotenvValue, envNameFrom, renderDotenv } from './dotenv';

// Values that trip naive .env writers: every quote kind, '#', '$', backslashes, line breaks,
// surrounding blanks, a PEM key, and backslash-n as two characters.
const AWKWARD: Record<string, string> = {
  PLAIN: 'abcDEF123',
  SPACES: 'two words  and more',
  HASH: 'pa#ss #word',
  LEADING_HASH: '#start',
  DOLLAR: 'x$HOME${PATH}$(id)`id`',
  SINGLE: "it's",
  DOUBLE: 'say "hi"',
  BOTH_QUOTES: `it's "quoted"`,
  ALL_QUOTES: "a'b\"c`d",
  ALL_QUOTES_TRAILING_BACKSLASH: "a'b\"c`d\\",
  BACKSLASH: 'C:\\Users\\me',
  TRAILING_BACKSLASH: 'ends with\\',
  LITERAL_BACKSLASH_N: 'not a\\nnewline',
  LITERAL_BACKSLASH_N_AND_QUOTE: "not a\\nnewline, it's",
  NEWLINES: 'line1\nline2\n',
  NEWLINE_AND_SINGLE_QUOTE: "line1\nit's",
  NEWLINE_BOTH_QUOTES_BACKSLASH_N: "a\\n'b\"\nc",
  CR: 'a\r\nb',
  PADDED: '  padded  ',
  EMPTY: '',
  EQUALS: 'a=b=c',
  UNICODE: 'ключ🔑',
  PEM: '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ==\n-----END OPENSSH PRIVATE KEY-----\n',
};

describe('renderDotenv', () => {
  it('is read back by the dotenv package (both its parsers) to exactly the same values', () => {
    const text = renderDotenv(Object.entries(AWKWARD).map(([name, value]) => ({ name, value, comment: `key ${name}` })));
    expect(parse(text)).toEqual(AWKWARD);
    expect(parse(text, { fast: true })).toEqual(AWKWARD);
  });

  it('reads back each awkward value on its own too (no help from neighbouring lines)', () => {
    for (const [name, value] of Object.entries(AWKWARD)) {
      expect(parse(`${name}=${dotenvValue(value)}\n`)).toEqual({ [name]: value });
      expect(parse(`${name}=${dotenvValue(value)}`, { fast: true })).toEqual({ [name]: value });
    }
  });

  it("prefers single quotes (no $ expansion by shells or compose) and one line per value", () => {
    expect(renderDotenv([{ name: 'A', value: 'x$y' }])).toBe("A='x$y'\n");
    expect(renderDotenv([{ name: 'PEM', value: 'a\nb\n' }])).toBe('PEM="a\\nb\\n"\n');
  });

  it('refuses a value no quoting can hold exactly rather than writing it wrong', () => {
    expect(dotenvValue("a'b\"c`d\\")).toBe("a'b\"c`d\\"); // bare still holds it
    expect(() => dotenvValue("a'b\"c`d #\\")).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => dotenvValue("a'b\"c`d\ne")).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('refuses invalid and duplicate names', () => {
    expect(() => renderDotenv([{ name: '1A', value: 'x' }])).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => renderDotenv([{ name: 'A-B', value: 'x' }])).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => renderDotenv([{ name: 'A', value: 'x' }, { name: 'A', value: 'y' }])).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('keeps a comment on one line so it cannot inject a variable', () => {
    const text = renderDotenv([{ name: 'A', value: 'x', comment: 'evil\nB=injected' }]);
    expect(parse(text)).toEqual({ A: 'x' });
  });
});

describe('envNameFrom', () => {
  it('derives safe upper snake case names from key names', () => {
    expect(envNameFrom('Prod API key (v2)')).toBe('PROD_API_KEY_V2');
    expect(envNameFrom('rancherAccessKey')).toBe('RANCHER_ACCESS_KEY');
    expect(envNameFrom('  déjà vu  ')).toBe('DEJA_VU');
    expect(envNameFrom('2fa-token')).toBe('_2FA_TOKEN');
    expect(envNameFrom('🔑🔑')).toBe('KEY');
    expect(envNameFrom('ci token', 'SYNCANO_')).toBe('SYNCANO_CI_TOKEN');
  });
});
