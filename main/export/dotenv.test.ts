import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'dotenv';
import { afterAll, describe, expect, it } from 'vitest';
import { KeyholdError } from '../errors';
import { dotenvValue, envNameFrom, renderDotenv } from './dotenv';

// Values that trip naive .env writers: every quote kind, '#', '$', command substitution,
// backslashes, line breaks, surrounding blanks, a PEM key, and backslash-n as two characters.
const AWKWARD: Record<string, string> = {
  PLAIN: 'abcDEF123',
  SPACES: 'two words  and more',
  HASH: 'pa#ss #word',
  LEADING_HASH: '#start',
  DOLLAR: 'x$HOME${PATH}$(touch pwned)`touch pwned`',
  SINGLE: "it's",
  SINGLE_HASH_SPACES: "it's #1,  with spaces ",
  DOUBLE: 'say "hi"',
  BACKTICK_DOUBLE: 'a`b"c$d',
  BACKSLASH: 'C:\\Users\\me',
  LITERAL_BACKSLASH_N: 'not a\\nnewline',
  NEWLINES: 'line1\nline2\n',
  NEWLINE_AND_SINGLE_QUOTE: "line1\nit's",
  PADDED: '  padded  ',
  EMPTY: '',
  EQUALS: 'a=b=c',
  UNICODE: 'ключ🔑',
  PEM: '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ==\n-----END OPENSSH PRIVATE KEY-----\n',
};

// Values no single spelling gives to both dotenv and a POSIX shell.
const REFUSED: Record<string, string> = {
  QUOTE_AND_SUBSTITUTION: "it's $(touch pwned)",
  QUOTE_AND_BACKTICK: "it's `touch pwned`",
  QUOTE_AND_DOUBLE: `it's "quoted"`,
  QUOTE_AND_BACKSLASH: "not a\\nnewline, it's",
  TRAILING_BACKSLASH: 'ends with\\',
  CR: 'a\r\nb',
  NUL: 'a\0b',
};

const tmp = mkdtempSync(join(tmpdir(), 'keyhold-dotenv-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** What `set -a; . file` in a real shell leaves in the environment, for the given names. */
function sourcedBy(shell: string, text: string, names: readonly string[]): Record<string, string> {
  const file = join(tmp, 'vars.env');
  writeFileSync(file, text);
  const out = execFileSync(shell, ['-c', 'set -a; . "$1"; env -0', 'sh', file], {
    cwd: tmp,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
  });
  const env: Record<string, string> = {};
  for (const entry of out.toString('utf8').split('\0')) {
    const eq = entry.indexOf('=');
    const name = entry.slice(0, eq);
    if (eq > 0 && names.includes(name)) env[name] = entry.slice(eq + 1);
  }
  return env;
}

describe('renderDotenv', () => {
  it('is read back by the dotenv package (both its parsers) to exactly the same values', () => {
    const text = renderDotenv(Object.entries(AWKWARD).map(([name, value]) => ({ name, value, comment: `key ${name}` })));
    expect(parse(text)).toEqual(AWKWARD);
    expect(parse(text, { fast: true })).toEqual(AWKWARD);
  });

  it.each(['/bin/sh', 'bash'])('is read back literally by `set -a; . file` in %s, running nothing', (shell) => {
    const text = renderDotenv(Object.entries(AWKWARD).map(([name, value]) => ({ name, value, comment: `key ${name}` })));
    expect(sourcedBy(shell, text, Object.keys(AWKWARD))).toEqual(AWKWARD);
    expect(existsSync(join(tmp, 'pwned'))).toBe(false);
  });

  it('reads back each awkward value on its own too (no help from neighbouring lines)', () => {
    for (const [name, value] of Object.entries(AWKWARD)) {
      expect(parse(`${name}=${dotenvValue(value)}\n`)).toEqual({ [name]: value });
      expect(parse(`${name}=${dotenvValue(value)}`, { fast: true })).toEqual({ [name]: value });
    }
  });

  it('prefers single quotes (no $ expansion by shells or compose)', () => {
    expect(renderDotenv([{ name: 'A', value: 'x$y' }])).toBe("A='x$y'\n");
    expect(renderDotenv([{ name: 'PEM', value: 'a\nb\n' }])).toBe("PEM='a\nb\n'\n");
    expect(renderDotenv([{ name: 'Q', value: "it's" }])).toBe('Q="it\'s"\n');
  });

  it('refuses, naming the variable and the reason but not the value, what a shell and dotenv would read differently', () => {
    for (const [name, value] of Object.entries(REFUSED)) {
      let err: unknown;
      try {
        renderDotenv([{ name, value }]);
      } catch (e) {
        err = e;
      }
      expect(err, name).toBeInstanceOf(KeyholdError);
      const { code, message } = err as KeyholdError;
      expect(code).toBe('INVALID_INPUT');
      expect(message).toContain(name);
      expect(message).toMatch(/shell|dotenv/);
      expect(message).not.toContain(value);
    }
  });

  it('refuses invalid and duplicate names', () => {
    expect(() => renderDotenv([{ name: '1A', value: 'x' }])).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => renderDotenv([{ name: 'A-B', value: 'x' }])).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() =>
      renderDotenv([
        { name: 'A', value: 'x' },
        { name: 'A', value: 'y' },
      ]),
    ).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('keeps a comment on one line so it cannot inject a variable', () => {
    const text = renderDotenv([{ name: 'A', value: 'x', comment: 'evil\nB=injected' }]);
    expect(parse(text)).toEqual({ A: 'x' });
    expect(sourcedBy('/bin/sh', text, ['A', 'B'])).toEqual({ A: 'x' });
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
