// ed25519 key pairs from Node's crypto (the OS CSPRNG and OpenSSL's constant-time code), and
// signatures with them. tweetnacl is about 80x slower and stays in the tests as a cross-check.
import { generateKeyPair, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { KeyholdError } from '../errors';
import {
  ed25519KeyObject,
  ed25519PrivateKey,
  ed25519PublicKeyObject,
  ed25519RawFromKeyObject,
  ed25519Seed,
  type SshPrivateKey,
} from './private-key';
import { ed25519PublicBytes, type SshPublicKey } from './public-key';

const generateKeyPairAsync = promisify(generateKeyPair);

function fromGenerated(privateKey: KeyObject, comment: string): SshPrivateKey {
  const raw = ed25519RawFromKeyObject(privateKey);
  return ed25519PrivateKey(raw.seed, raw.publicKey, comment);
}

export function generateEd25519(comment = ''): SshPrivateKey {
  return fromGenerated(generateKeyPairSync('ed25519').privateKey, comment);
}

/** The same on libuv's thread pool, so that a batch uses every core. */
export async function generateEd25519Async(comment = ''): Promise<SshPrivateKey> {
  return fromGenerated((await generateKeyPairAsync('ed25519')).privateKey, comment);
}

/** The 64-byte ed25519 signature (RFC 8032) of `data`. */
export function signEd25519(key: SshPrivateKey, data: Uint8Array): Buffer {
  if (key.publicKey.type !== 'ssh-ed25519')
    throw new KeyholdError('INVALID_INPUT', `Only ed25519 keys sign here; this is an ${key.publicKey.algorithm} key.`);
  return sign(null, data, ed25519KeyObject(ed25519Seed(key)));
}

export function verifyEd25519(publicKey: SshPublicKey, data: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== 64) return false;
  return verify(null, data, ed25519PublicKeyObject(ed25519PublicBytes(publicKey)), signature);
}
