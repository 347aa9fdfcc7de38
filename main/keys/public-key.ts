// OpenSSH public keys: the wire blob (RFC 4253 §6.6, RFC 5656, RFC 8709), the one-line form
// `ssh-ed25519 AAAA... comment` of .pub files and authorized_keys, and the key facts ssh-keygen
// prints (its type name and size).
import { createPublicKey } from 'node:crypto';
import { KeyholdError } from '../errors';
import { bitLength, SshReader, SshWriter } from './ssh-wire';
import { decodeStrictBase64 } from './strict-base64';

export const SSH_KEY_TYPES = ['ssh-ed25519', 'ssh-rsa', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521'] as const;
export type SshKeyType = (typeof SSH_KEY_TYPES)[number];
export type EcdsaKeyType = Extract<SshKeyType, `ecdsa-${string}`>;

/** ssh-keygen's name for the algorithm, as in "256 SHA256:... comment (ED25519)". */
export type KeyAlgorithm = 'ED25519' | 'RSA' | 'ECDSA';

export interface SshPublicKey {
  type: SshKeyType;
  algorithm: KeyAlgorithm;
  /** as ssh-keygen counts it: 256 for ed25519, the modulus size for RSA, the curve size for ECDSA */
  bits: number;
  /** the wire encoding: what the fingerprint hashes and the public line holds in base64 */
  blob: Buffer;
}

export interface EcdsaCurve {
  /** the curve's name inside the key blob */
  name: 'nistp256' | 'nistp384' | 'nistp521';
  bits: number;
  /** bytes of one coordinate */
  size: number;
  /** the JWK / Node name */
  jwk: 'P-256' | 'P-384' | 'P-521';
  /** OpenSSL's name, as Node reports namedCurve */
  openssl: 'prime256v1' | 'secp384r1' | 'secp521r1';
}

export const ECDSA_CURVES: Record<EcdsaKeyType, EcdsaCurve> = {
  'ecdsa-sha2-nistp256': { name: 'nistp256', bits: 256, size: 32, jwk: 'P-256', openssl: 'prime256v1' },
  'ecdsa-sha2-nistp384': { name: 'nistp384', bits: 384, size: 48, jwk: 'P-384', openssl: 'secp384r1' },
  'ecdsa-sha2-nistp521': { name: 'nistp521', bits: 521, size: 66, jwk: 'P-521', openssl: 'secp521r1' },
};

/** The ECDSA key type of a JWK curve name (as Node exports EC keys). */
export function ecdsaTypeOfJwk(crv: unknown): EcdsaKeyType {
  const type = (Object.keys(ECDSA_CURVES) as EcdsaKeyType[]).find((t) => ECDSA_CURVES[t].jwk === crv);
  if (!type) throw unsupportedType(`ecdsa ${String(crv)}`);
  return type;
}

/** OpenSSH's limits (SSH_RSA_MINIMUM_MODULUS_SIZE, OPENSSL_RSA_MAX_MODULUS_BITS). */
export const RSA_MIN_BITS = 1024;
export const RSA_MAX_BITS = 16384;

export function isSshKeyType(name: string): name is SshKeyType {
  return (SSH_KEY_TYPES as readonly string[]).includes(name);
}

export function isEcdsaType(type: SshKeyType): type is EcdsaKeyType {
  return type.startsWith('ecdsa-');
}

/** A key type name fit to show in a message (it came from an untrusted file). */
export function printableTypeName(name: string): string {
  return /^[A-Za-z0-9@.+_-]{1,64}$/.test(name) ? name : '(unreadable)';
}

export function unsupportedType(name: string): KeyholdError {
  return new KeyholdError(
    'INVALID_INPUT',
    `Unsupported key type ${printableTypeName(name)}: Keyhold handles ssh-ed25519, ssh-rsa and ecdsa-sha2-nistp256/384/521 keys.`,
  );
}

/** Checks an EC point (0x04 || x || y) lies on the curve, through OpenSSL. */
export function checkEcPoint(curve: EcdsaCurve, point: Buffer, what: string): void {
  if (point.length !== 1 + 2 * curve.size || point[0] !== 0x04) {
    throw new KeyholdError('INVALID_INPUT', `Malformed ${what}: the ECDSA point is not an uncompressed ${curve.name} point.`);
  }
  try {
    createPublicKey({
      key: {
        kty: 'EC',
        crv: curve.jwk,
        x: point.subarray(1, 1 + curve.size).toString('base64url'),
        y: point.subarray(1 + curve.size).toString('base64url'),
      },
      format: 'jwk',
    });
  } catch {
    throw new KeyholdError('INVALID_INPUT', `Malformed ${what}: the ECDSA point is not on the ${curve.name} curve.`);
  }
}

export function checkRsaModulus(n: Buffer, what: string): number {
  const bits = bitLength(n);
  if (bits < RSA_MIN_BITS || bits > RSA_MAX_BITS) {
    throw new KeyholdError(
      'INVALID_INPUT',
      `Unsupported ${what}: an RSA key of ${bits} bits (OpenSSH accepts ${RSA_MIN_BITS} to ${RSA_MAX_BITS}).`,
    );
  }
  return bits;
}

/** Parses and checks a public key blob; unknown or unsupported types are INVALID_INPUT. */
export function parsePublicBlob(blob: Buffer, what = 'public key'): SshPublicKey {
  const r = new SshReader(blob, what);
  const type = r.string().toString('latin1');
  if (!isSshKeyType(type)) throw unsupportedType(type);
  if (type === 'ssh-ed25519') {
    const pk = r.string();
    r.expectEnd();
    if (pk.length !== 32)
      throw new KeyholdError('INVALID_INPUT', `Malformed ${what}: an ed25519 public key has 32 bytes, not ${pk.length}.`);
    return { type, algorithm: 'ED25519', bits: 256, blob: Buffer.from(blob) };
  }
  if (type === 'ssh-rsa') {
    const e = r.mpint();
    const n = r.mpint();
    r.expectEnd();
    if (e.length === 0) throw new KeyholdError('INVALID_INPUT', `Malformed ${what}: the RSA exponent is zero.`);
    return { type, algorithm: 'RSA', bits: checkRsaModulus(n, what), blob: Buffer.from(blob) };
  }
  const curve = ECDSA_CURVES[type];
  const curveName = r.string().toString('latin1');
  const point = r.string();
  r.expectEnd();
  if (curveName !== curve.name) throw new KeyholdError('INVALID_INPUT', `Malformed ${what}: the curve does not match the key type.`);
  checkEcPoint(curve, point, what);
  return { type, algorithm: 'ECDSA', bits: curve.bits, blob: Buffer.from(blob) };
}

export function ed25519PublicBlob(publicKey: Buffer): Buffer {
  return new SshWriter().string('ssh-ed25519').string(publicKey).toBuffer();
}

/** The raw 32-byte ed25519 public key inside a blob (Encord's key id is its hex). */
export function ed25519PublicBytes(key: SshPublicKey): Buffer {
  if (key.type !== 'ssh-ed25519') throw new KeyholdError('INVALID_INPUT', `This is an ${key.algorithm} key, not an ed25519 key.`);
  const r = new SshReader(key.blob, 'public key');
  r.string();
  return r.string();
}

/** The line ssh-keygen writes to a .pub file / prints with -y: `type base64 [comment]`. */
export function publicKeyLine(key: SshPublicKey, comment = ''): string {
  const c = oneLineComment(comment);
  return c ? `${key.type} ${key.blob.toString('base64')} ${c}` : `${key.type} ${key.blob.toString('base64')}`;
}

/** A comment must stay on its line (a newline would start a second authorized_keys entry). */
export function oneLineComment(comment: string): string {
  return comment.replace(/[\r\n]+/g, ' ').trim();
}

export interface ParsedPublicLine {
  key: SshPublicKey;
  comment: string;
}

/** The longest public key line read: a 16,384-bit RSA key in base64 is under 3 KiB, so this
 * leaves room for any honest comment while a hostile line costs nothing. */
export const MAX_PUBLIC_LINE_CHARS = 64 * 1024;

/** Index of the first whitespace at or after `from` (\s's set, as trim() uses), or the length. */
function nextSpace(s: string, from: number): number {
  const re = /\s/g;
  re.lastIndex = from;
  return re.exec(s)?.index ?? s.length;
}

/** Parses one `type base64 [comment]` line; the type in the line must match the blob's.
 * A single left-to-right scan: a backtracking regex was quadratic on whitespace-heavy comments. */
export function parsePublicKeyLine(line: string): ParsedPublicLine {
  if (line.length > MAX_PUBLIC_LINE_CHARS) {
    throw new KeyholdError('INVALID_INPUT', `Malformed public key line: it is too long (more than ${MAX_PUBLIC_LINE_CHARS} characters).`);
  }
  const t = line.trim();
  const typeEnd = nextSpace(t, 0);
  const rest = t.slice(typeEnd).trimStart();
  const dataEnd = nextSpace(rest, 0);
  const type = t.slice(0, typeEnd);
  const data = rest.slice(0, dataEnd);
  const comment = rest.slice(dataEnd).trim();
  if (type === '' || data === '') throw new KeyholdError('INVALID_INPUT', 'Malformed public key line: expected "type base64 [comment]".');
  if (!isSshKeyType(type)) throw unsupportedType(type);
  const key = parsePublicBlob(decodeStrictBase64(data, 'public key line'), 'public key line');
  if (key.type !== type) throw new KeyholdError('INVALID_INPUT', 'Malformed public key line: the key type named does not match the key.');
  return { key, comment };
}
