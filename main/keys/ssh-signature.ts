// SSH signature blobs (RFC 4253 §6.6, RFC 8332 for rsa-sha2-*, RFC 5656 §3.1.2 for ECDSA,
// RFC 8709 for ed25519): `string algorithm, string signature`. Making them is how an agent answers
// a sign request; checking them is how it verifies a session-bind's host key signature.
import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { KeyholdError } from '../errors';
import { ed25519PublicKeyObject, toKeyObject, type SshPrivateKey } from './private-key';
import { ECDSA_CURVES, ed25519PublicBytes, isEcdsaType, parsePublicBlob, type EcdsaKeyType, type SshPublicKey } from './public-key';
import { SshReader, SshWriter } from './ssh-wire';

export type SignatureAlgorithm = 'ssh-ed25519' | 'ssh-rsa' | 'rsa-sha2-256' | 'rsa-sha2-512' | EcdsaKeyType;

/** The agent protocol's sign flags (draft-miller-ssh-agent §4.5.1). */
export const SSH_AGENT_RSA_SHA2_256 = 0x02;
export const SSH_AGENT_RSA_SHA2_512 = 0x04;

const ECDSA_HASH: Record<EcdsaKeyType, string> = {
  'ecdsa-sha2-nistp256': 'sha256',
  'ecdsa-sha2-nistp384': 'sha384',
  'ecdsa-sha2-nistp521': 'sha512',
};
const RSA_HASH = { 'ssh-rsa': 'sha1', 'rsa-sha2-256': 'sha256', 'rsa-sha2-512': 'sha512' } as const;

/**
 * The algorithm a key signs with under the agent's flags: RSA without a SHA-2 flag means plain
 * ssh-rsa, which is SHA-1 (callers decide whether to allow that); 512 wins if both are set, as in
 * OpenSSH's ssh-agent.
 */
export function signatureAlgorithmFor(key: SshPublicKey, flags: number): SignatureAlgorithm {
  if (key.type !== 'ssh-rsa') return key.type;
  if (flags & SSH_AGENT_RSA_SHA2_512) return 'rsa-sha2-512';
  if (flags & SSH_AGENT_RSA_SHA2_256) return 'rsa-sha2-256';
  return 'ssh-rsa';
}

function rawSignature(algorithm: SignatureAlgorithm, data: Uint8Array, key: KeyObject): Buffer {
  if (algorithm === 'ssh-ed25519') return sign(null, data, key);
  if (algorithm === 'ssh-rsa' || algorithm === 'rsa-sha2-256' || algorithm === 'rsa-sha2-512') return sign(RSA_HASH[algorithm], data, key);
  const curve = ECDSA_CURVES[algorithm];
  const rs = sign(ECDSA_HASH[algorithm], data, { key, dsaEncoding: 'ieee-p1363' });
  return new SshWriter().mpint(rs.subarray(0, curve.size)).mpint(rs.subarray(curve.size)).toBuffer();
}

/** Signs `data` as an SSH signature blob. `keyObject` may be passed in to skip the conversion. */
export function signSsh(key: SshPrivateKey, data: Uint8Array, flags: number, keyObject: KeyObject = toKeyObject(key)): Buffer {
  const algorithm = signatureAlgorithmFor(key.publicKey, flags);
  return new SshWriter()
    .string(algorithm)
    .string(rawSignature(algorithm, data, keyObject))
    .toBuffer();
}

/** Node's public KeyObject of an SSH public key. */
export function publicKeyObject(key: SshPublicKey): KeyObject {
  if (key.type === 'ssh-ed25519') return ed25519PublicKeyObject(ed25519PublicBytes(key));
  const r = new SshReader(key.blob, 'public key');
  r.string();
  if (key.type === 'ssh-rsa') {
    const e = r.mpint();
    const n = r.mpint();
    return createPublicKey({ key: { kty: 'RSA', n: n.toString('base64url'), e: e.toString('base64url') }, format: 'jwk' });
  }
  if (!isEcdsaType(key.type)) throw new KeyholdError('INVALID_INPUT', 'Unsupported key type.');
  const curve = ECDSA_CURVES[key.type];
  r.string();
  const point = r.string();
  return createPublicKey({
    key: {
      kty: 'EC',
      crv: curve.jwk,
      x: point.subarray(1, 1 + curve.size).toString('base64url'),
      y: point.subarray(1 + curve.size).toString('base64url'),
    },
    format: 'jwk',
  });
}

function leftPad(b: Buffer, size: number): Buffer | undefined {
  if (b.length > size) return undefined;
  return b.length === size ? b : Buffer.concat([Buffer.alloc(size - b.length), b]);
}

/**
 * Checks an SSH signature blob over `data` with a public key blob, as OpenSSH's sshkey_verify:
 * the algorithm must fit the key (an RSA key accepts ssh-rsa and rsa-sha2-*). Anything malformed
 * or unsupported is simply not valid.
 */
export function verifySsh(publicBlob: Buffer, signatureBlob: Buffer, data: Uint8Array): boolean {
  try {
    const key = parsePublicBlob(publicBlob, 'host key');
    const r = new SshReader(signatureBlob, 'signature');
    const algorithm = r.string().toString('latin1');
    const sig = r.string();
    r.expectEnd();
    const keyObject = publicKeyObject(key);
    if (key.type === 'ssh-ed25519') return algorithm === 'ssh-ed25519' && sig.length === 64 && verify(null, data, keyObject, sig);
    if (key.type === 'ssh-rsa') {
      if (algorithm !== 'ssh-rsa' && algorithm !== 'rsa-sha2-256' && algorithm !== 'rsa-sha2-512') return false;
      return verify(RSA_HASH[algorithm], data, keyObject, sig);
    }
    if (!isEcdsaType(key.type) || algorithm !== key.type) return false;
    const curve = ECDSA_CURVES[key.type];
    const rs = new SshReader(sig, 'ECDSA signature');
    const rr = leftPad(rs.mpint(), curve.size);
    const ss = leftPad(rs.mpint(), curve.size);
    rs.expectEnd();
    if (!rr || !ss) return false;
    return verify(ECDSA_HASH[key.type], data, { key: keyObject, dsaEncoding: 'ieee-p1363' }, Buffer.concat([rr, ss]));
  } catch {
    return false;
  }
}
