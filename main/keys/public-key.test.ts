import { describe, expect, it } from 'vitest';
import { KeyholdError } from '../errors';
import { generateEd25519 } from './ed25519';
import { parseKeyFile } from './parse-key-file';
import { MAX_PUBLIC_LINE_CHARS, parsePublicKeyLine, publicKeyLine } from './public-key';
import { failure } from '../errors.testkit';

function errorOf(fn: () => unknown): KeyholdError {
  try {
    fn();
  } catch (e) {
    if (e instanceof KeyholdError) return e;
    throw new Error(`expected a KeyholdError, got ${String(e)}`, { cause: e });
  }
  throw new Error('expected an error');
}

const key = generateEd25519().publicKey;

describe('public key line parsing', () => {
  it('reads type, key and comment, with surrounding and inner whitespace of any kind', async () => {
    const parsed = parsePublicKeyLine(` \t${publicKeyLine(key)} \t me@host  two words \t `);
    expect(parsed.key.blob.equals(key.blob)).toBe(true);
    expect(parsed.comment).toBe('me@host  two words');
    expect(parsePublicKeyLine(publicKeyLine(key)).comment).toBe('');
  });

  it('a line longer than the cap is INVALID_INPUT saying so, whatever it holds', async () => {
    const junk = 'a '.repeat(MAX_PUBLIC_LINE_CHARS / 2 + 1);
    const err = errorOf(() => parsePublicKeyLine(junk));
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.message).toMatch(/too long/);
    const padded = `${publicKeyLine(key)} x${' \t'.repeat(MAX_PUBLIC_LINE_CHARS)}x`;
    expect((await failure(parseKeyFile(padded))).message).toMatch(/too long/);
  });

  it('a comment made of whitespace runs just under the cap is read, not choked on', async () => {
    const base = `${publicKeyLine(key)} a`;
    const runs = ' \t'.repeat((MAX_PUBLIC_LINE_CHARS - base.length - 2) / 2);
    const line = `${base}${runs}b`;
    expect(line.length).toBeLessThanOrEqual(MAX_PUBLIC_LINE_CHARS);
    expect(parsePublicKeyLine(line).comment).toBe(`a${runs}b`);
  });

  it('a line without a key part is INVALID_INPUT', async () => {
    expect(errorOf(() => parsePublicKeyLine('ssh-ed25519')).code).toBe('INVALID_INPUT');
    expect(errorOf(() => parsePublicKeyLine('   ')).code).toBe('INVALID_INPUT');
  });
});
