import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { KDF_FLOOR, Sealer, checkKdfBounds, checkKdfFloor, deriveKey, unwrapKey, wrapKey } from './crypto';

const sealer = () => new Sealer(randomBytes(32));

describe('Sealer: values bound to table, column and row', () => {
  it('opens what it sealed, with a fresh nonce every time', () => {
    const s = sealer();
    const a = s.seal('keys.secret', 'row1', 'hunter2');
    const b = s.seal('keys.secret', 'row1', 'hunter2');
    expect(a.equals(b)).toBe(false);
    expect(a.subarray(0, 24).equals(b.subarray(0, 24))).toBe(false);
    expect(s.open('keys.secret', 'row1', a)).toBe('hunter2');
    expect(a.includes(Buffer.from('hunter2'))).toBe(false);
  });

  it('refuses a ciphertext moved to another row with INTEGRITY', () => {
    const s = sealer();
    const c = s.seal('keys.secret', 'row1', 'v');
    expect(() => s.open('keys.secret', 'row2', c)).toThrow(expect.objectContaining({ code: 'INTEGRITY' }));
    // a row id that is a prefix of the real one is no match either
    expect(() => s.open('keys.secret', 'row', c)).toThrow(expect.objectContaining({ code: 'INTEGRITY' }));
  });

  it('refuses a ciphertext moved to another column or table with INTEGRITY', () => {
    const s = sealer();
    const c = s.seal('key_versions.secret', 'k/1', 'v');
    expect(() => s.open('key_versions.data', 'k/1', c)).toThrow(expect.objectContaining({ code: 'INTEGRITY' }));
    expect(() => s.open('settings.value', 'k/1', c)).toThrow(expect.objectContaining({ code: 'INTEGRITY' }));
  });

  it('refuses a flipped or truncated ciphertext, and one sealed under another vault key', () => {
    const s = sealer();
    const c = s.seal('t.c', 'r', 'some value');
    for (let i = 0; i < c.length; i++) {
      const d = Buffer.from(c);
      d[i]! ^= 0x80;
      expect(() => s.open('t.c', 'r', d)).toThrow(expect.objectContaining({ code: 'INTEGRITY' }));
    }
    expect(() => s.open('t.c', 'r', c.subarray(0, c.length - 1))).toThrow(expect.objectContaining({ code: 'INTEGRITY' }));
    expect(() => s.open('t.c', 'r', Buffer.alloc(0))).toThrow(expect.objectContaining({ code: 'INTEGRITY' }));
    expect(() => sealer().open('t.c', 'r', c)).toThrow(expect.objectContaining({ code: 'INTEGRITY' }));
  });

  it('round-trips empty, huge and arbitrary Unicode values', () => {
    const s = sealer();
    for (const v of ['', 'x'.repeat(1024 * 1024), '🔑 ключ \u0000 \u202e 名前']) expect(s.open('t.c', 'r', s.seal('t.c', 'r', v))).toBe(v);
  });

  it('zero() wipes the vault key and every subkey; the sealer then refuses to work (LOCKED)', () => {
    const key = randomBytes(32);
    const s = new Sealer(key);
    const c = s.seal('t.c', 'r', 'v');
    s.zero();
    expect(key.every((b) => b === 0)).toBe(true);
    expect(() => s.open('t.c', 'r', c)).toThrow(expect.objectContaining({ code: 'LOCKED' }));
    expect(() => s.seal('t.c', 'r', 'v')).toThrow(expect.objectContaining({ code: 'LOCKED' }));
  });

  it('keyed audit hashes differ per vault key and per label', () => {
    const k = randomBytes(32);
    const a = new Sealer(Buffer.from(k)).mac('audit', Buffer.from('x'));
    expect(new Sealer(Buffer.from(k)).mac('audit', Buffer.from('x')).equals(a)).toBe(true);
    expect(new Sealer(Buffer.from(k)).mac('other', Buffer.from('x')).equals(a)).toBe(false);
    expect(sealer().mac('audit', Buffer.from('x')).equals(a)).toBe(false);
  });
});

describe('key wrapping and the KDF floor', () => {
  it('unwraps only with the same KEK', () => {
    const vk = randomBytes(32);
    const kek = randomBytes(32);
    const w = wrapKey(vk, kek);
    expect(unwrapKey(w, kek)?.equals(vk)).toBe(true);
    expect(unwrapKey(w, randomBytes(32))).toBeNull();
  });

  it('refuses parameters below 64 MiB / 3 iterations, or another algorithm, as a downgrade (INTEGRITY)', () => {
    const ok = { algorithm: 'argon2id' as const, memoryKiB: KDF_FLOOR.memoryKiB, iterations: 3, parallelism: 1 };
    expect(() => checkKdfFloor(ok)).not.toThrow();
    for (const bad of [
      { ...ok, memoryKiB: 65535 },
      { ...ok, iterations: 2 },
      { ...ok, parallelism: 0 },
      { ...ok, algorithm: 'argon2i' as 'argon2id' },
    ]) {
      expect(() => checkKdfFloor(bad)).toThrow(expect.objectContaining({ code: 'INTEGRITY' }));
    }
  });

  it('refuses parameters above 4 GiB / 1000 iterations / parallelism 255 (INTEGRITY), accepts the limits themselves', () => {
    const top = { algorithm: 'argon2id' as const, memoryKiB: 4 * 1024 * 1024, iterations: 1000, parallelism: 255 };
    expect(() => checkKdfBounds(top)).not.toThrow();
    for (const bad of [
      { ...top, memoryKiB: top.memoryKiB + 1 },
      { ...top, iterations: 2 ** 31 - 1 },
      { ...top, parallelism: 256 },
      { ...top, iterations: 2.5 },
    ]) {
      expect(() => checkKdfBounds(bad)).toThrow(expect.objectContaining({ code: 'INTEGRITY' }));
    }
  });
});

describe('the master password in memory', () => {
  it('is zeroed once the KDF has used it, and derives the same key as the text', async () => {
    const kdf = { algorithm: 'argon2id' as const, memoryKiB: KDF_FLOOR.memoryKiB, iterations: KDF_FLOOR.iterations, parallelism: 1 };
    const salt = randomBytes(16);
    const given = Buffer.from('correct horse battery staple', 'utf8');
    const pending = deriveKey(given, kdf, salt);
    const key = await pending;
    expect(given.equals(Buffer.alloc(given.length))).toBe(true);
    expect(key.equals(await deriveKey('correct horse battery staple', kdf, salt))).toBe(true);
  });
});
