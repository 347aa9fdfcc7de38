// The `openssh-key-v1` private key file, byte for byte as ssh-keygen writes it (OpenSSH's
// PROTOCOL.key and sshkey_private_to_blob2): cipher none, or a passphrase through bcrypt_pbkdf
// with aes256-ctr, checkint pair, padding 1,2,3..., base64 in 70-column lines.
// Hand-written rather than sshpk's because sshpk recomputes every ed25519 public key in pure JS
// (about 400 keys/s end to end, against thousands needed), defaults to aes128-ctr, and reports a
// wrong passphrase only through its message text.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { pbkdf } from 'bcrypt-pbkdf';
import { KeyholdError } from '../errors';
import { readPrivateBody, type SshPrivateKey } from './private-key';
import { parsePublicBlob, type SshPublicKey } from './public-key';
import { SshReader, SshWriter } from './ssh-wire';
import { decodeStrictBase64 } from './strict-base64';

const MAGIC = 'openssh-key-v1';
const BEGIN = '-----BEGIN OPENSSH PRIVATE KEY-----';
const END = '-----END OPENSSH PRIVATE KEY-----';
/** ssh-keygen's default KDF rounds (DEFAULT_ROUNDS in ssh-keygen.c) */
export const DEFAULT_KDF_ROUNDS = 16;
/** A hostile file could ask for billions of rounds; ssh-keygen's own -a values stay far below. */
export const MAX_KDF_ROUNDS = 1024;
const SALT_LEN = 16;

interface CipherInfo {
  openssl: string;
  keyLen: number;
  ivLen: number;
  blockSize: number;
}

const CIPHERS: Record<string, CipherInfo> = {
  'aes256-ctr': { openssl: 'aes-256-ctr', keyLen: 32, ivLen: 16, blockSize: 16 },
  'aes192-ctr': { openssl: 'aes-192-ctr', keyLen: 24, ivLen: 16, blockSize: 16 },
  'aes128-ctr': { openssl: 'aes-128-ctr', keyLen: 16, ivLen: 16, blockSize: 16 },
  // OpenSSH 6.5 to 7.7 wrote aes256-cbc
  'aes256-cbc': { openssl: 'aes-256-cbc', keyLen: 32, ivLen: 16, blockSize: 16 },
  'aes192-cbc': { openssl: 'aes-192-cbc', keyLen: 24, ivLen: 16, blockSize: 16 },
  'aes128-cbc': { openssl: 'aes-128-cbc', keyLen: 16, ivLen: 16, blockSize: 16 },
};
const WRITE_CIPHER = 'aes256-ctr';

export interface OpenSshEncodeOptions {
  /** empty or absent: cipher none, as `ssh-keygen -N ''` */
  passphrase?: string;
  rounds?: number;
  /** for byte-for-byte tests against a file ssh-keygen wrote; random otherwise */
  checkint?: number;
  salt?: Buffer;
}

function deriveKeyIv(passphrase: string, salt: Buffer, rounds: number, cipher: CipherInfo): { key: Buffer; iv: Buffer } {
  const pass = Buffer.from(passphrase, 'utf8');
  const out = new Uint8Array(cipher.keyLen + cipher.ivLen);
  if (pbkdf(pass, pass.length, salt, salt.length, out, out.length, rounds) !== 0) {
    throw new KeyholdError('INVALID_INPUT', 'Malformed OpenSSH private key: bad KDF parameters.');
  }
  const buf = Buffer.from(out);
  return { key: buf.subarray(0, cipher.keyLen), iv: buf.subarray(cipher.keyLen) };
}

function armor(data: Buffer): string {
  const b64 = data.toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 70) lines.push(b64.slice(i, i + 70));
  return `${BEGIN}\n${lines.join('\n')}\n${END}\n`;
}

/** The private key file text, as ssh-keygen writes it. */
export function encodeOpenSshPrivateKey(key: SshPrivateKey, options: OpenSshEncodeOptions = {}): string {
  const encrypt = Boolean(options.passphrase);
  const cipher = encrypt ? CIPHERS[WRITE_CIPHER]! : undefined;
  const blockSize = cipher ? cipher.blockSize : 8;
  const checkint = options.checkint ?? randomBytes(4).readUInt32BE(0);

  const section = new SshWriter().uint32(checkint).uint32(checkint).raw(key.body).string(key.comment);
  for (let pad = 1; section.length % blockSize !== 0; pad++) section.raw(Buffer.from([pad]));
  let priv = section.toBuffer();

  const kdfOptions = new SshWriter();
  if (cipher && options.passphrase) {
    const rounds = options.rounds ?? DEFAULT_KDF_ROUNDS;
    const salt = options.salt ?? randomBytes(SALT_LEN);
    kdfOptions.string(salt).uint32(rounds);
    const { key: k, iv } = deriveKeyIv(options.passphrase, salt, rounds, cipher);
    const c = createCipheriv(cipher.openssl, k, iv);
    c.setAutoPadding(false);
    priv = Buffer.concat([c.update(priv), c.final()]);
  }

  const file = new SshWriter()
    .raw(Buffer.from(`${MAGIC}\0`, 'latin1'))
    .string(encrypt ? WRITE_CIPHER : 'none')
    .string(encrypt ? 'bcrypt' : 'none')
    .string(kdfOptions.toBuffer())
    .uint32(1)
    .string(key.publicKey.blob)
    .string(priv);
  return armor(file.toBuffer());
}

