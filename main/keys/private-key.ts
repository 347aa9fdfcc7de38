// A private key in OpenSSH's own serialization (sshkey_private_serialize: the type name, then
// the type's fields), which is what an openssh-key-v1 file holds. Conversions to and from Node's
// KeyObject (OpenSSL) serve PKCS#8 / PKCS#1 import and export and signing.
import { createECDH, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { KeyholdError } from '../errors';
import {
  checkEcPoint,
  checkRsaModulus,
  ECDSA_CURVES,
  ecdsaTypeOfJwk,
  ed25519PublicBlob,
  isEcdsaType,
  isSshKeyType,
  parsePublicBlob,
  unsupportedType,
  type EcdsaCurve,
  type SshPublicKey,
} from './public-key';
import { checkRsaPrivate } from './rsa-private-check';
import { SshReader, SshWriter } from './ssh-wire';

export interface SshPrivateKey {
  publicKey: SshPublicKey;
  comment: string;
  /** the type name and the type's private fields, in OpenSSH's wire order */
  body: Buffer;
}

// DER prefixes of the fixed-size ed25519 PKCS#8 and SPKI structures (RFC 8410): the seed and the
// public key follow them. Building DER directly is the fastest way into and out of OpenSSL.
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export function ed25519KeyObject(seed: Buffer): KeyObject {
  return createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

export function ed25519PublicKeyObject(publicKey: Buffer): KeyObject {
  return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' });
}

/** The raw public key of a seed, computed by OpenSSL. */
export function ed25519PublicFromSeed(seed: Buffer): Buffer {
  return jwkField(createPublicKey(ed25519KeyObject(seed)).export({ format: 'jwk' }).x, 'ed25519 key');
}

/** One base64url field of a JWK that Node exported. */
export function jwkField(v: string | undefined, what: string): Buffer {
  if (typeof v !== 'string') throw new KeyholdError('INVALID_INPUT', `Malformed ${what}: a key field is missing.`);
  return Buffer.from(v, 'base64url');
}

/** Seed and public key of a key Node generated. JWK rather than DER: OpenSSL 3's DER encoders
 * cost about 150 us a key, six times the generation itself. */
export function ed25519RawFromKeyObject(privateKey: KeyObject): { seed: Buffer; publicKey: Buffer } {
  const jwk = privateKey.export({ format: 'jwk' });
  return { seed: jwkField(jwk.d, 'ed25519 key'), publicKey: jwkField(jwk.x, 'ed25519 key') };
}

export function ed25519PrivateKey(seed: Buffer, publicKey: Buffer, comment: string): SshPrivateKey {
  if (seed.length !== 32 || publicKey.length !== 32)
    throw new KeyholdError('INVALID_INPUT', 'An ed25519 key has a 32-byte seed and a 32-byte public key.');
  const body = new SshWriter()
    .string('ssh-ed25519')
    .string(publicKey)
    .string(Buffer.concat([seed, publicKey]))
    .toBuffer();
  const blob = ed25519PublicBlob(publicKey);
  return { publicKey: { type: 'ssh-ed25519', algorithm: 'ED25519', bits: 256, blob }, comment, body };
}

const mismatch = (what: string) => new KeyholdError('INVALID_INPUT', `Malformed ${what}: its private and public halves do not match.`);

const big = (b: Buffer): bigint => (b.length === 0 ? 0n : BigInt(`0x${b.toString('hex')}`));
function unbig(v: bigint, size = 0): Buffer {
  let hex = v.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  const b = Buffer.from(hex, 'hex');
  return size > b.length ? Buffer.concat([Buffer.alloc(size - b.length), b]) : b;
}

function ecPublicFromPrivate(curve: EcdsaCurve, d: Buffer): Buffer {
  const ecdh = createECDH(curve.openssl);
  ecdh.setPrivateKey(unbig(big(d), curve.size));
  return ecdh.getPublicKey();
}

/**
 * Reads one private key (type name and fields) from an OpenSSH private section and checks that
 * its halves agree, as OpenSSH does before it will use a key.
 */
export function readPrivateBody(r: SshReader, what: string): { publicKey: SshPublicKey; body: Buffer } {
  const start = r.remaining();
  const type = r.string().toString('latin1');
  if (!isSshKeyType(type)) throw unsupportedType(type);
  let blob: Buffer;
  if (type === 'ssh-ed25519') {
    const pk = r.string();
    const sk = r.string();
    if (pk.length !== 32 || sk.length !== 64) throw new KeyholdError('INVALID_INPUT', `Malformed ${what}: wrong ed25519 key sizes.`);
    if (!sk.subarray(32).equals(pk) || !ed25519PublicFromSeed(sk.subarray(0, 32)).equals(pk)) throw mismatch(what);
    blob = ed25519PublicBlob(pk);
  } else if (type === 'ssh-rsa') {
    const [n, e, d, iqmp, p, q] = [r.mpint(), r.mpint(), r.mpint(), r.mpint(), r.mpint(), r.mpint()];
    checkRsaModulus(n, what);
    checkRsaPrivate({ n, e, d, iqmp, p, q }, what);
    blob = new SshWriter().string(type).mpint(e).mpint(n).toBuffer();
  } else {
    const curve = ECDSA_CURVES[type];
    const curveName = r.string().toString('latin1');
    const point = r.string();
    const d = r.mpint();
    if (curveName !== curve.name) throw new KeyholdError('INVALID_INPUT', `Malformed ${what}: the curve does not match the key type.`);
    checkEcPoint(curve, point, what);
    let derived: Buffer;
    try {
      derived = ecPublicFromPrivate(curve, d);
    } catch {
      throw mismatch(what);
    }
    if (!derived.equals(point)) throw mismatch(what);
    blob = new SshWriter().string(type).string(curve.name).string(point).toBuffer();
  }
  const body = Buffer.from(start.subarray(0, start.length - r.remaining().length));
  return { publicKey: parsePublicBlob(blob, what), body };
}

/** The fields of a body, re-read (bodies are only ever made by the checked paths above). */
function fields(key: SshPrivateKey): Buffer[] {
  const r = new SshReader(key.body, 'private key');
  r.string();
  if (key.publicKey.type === 'ssh-ed25519') return [r.string(), r.string()];
  if (key.publicKey.type === 'ssh-rsa') return [r.mpint(), r.mpint(), r.mpint(), r.mpint(), r.mpint(), r.mpint()];
  return [r.string(), r.string(), r.mpint()];
}

export function ed25519Seed(key: SshPrivateKey): Buffer {
  if (key.publicKey.type !== 'ssh-ed25519')
    throw new KeyholdError('INVALID_INPUT', `This is an ${key.publicKey.algorithm} key, not an ed25519 key.`);
  return fields(key)[1]!.subarray(0, 32);
}

/** The key as Node's KeyObject (OpenSSL), for PKCS#8 export and signing. */
export function toKeyObject(key: SshPrivateKey): KeyObject {
  const f = fields(key);
  const type = key.publicKey.type;
  if (type === 'ssh-ed25519') return ed25519KeyObject(f[1]!.subarray(0, 32));
  const b64 = (b: Buffer) => b.toString('base64url');
  if (type === 'ssh-rsa') {
    const [n, e, d, iqmp, p, q] = f as [Buffer, Buffer, Buffer, Buffer, Buffer, Buffer];
    const dp = unbig(big(d) % (big(p) - 1n));
    const dq = unbig(big(d) % (big(q) - 1n));
    return createPrivateKey({
      key: { kty: 'RSA', n: b64(n), e: b64(e), d: b64(d), p: b64(p), q: b64(q), dp: b64(dp), dq: b64(dq), qi: b64(iqmp) },
      format: 'jwk',
    });
  }
  if (!isEcdsaType(type)) throw unsupportedType(type);
  const curve = ECDSA_CURVES[type];
  const point = f[1]!;
  return createPrivateKey({
    key: {
      kty: 'EC',
      crv: curve.jwk,
      x: b64(point.subarray(1, 1 + curve.size)),
      y: b64(point.subarray(1 + curve.size)),
      d: b64(unbig(big(f[2]!), curve.size)),
    },
    format: 'jwk',
  });
}

/** A Node KeyObject (from PKCS#8, PKCS#1 or SEC1) as an OpenSSH private key. */
export function fromKeyObject(keyObject: KeyObject, comment: string, what: string): SshPrivateKey {
  const kind = keyObject.asymmetricKeyType;
  const jwk = keyObject.export({ format: 'jwk' });
  const raw = (v: string | undefined) => jwkField(v, what);
  const w = new SshWriter();
  if (kind === 'ed25519') {
    const seed = raw(jwk.d);
    const pk = raw(jwk.x);
    w.string('ssh-ed25519')
      .string(pk)
      .string(Buffer.concat([seed, pk]));
  } else if (kind === 'rsa') {
    w.string('ssh-rsa').mpint(raw(jwk.n)).mpint(raw(jwk.e)).mpint(raw(jwk.d)).mpint(raw(jwk.qi)).mpint(raw(jwk.p)).mpint(raw(jwk.q));
  } else if (kind === 'ec') {
    const type = ecdsaTypeOfJwk(jwk.crv);
    const point = Buffer.concat([Buffer.from([4]), raw(jwk.x), raw(jwk.y)]);
    w.string(type).string(ECDSA_CURVES[type].name).string(point).mpint(raw(jwk.d));
  } else {
    throw unsupportedType(kind ?? 'unknown');
  }
  const { publicKey, body } = readPrivateBody(new SshReader(w.toBuffer(), what), what);
  return { publicKey, comment, body };
}
