import nacl from 'tweetnacl';
import { describe, expect, it } from 'vitest';
import { generateEd25519, generateEd25519Async, signEd25519, verifyEd25519 } from './ed25519';
import { ed25519PrivateKey, ed25519PublicFromSeed, ed25519Seed } from './private-key';
import { ed25519PublicBytes } from './public-key';

describe('ed25519 with Node crypto', () => {
  it('generates key pairs whose seed gives the same public key in tweetnacl', async () => {
    const keys = [generateEd25519('a'), generateEd25519('b'), await generateEd25519Async('c')];
    for (const key of keys) {
      const seed = ed25519Seed(key);
      const fromNacl = nacl.sign.keyPair.fromSeed(seed);
      expect(Buffer.from(fromNacl.publicKey).equals(ed25519PublicBytes(key.publicKey))).toBe(true);
    }
    const seeds = new Set(keys.map((k) => ed25519Seed(k).toString('hex')));
    expect(seeds.size).toBe(3);
  });

  it('derives the public key of a tweetnacl seed exactly as tweetnacl does', () => {
    const pair = nacl.sign.keyPair();
    const seed = Buffer.from(pair.secretKey.subarray(0, 32));
    expect(ed25519PublicFromSeed(seed).equals(Buffer.from(pair.publicKey))).toBe(true);
  });

  it('signs so that tweetnacl verifies, and produces tweetnacl-identical (deterministic) signatures', () => {
    const key = generateEd25519();
    const data = Buffer.from('"@method": POST\n"@request-target": /v2/public/projects');
    const sig = signEd25519(key, data);
    expect(sig.length).toBe(64);
    expect(nacl.sign.detached.verify(data, sig, ed25519PublicBytes(key.publicKey))).toBe(true);
    const naclSecret = nacl.sign.keyPair.fromSeed(ed25519Seed(key)).secretKey;
    expect(Buffer.from(nacl.sign.detached(data, naclSecret)).equals(sig)).toBe(true);
    expect(verifyEd25519(key.publicKey, data, sig)).toBe(true);
  });

  it('refuses a signature over other bytes, a flipped bit, a wrong length or another key', () => {
    const key = generateEd25519();
    const other = generateEd25519();
    const data = Buffer.from('payload');
    const sig = signEd25519(key, data);
    expect(verifyEd25519(key.publicKey, Buffer.from('payloaD'), sig)).toBe(false);
    const flipped = Buffer.from(sig);
    flipped[10] = flipped[10]! ^ 1;
    expect(verifyEd25519(key.publicKey, data, flipped)).toBe(false);
    expect(verifyEd25519(key.publicKey, data, sig.subarray(0, 63))).toBe(false);
    expect(verifyEd25519(other.publicKey, data, sig)).toBe(false);
  });

  it('refuses to build a key from a seed of the wrong size', () => {
    expect(() => ed25519PrivateKey(Buffer.alloc(31), Buffer.alloc(32), '')).toThrow(/32-byte/);
  });
});