export interface DecodedOpenSshKey {
  /** the public key from the unencrypted header (readable without the passphrase) */
  publicKey: SshPublicKey;
  encrypted: boolean;
  cipher: string;
  /** present once decrypted: always for cipher none, with the right passphrase otherwise */
  privateKey?: SshPrivateKey;
  /** what is needed to rewrite the same bytes (tests) */
  checkint?: number;
  salt?: Buffer;
  rounds?: number;
}

export function isOpenSshPrivateKeyText(text: string): boolean {
  return text.includes(BEGIN);
}

function unarmor(text: string): Buffer {
  const start = text.indexOf(BEGIN);
  const end = text.indexOf(END, start);
  if (start < 0 || end < 0) throw new KeyholdError('INVALID_INPUT', 'Malformed OpenSSH private key: the BEGIN or END line is missing (truncated?).');
  const body = text.slice(start + BEGIN.length, end).replace(/\s+/g, '');
  return decodeStrictBase64(body, 'OpenSSH private key');
}

/** Reads the container; decrypts when a passphrase is given (or none is needed). */
export function decodeOpenSshPrivateKey(text: string, passphrase?: string): DecodedOpenSshKey {
  const what = 'OpenSSH private key';
  const r = new SshReader(unarmor(text), what);
  if (r.cstring() !== MAGIC) throw new KeyholdError('INVALID_INPUT', `Malformed ${what}: not an openssh-key-v1 file.`);
  const cipherName = r.string().toString('latin1');
  // before anything else: AEAD ciphers append a tag that the layout below would call garbage
  if (cipherName !== 'none' && !CIPHERS[cipherName]) {
    throw new KeyholdError('INVALID_INPUT', `Unsupported ${what}: cipher ${cipherName.replace(/[^\w@.-]/g, '?').slice(0, 40)} (Keyhold reads aes-ctr and aes-cbc keys).`);
  }
  const kdfName = r.string().toString('latin1');
  const kdfOptions = r.string();
  const nkeys = r.uint32();
  if (nkeys !== 1) throw new KeyholdError('INVALID_INPUT', `Malformed ${what}: it holds ${nkeys} keys; Keyhold reads files with one.`);
  const publicKey = parsePublicBlob(r.string(), what);
  const encryptedSection = r.string();
  r.expectEnd();

  const decoded: DecodedOpenSshKey = { publicKey, encrypted: cipherName !== 'none', cipher: cipherName };
  let section = encryptedSection;
  let blockSize = 8;
  if (cipherName === 'none') {
    if (kdfName !== 'none' || kdfOptions.length !== 0) throw new KeyholdError('INVALID_INPUT', `Malformed ${what}: a KDF without a cipher.`);
  } else {
    const cipher = CIPHERS[cipherName]!;
    if (kdfName !== 'bcrypt') throw new KeyholdError('INVALID_INPUT', `Unsupported ${what}: only the bcrypt KDF is known.`);
    const k = new SshReader(kdfOptions, `${what} (KDF options)`);
    const salt = k.string();
    const rounds = k.uint32();
    k.expectEnd();
    if (rounds < 1 || rounds > MAX_KDF_ROUNDS || salt.length === 0) {
      throw new KeyholdError('INVALID_INPUT', `Unsupported ${what}: ${rounds} KDF rounds (Keyhold accepts 1 to ${MAX_KDF_ROUNDS}).`);
    }
    decoded.salt = Buffer.from(salt);
    decoded.rounds = rounds;
    blockSize = cipher.blockSize;
    if (encryptedSection.length % blockSize !== 0) throw new KeyholdError('INVALID_INPUT', `Malformed ${what}: the encrypted part is truncated.`);
    if (passphrase === undefined || passphrase === '') {
      return decoded; // public part only: the caller asks for the passphrase if it needs more
    }
    const { key, iv } = deriveKeyIv(passphrase, salt, rounds, cipher);
    const d = createDecipheriv(cipher.openssl, key, iv);
    d.setAutoPadding(false);
    section = Buffer.concat([d.update(encryptedSection), d.final()]);
  }

  const s = new SshReader(section, `${what} (private part)`);
  const check1 = s.uint32();
  const check2 = s.uint32();
  if (check1 !== check2) {
    if (decoded.encrypted) throw new KeyholdError('WRONG_PASSWORD', 'The passphrase does not open this key.');
    throw new KeyholdError('INVALID_INPUT', `Malformed ${what}: its check numbers differ (corrupt file).`);
  }
  const { publicKey: derived, body } = readPrivateBody(s, what);
  const comment = s.text();
  const padding = s.remaining();
  if (padding.length >= blockSize || padding.some((b, i) => b !== i + 1)) throw new KeyholdError('INVALID_INPUT', `Malformed ${what}: bad padding.`);
  if ((section.length % blockSize) !== 0) throw new KeyholdError('INVALID_INPUT', `Malformed ${what}: bad padding length.`);
  if (!derived.blob.equals(publicKey.blob)) throw new KeyholdError('INVALID_INPUT', `Malformed ${what}: the public key does not match the private key.`);
  decoded.privateKey = { publicKey, comment, body };
  decoded.checkint = check1;
  return decoded;
}
