import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { nativeSecretboxOpen } from './native-secretbox';
import { openBound, sealBound, secretboxOpen, secretboxSeal } from './secretbox';

const native = nativeSecretboxOpen();

describe('libsodium secretbox (bulk opening)', () => {
  it('loads here (sodium-native ships a prebuilt addon for this platform)', () => {
    expect(native).not.toBeNull();
  });

  it('opens exactly what tweetnacl seals, for every size around the block boundaries', () => {
    const key = randomBytes(32);
    for (const n of [0, 1, 15, 16, 17, 63, 64, 65, 4095, 4096, 100_000]) {
      const plain = randomBytes(n);
      const sealed = secretboxSeal(plain, key);
      expect(Buffer.from(native!(sealed, key)!)).toEqual(plain);
      expect(Buffer.from(secretboxOpen(sealed, key)!)).toEqual(plain);
    }
  });

  it('refuses what tweetnacl refuses: a flipped bit anywhere, a wrong key, a truncated box', () => {
    const key = randomBytes(32);
    const sealed = Buffer.from(secretboxSeal(randomBytes(300), key));
    for (const at of [0, 23, 24, 39, 40, sealed.length - 1]) {
      const bad = Buffer.from(sealed);
      bad[at]! ^= 1;
      expect(native!(bad, key)).toBeNull();
      expect(secretboxOpen(bad, key)).toBeNull();
    }
    expect(native!(sealed, randomBytes(32))).toBeNull();
    for (const len of [0, 10, 39]) expect(native!(sealed.subarray(0, len), key)).toBeNull();
  });

  it('opens row-bound values only for their own row, like the reference', () => {
    const key = randomBytes(32);
    const value = randomBytes(1000);
    const sealed = sealBound(key, '17', value.length, (m, at) => m.set(value, at));
    expect(Buffer.from(openBound(key, '17', sealed, native!)!)).toEqual(value);
    expect(openBound(key, '18', sealed, native!)).toBeNull();
    expect(openBound(key, '1', sealed, native!)).toBeNull();
  });

  it('answers random bytes with null, never a throw', () => {
    const key = randomBytes(32);
    for (let i = 0; i < 200; i++) expect(native!(randomBytes(i * 7), key)).toBeNull();
  });
});
