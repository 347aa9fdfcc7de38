// The vault's cryptography: Argon2id turns the master password into a key encryption key (KEK)
// that wraps a random 32-byte vault key (tweetnacl secretbox); every sealed value is a secretbox
// under a per-(table, column) subkey of the vault key, with its row id inside the plaintext, so a
// ciphertext moved to another column fails its MAC and one moved to another row fails the id check.
import { createHmac, randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { hashRaw, type Options as Argon2Options } from '@node-rs/argon2';
import { KeyholdError } from '../errors';
import { loadedNativeSecretboxOpen } from './native-secretbox';
import { openBound, sealBound, secretboxOpen, secretboxSeal, type SecretboxOpener } from './secretbox';
import type { KdfParams } from './types';

export { pooledRandom, secretboxOpen, secretboxSeal } from './secretbox';

export const VAULT_KEY_BYTES = 32;
/** Below this the KDF is refused (Bitwarden's default; a weaker header is a downgrade attack). */
export const KDF_FLOOR = { memoryKiB: 64 * 1024, iterations: 3 } as const;
export const KDF_TARGET_MS = 500;
const ARGON2ID = 2 as unknown as NonNullable<Argon2Options['algorithm']>; // Algorithm.Argon2id (a const enum)

export interface StoredKdf extends KdfParams {
  /** base64 */
  salt: string;
}

export function checkKdfFloor(p: KdfParams, what = 'The vault'): void {
  if (p.algorithm !== 'argon2id' || p.memoryKiB < KDF_FLOOR.memoryKiB || p.iterations < KDF_FLOOR.iterations || p.parallelism < 1) {
    throw new KeyholdError(
      'INTEGRITY',
      `${what} asks for key derivation parameters below Keyhold's floor (Argon2id, 64 MiB, 3 iterations): refused as a possible downgrade attack.`,
    );
  }
}

/** Above this the KDF is refused too: the limits `init` accepts (a header or backup asking for more
 * would hang the unlock, or exhaust memory, before the password could be checked). */
export const KDF_CEILING = { memoryKiB: 4 * 1024 * 1024, iterations: 1000, parallelism: 255 } as const;

/** The floor and the ceiling, checked before any KDF runs on parameters read from a file. */
export function checkKdfBounds(p: KdfParams, what = 'The vault'): void {
  checkKdfFloor(p, what);
  const whole = Number.isSafeInteger(p.memoryKiB) && Number.isSafeInteger(p.iterations) && Number.isSafeInteger(p.parallelism);
  if (!whole || p.memoryKiB > KDF_CEILING.memoryKiB || p.iterations > KDF_CEILING.iterations || p.parallelism > KDF_CEILING.parallelism) {
    throw new KeyholdError(
      'INTEGRITY',
      `${what} asks for key derivation parameters above Keyhold's limits (4 GiB, 1000 iterations, parallelism 255): damaged or tampered with.`,
    );
  }
}

/**
 * Argon2id on libuv's thread pool (the async API), so the event loop keeps running. The password's
 * bytes are zeroed once the KDF has used them; a Uint8Array given here is the caller's buffer,
 * handed over (it is zeroed too).
 */
export async function deriveKey(password: string | Uint8Array, kdf: KdfParams, salt: Uint8Array): Promise<Buffer> {
  const bytes = typeof password === 'string' ? Buffer.from(password, 'utf8') : password;
  try {
    return await hashRaw(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
      algorithm: ARGON2ID,
      memoryCost: kdf.memoryKiB,
      timeCost: kdf.iterations,
      parallelism: kdf.parallelism,
      outputLen: VAULT_KEY_BYTES,
      salt,
    });
  } finally {
    bytes.fill(0);
  }
}

export function defaultParallelism(): number {
  return Math.max(1, Math.min(4, cpus().length));
}

/** Time of one derivation with `kdf`, in ms. */
export async function timeKdf(kdf: KdfParams): Promise<number> {
  const t0 = performance.now();
  const k = await deriveKey('keyhold-calibration', kdf, randomBytes(16));
  k.fill(0);
  return performance.now() - t0;
}

/**
 * Parameters that take about `targetMs` here: from the floor, memory grows first (up to 256 MiB:
 * memory is what makes GPUs pay), then iterations. Never below the floor. One cold or
 * interrupted measurement must not decide the vault's cost for years, so the floor is timed after
 * a warm-up (the faster of two), and the estimate is checked once and corrected.
 */
export async function calibrateKdf(targetMs = KDF_TARGET_MS): Promise<KdfParams> {
  const kdf: KdfParams = {
    algorithm: 'argon2id',
    memoryKiB: KDF_FLOOR.memoryKiB,
    iterations: KDF_FLOOR.iterations,
    parallelism: defaultParallelism(),
  };
  await timeKdf(kdf);
  let ms = Math.min(await timeKdf(kdf), await timeKdf(kdf));
  while (kdf.memoryKiB < 256 * 1024 && ms * 2 <= targetMs * 1.1) {
    kdf.memoryKiB *= 2;
    ms *= 2;
  }
  if (ms < targetMs) kdf.iterations = Math.max(KDF_FLOOR.iterations, Math.round((kdf.iterations * targetMs) / ms));
  const actual = await timeKdf(kdf);
  if (actual < targetMs * 0.7 || actual > targetMs * 1.4) {
    kdf.iterations = Math.max(KDF_FLOOR.iterations, Math.round((kdf.iterations * targetMs) / actual));
  }
  return kdf;
}

