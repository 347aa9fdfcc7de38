// The same XSalsa20-Poly1305 secretbox as tweetnacl's (NaCl's "easy" format: MAC || ciphertext
// after a 24-byte nonce), from libsodium through sodium-native, for the bulk path: opening every
// index segment at unlock. tweetnacl stays the reference and what seals; libsodium opens the same
// bytes about six times faster, and needs no warm-up: tweetnacl's first 20 KB take ~25 ms until V8
// has compiled it (docs/SECURITY.md "Cryptography"). Loaded when an index is worth it (it costs
// ~12 ms to load); from then on every open in the process uses it. Where the addon cannot load (an
// unsupported platform), tweetnacl opens everything.
import { createRequire } from 'node:module';
import type { SecretboxOpener } from './secretbox';

const NONCE = 24;
const MAC = 16;

interface SodiumSecretbox {
  crypto_secretbox_open_easy(m: Uint8Array, c: Uint8Array, n: Uint8Array, k: Uint8Array): boolean;
}

function isSodium(v: unknown): v is SodiumSecretbox {
  return typeof v === 'object' && v !== null && typeof (v as Record<string, unknown>).crypto_secretbox_open_easy === 'function';
}

let loaded: SecretboxOpener | null | undefined;

/** libsodium's open if it is loaded already (never loads it). */
export function loadedNativeSecretboxOpen(): SecretboxOpener | undefined {
  return loaded ?? undefined;
}

/** libsodium's secretbox open, or null when sodium-native cannot be loaded here. */
export function nativeSecretboxOpen(): SecretboxOpener | null {
  if (loaded !== undefined) return loaded;
  let sodium: unknown;
  try {
    sodium = createRequire(__filename)('sodium-native');
  } catch {
    sodium = null;
  }
  if (!isSodium(sodium)) return (loaded = null);
  const lib = sodium;
  loaded = (sealed, key) => {
    if (sealed.length < NONCE + MAC) return null;
    const plain = new Uint8Array(sealed.length - NONCE - MAC);
    return lib.crypto_secretbox_open_easy(plain, sealed.subarray(NONCE), sealed.subarray(0, NONCE), key) ? plain : null;
  };
  return loaded;
}
