// tweetnacl secretbox as the vault uses it, with no dependency beyond tweetnacl and node:crypto's
// random bytes, so that the vault worker (worker/entry.ts) runs this very code: nonce || box, and
// the row-bound form nonce || secretbox(u16 idLen || rowId || value) of every sealed value.
import { randomBytes } from 'node:crypto';
import nacl from 'tweetnacl';

const NONCE = nacl.secretbox.nonceLength; // 24
const MAC = nacl.secretbox.overheadLength; // 16
/** the zero padding of NaCl's low-level crypto_secretbox: before the message, and before the box */
const ZERO = 32;
const BOXZERO = 16;
/** tweetnacl's low-level API (present in the package, absent from its typings) */
const naclLow = (
  nacl as unknown as { lowlevel: { crypto_secretbox(c: Uint8Array, m: Uint8Array, d: number, n: Uint8Array, k: Uint8Array): number } }
).lowlevel;

// ---- nonces: crypto.randomBytes per 24-byte nonce dominates sealing small values, so take them
// from a pool refilled 64 KiB at a time (each nonce is still fresh CSPRNG output, used once).
let pool = Buffer.alloc(0);
let poolAt = 0;
/** `n` fresh random bytes from the pool (n <= 1024). */
export function pooledRandom(n: number): Uint8Array {
  if (poolAt + n > pool.length) {
    pool = randomBytes(64 * 1024);
    poolAt = 0;
  }
  const out = pool.subarray(poolAt, poolAt + n);
  poolAt += n;
  return out;
}

function freshNonce(): Uint8Array {
  return pooledRandom(NONCE);
}

/** nonce || secretbox(plaintext) */
export function secretboxSeal(plain: Uint8Array, key: Uint8Array): Uint8Array {
  const nonce = freshNonce();
  const box = nacl.secretbox(plain, nonce, key);
  const out = new Uint8Array(NONCE + box.length);
  out.set(nonce, 0);
  out.set(box, NONCE);
  return out;
}

/** Opens nonce || box: the plaintext, or null when the MAC does not match. */
export type SecretboxOpener = (sealed: Uint8Array, key: Uint8Array) => Uint8Array | null;

/** The plaintext, or null when the MAC does not match. */
export function secretboxOpen(sealed: Uint8Array, key: Uint8Array): Uint8Array | null {
  if (sealed.length < NONCE + MAC) return null;
  return nacl.secretbox.open(sealed.subarray(NONCE), sealed.subarray(0, NONCE), key);
}

const enc = new TextEncoder();

/**
 * nonce || secretbox(u16 idLen || rowId || value), the same bytes as secretboxSeal of that
 * plaintext, built with tweetnacl's low-level call on ONE zero-padded buffer (its high-level
 * secretbox copies the message twice, which costs more than the cipher for small values).
 */
export function sealBound(key: Uint8Array, rowId: string, valueLen: number, write: (m: Uint8Array, at: number) => void): Buffer {
  const idLen = Buffer.byteLength(rowId, 'utf8');
  if (idLen > 0xffff) throw new Error('row id too long');
  const at = ZERO + 2 + idLen;
  const m = new Uint8Array(at + valueLen);
  m[ZERO] = idLen >> 8;
  m[ZERO + 1] = idLen & 0xff;
  enc.encodeInto(rowId, m.subarray(ZERO + 2, at));
  write(m, at);
  const c = new Uint8Array(m.length);
  const nonce = freshNonce();
  naclLow.crypto_secretbox(c, m, m.length, nonce, key);
  m.fill(0);
  const out = Buffer.allocUnsafe(NONCE + m.length - BOXZERO);
  out.set(nonce, 0);
  out.set(c.subarray(BOXZERO), NONCE);
  return out;
}

/** The value sealed for `rowId`, or null when the box does not open or belongs to another row
 * (the plaintext is zeroed then). `open` is tweetnacl's, or the same primitive from libsodium for
 * bulk reads (native-secretbox.ts). */
export function openBound(key: Uint8Array, rowId: string, sealed: Uint8Array, open: SecretboxOpener = secretboxOpen): Uint8Array | null {
  const plain = open(sealed, key);
  if (!plain) return null;
  const id = enc.encode(rowId);
  const idLen = plain.length >= 2 ? (plain[0]! << 8) | plain[1]! : -1;
  let ok = idLen === id.length && plain.length >= 2 + idLen;
  for (let i = 0; ok && i < idLen; i++) if (plain[2 + i] !== id[i]) ok = false;
  if (!ok) {
    plain.fill(0);
    return null;
  }
  return plain.subarray(2 + idLen);
}