const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { fatal: true });

/**
 * The vault key in use: derives and caches one subkey per binding label ("keys.secret"), seals
 * and opens values bound to a row id. zero() wipes the key and every subkey.
 */
export class Sealer {
  private readonly subkeys = new Map<string, Buffer>();
  private zeroed = false;
  constructor(private readonly vaultKey: Buffer) {}

  private subkey(label: string): Buffer {
    if (this.zeroed) throw new KeyholdError('LOCKED', 'The vault is locked.');
    let k = this.subkeys.get(label);
    if (!k) {
      k = createHmac('sha256', this.vaultKey).update(`keyhold/v1/${label}`).digest();
      this.subkeys.set(label, k);
    }
    return k;
  }

  /** A copy of one label's subkey, for a worker thread that opens values of that label (the
   * worker zeroes its copy; the vault key itself never leaves this object). */
  subkeyCopy(label: string): Uint8Array {
    return new Uint8Array(this.subkey(label));
  }

  /** A keyed hash (audit chain); its own subkey. */
  mac(label: string, ...parts: Uint8Array[]): Buffer {
    const h = createHmac('sha256', this.subkey(`mac/${label}`));
    for (const p of parts) h.update(p);
    return h.digest();
  }

  sealBytes(label: string, rowId: string, value: Uint8Array): Buffer {
    return this.sealInto(label, rowId, value.length, (m, at) => m.set(value, at));
  }

  /** nonce || secretbox(u16 idLen || rowId || value) under this label's subkey (secretbox.ts). */
  private sealInto(label: string, rowId: string, valueLen: number, write: (m: Uint8Array, at: number) => void): Buffer {
    return sealBound(this.subkey(label), rowId, valueLen, write);
  }

  /** `open`: libsodium's once it is loaded (native-secretbox.ts), else tweetnacl's (the reference). */
  openBytes(label: string, rowId: string, sealed: Uint8Array, open?: SecretboxOpener): Uint8Array {
    const value = openBound(this.subkey(label), rowId, sealed, open ?? loadedNativeSecretboxOpen());
    if (!value)
      throw new KeyholdError(
        'INTEGRITY',
        `The vault is damaged or tampered with: a sealed value in ${label} (row ${rowId.slice(0, 40)}) does not open.`,
      );
    return value;
  }

  seal(label: string, rowId: string, value: string): Buffer {
    return this.sealInto(label, rowId, Buffer.byteLength(value, 'utf8'), (m, at) => enc.encodeInto(value, m.subarray(at)));
  }

  open(label: string, rowId: string, sealed: Uint8Array): string {
    const bytes = this.openBytes(label, rowId, sealed);
    try {
      return dec.decode(bytes);
    } catch {
      throw new KeyholdError('INTEGRITY', `The vault is damaged: a sealed value in ${label} is not text.`);
    } finally {
      bytes.fill(0);
    }
  }

  sealJson(label: string, rowId: string, value: unknown): Buffer {
    return this.seal(label, rowId, JSON.stringify(value));
  }

  openJson(label: string, rowId: string, sealed: Uint8Array): unknown {
    const text = this.open(label, rowId, sealed);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new KeyholdError('INTEGRITY', `The vault is damaged: a sealed value in ${label} is not valid JSON.`);
    }
  }

  /** The vault key wrapped under a new KEK (passwd, backup): the key itself never leaves. */
  wrapUnder(kek: Uint8Array): Buffer {
    if (this.zeroed) throw new KeyholdError('LOCKED', 'The vault is locked.');
    return wrapKey(this.vaultKey, kek);
  }

  zero(): void {
    this.vaultKey.fill(0);
    for (const k of this.subkeys.values()) k.fill(0);
    this.subkeys.clear();
    this.zeroed = true;
  }

  get isZeroed(): boolean {
    return this.zeroed;
  }
}

let warmed = false;

/**
 * Runs tweetnacl's seal and open on throwaway data in small slices while this thread has nothing
 * else to do (openVault and createVault call it while Argon2id runs on the thread pool): until V8
 * has optimized them they run 10-50 times slower, and the first bulk write would pay ~50 ms for it.
 * Each slice stops after 2 ms (the cores are busy with the KDF: a longer one would hold the event
 * loop for a frame); the whole costs ~70 ms of CPU once per process.
 */
export function warmSealingInBackground(): void {
  if (warmed) return;
  warmed = true;
  const s = new Sealer(randomBytes(VAULT_KEY_BYTES));
  let round = 0;
  const slice = () => {
    const until = performance.now() + 2;
    do {
      s.open('warm', String(round), s.seal('warm', String(round), 'a value of a typical size for a key name'));
      round++;
    } while (round < 640 && performance.now() < until);
    if (round < 640) setImmediate(slice);
    else s.zero();
  };
  setImmediate(slice);
}

/** Wraps the vault key under a KEK: nonce || secretbox. */
export function wrapKey(vaultKey: Uint8Array, kek: Uint8Array): Buffer {
  return Buffer.from(secretboxSeal(vaultKey, kek));
}

export function unwrapKey(wrapped: Uint8Array, kek: Uint8Array): Buffer | null {
  const k = secretboxOpen(wrapped, kek);
  if (!k || k.length !== VAULT_KEY_BYTES) return null;
  const out = Buffer.from(k);
  k.fill(0);
  return out;
}

export function newVaultKey(): Buffer {
  return randomBytes(VAULT_KEY_BYTES);
}
