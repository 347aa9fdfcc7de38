import { randomBytes } from 'node:crypto';
import { pbkdf } from 'bcrypt-pbkdf';
import { describe, expect, it } from 'vitest';
import { bcryptPbkdfOffThread } from './bcrypt-pbkdf-thread';

describe('bcrypt_pbkdf on a worker thread', () => {
  it('gives the same bytes as the in-thread function', async () => {
    const pass = Buffer.from('pass phrase');
    const salt = randomBytes(16);
    const expected = new Uint8Array(48);
    pbkdf(pass, pass.length, salt, salt.length, expected, expected.length, 4);
    const got = await bcryptPbkdfOffThread({ pass: new Uint8Array(pass), salt, keyLen: 48, rounds: 4 });
    expect(got.equals(Buffer.from(expected))).toBe(true);
  });

  it('keeps the event loop ticking while a 256-round derivation runs', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    try {
      const pass = new Uint8Array(Buffer.from('pass phrase'));
      await bcryptPbkdfOffThread({ pass, salt: randomBytes(16), keyLen: 32, rounds: 256 });
    } finally {
      clearInterval(timer);
    }
    // a derivation on this thread would let the timer fire at most once, after it
    expect(ticks).toBeGreaterThan(5);
  }, 60_000);

  it('bad parameters are INVALID_INPUT', async () => {
    await expect(bcryptPbkdfOffThread({ pass: new Uint8Array(1), salt: new Uint8Array(0), keyLen: 48, rounds: 0 })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });
});
