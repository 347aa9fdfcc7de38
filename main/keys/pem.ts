// PEM key files other than OpenSSH's own: PKCS#8 (plain and encrypted), PKCS#1 RSA, SEC1 EC and
// SPKI public keys, read and written by Node's crypto (OpenSSL's decoders).
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { KeyholdError, systemErrorCode } from '../errors';
import { fromKeyObject, jwkField, toKeyObject, type SshPrivateKey } from './private-key';
import { ECDSA_CURVES, ecdsaTypeOfJwk, parsePublicBlob, unsupportedType, type SshPublicKey } from './public-key';
import { SshWriter } from './ssh-wire';

export const PRIVATE_PEM_LABELS = {
  'PRIVATE KEY': 'pkcs8',
  'ENCRYPTED PRIVATE KEY': 'pkcs8',
  'RSA PRIVATE KEY': 'pkcs1',
  'EC PRIVATE KEY': 'sec1',
} as const;
export type PrivatePemLabel = keyof typeof PRIVATE_PEM_LABELS;
export const PUBLIC_PEM_LABELS = ['PUBLIC KEY', 'RSA PUBLIC KEY'] as const;

/** The first PEM block of a label, from BEGIN to END, or INVALID_INPUT if it is cut off. */
export function pemBlock(text: string, label: string): string {
  const begin = `-----BEGIN ${label}-----`;
  const end = `-----END ${label}-----`;
  const start = text.indexOf(begin);
  const stop = text.indexOf(end, start);
  if (start < 0 || stop < 0)
    throw new KeyholdError('INVALID_INPUT', `Malformed ${label} file: the BEGIN or END line is missing (truncated?).`);
  return `${text.slice(start, stop + end.length)}\n`;
}

function isEncryptedPem(block: string, label: string): boolean {
  return label === 'ENCRYPTED PRIVATE KEY' || /^Proc-Type:\s*4,ENCRYPTED/m.test(block);
}

export function pemNeedsPassphrase(text: string, label: PrivatePemLabel): boolean {
  return isEncryptedPem(pemBlock(text, label), label);
}

export function decodePemPrivateKey(text: string, label: PrivatePemLabel, passphrase?: string): SshPrivateKey {
  const block = pemBlock(text, label);
  const encrypted = isEncryptedPem(block, label);
  if (encrypted && !passphrase)
    throw new KeyholdError('WRONG_PASSWORD', 'This key file is protected by a passphrase: give the passphrase to import it.');
  let keyObject;
  try {
    keyObject = createPrivateKey({ key: block, format: 'pem', ...(encrypted ? { passphrase } : {}) });
  } catch (e) {
    if (encrypted && systemErrorCode(e) === 'ERR_OSSL_BAD_DECRYPT')
      throw new KeyholdError('WRONG_PASSWORD', 'The passphrase does not open this key.');
    throw new KeyholdError('INVALID_INPUT', `Malformed ${label} file: OpenSSL cannot read it (corrupt or truncated).`);
  }
  return fromKeyObject(keyObject, '', `${label} file`);
}

/** An SPKI or PKCS#1 public key PEM as an OpenSSH public key. */
export function decodePemPublicKey(text: string, label: (typeof PUBLIC_PEM_LABELS)[number]): SshPublicKey {
  let keyObject;
  try {
    keyObject = createPublicKey({ key: pemBlock(text, label), format: 'pem' });
  } catch (e) {
    if (e instanceof KeyholdError) throw e;
    throw new KeyholdError('INVALID_INPUT', `Malformed ${label} file: OpenSSL cannot read it (corrupt or truncated).`);
  }
  const jwk = keyObject.export({ format: 'jwk' });
  const raw = (v: string | undefined) => jwkField(v, `${label} file`);
  const w = new SshWriter();
  if (keyObject.asymmetricKeyType === 'ed25519') w.string('ssh-ed25519').string(raw(jwk.x));
  else if (keyObject.asymmetricKeyType === 'rsa') w.string('ssh-rsa').mpint(raw(jwk.e)).mpint(raw(jwk.n));
  else if (keyObject.asymmetricKeyType === 'ec') {
    const type = ecdsaTypeOfJwk(jwk.crv);
    w.string(type)
      .string(ECDSA_CURVES[type].name)
      .string(Buffer.concat([Buffer.from([4]), raw(jwk.x), raw(jwk.y)]));
  } else throw unsupportedType(keyObject.asymmetricKeyType ?? 'unknown');
  return parsePublicBlob(w.toBuffer(), `${label} file`);
}

/** PKCS#8 PEM ("BEGIN PRIVATE KEY"); with a passphrase, PBES2 with AES-256-CBC ("BEGIN ENCRYPTED PRIVATE KEY"). */
export function encodePkcs8(key: SshPrivateKey, passphrase?: string): string {
  const keyObject = toKeyObject(key);
  const pem = passphrase
    ? keyObject.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase })
    : keyObject.export({ type: 'pkcs8', format: 'pem' });
  return pem.toString();
}
