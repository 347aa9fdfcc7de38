// The `openssh-key-v1` private key file, byte for byte as ssh-keygen writes it (OpenSSH's
// PROTOCOL.key and sshkey_private_to_blob2): cipher none, or a passphrase through bcrypt_pbkdf
// with aes256-ctr, checkint pair, padding 1,2,3..., base64 in 70-column lines.
// Hand-written rather than sshpk's because sshpk recomputes every ed25519 public key in pure JS
// (about 400 keys/s end to end, against thousands needed), defaults to aes128-ctr, and reports a
// wrong passphrase only through its message text.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { KeyholdError } from '../errors';
import { bcryptPbkdfOffThread } from './bcrypt-pbkdf-thread';
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

/** bcrypt_pbkdf on a worker thread: up to 1,024 rounds take seconds. */
async function deriveKeyIv(passphrase: string, salt: Buffer, rounds: number, cipher: CipherInfo): Promise<{ key: Buffer; iv: Buffer }> {
  const pass = new Uint8Array(Buffer.from(passphrase, 'utf8'));
  try {
    const buf = await bcryptPbkdfOffThread({ pass, salt: new Uint8Array(salt), keyLen: cipher.keyLen + cipher.ivLen, rounds });
    return { key: buf.subarray(0, cipher.keyLen), iv: buf.subarray(cipher.keyLen) };
  } finally {
    pass.fill(0);
  }
}

function armor(data: Buffer): string {
  const b64 = data.toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 70) lines.push(b64.slice(i, i + 70));
  return `${BEGIN}\n${lines.join('\n')}\n${END}\n`;
}

/** The unprotected private key file text (cipher none), as `ssh-keygen -N ''` writes it. */
export function encodeOpenSshPrivateKey(key: SshPrivateKey, options: Pick<OpenSshEncodeOptions, 'checkint'> = {}): string {
  return encodeContainer(key, options, null);
}

/** The private key file text, as ssh-keygen writes it; with a passphrase, the KDF runs on a worker. */
export async function encodeOpenSshPrivateKeyAsync(key: SshPrivateKey, options: OpenSshEncodeOptions = {}): Promise<string> {
  if (!options.passphrase) return encodeContainer(key, options, null);
  const rounds = options.rounds ?? DEFAULT_KDF_ROUNDS;
  const salt = options.salt ?? randomBytes(SALT_LEN);
  const derived = await deriveKeyIv(options.passphrase, salt, rounds, CIPHERS[WRITE_CIPHER]!);
  return encodeContainer(key, options, { salt, rounds, ...derived });
}

function encodeContainer(
  key: SshPrivateKey,
  options: Pick<OpenSshEncodeOptions, 'checkint'>,
  kdf: { salt: Buffer; rounds: number; key: Buffer; iv: Buffer } | null,
): string {
  const encrypt = kdf !== null;
  const cipher = encrypt ? CIPHERS[WRITE_CIPHER]! : undefined;
  const blockSize = cipher ? cipher.blockSize : 8;
  const checkint = options.checkint ?? randomBytes(4).readUInt32BE(0);

  const section = new SshWriter().uint32(checkint).uint32(checkint).raw(key.body).string(key.comment);
  for (let pad = 1; section.length % blockSize !== 0; pad++) section.raw(Buffer.from([pad]));
  let priv = section.toBuffer();

  const kdfOptions = new SshWriter();
  if (cipher && kdf) {
    kdfOptions.string(kdf.salt).uint32(kdf.rounds);
    const c = createCipheriv(cipher.openssl, kdf.key, kdf.iv);
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
  if (start < 0 || end < 0)
    throw new KeyholdError('INVALID_INPUT', 'Malformed OpenSSH private key: the BEGIN or END line is missing (truncated?).');
  const body = text.slice(start + BEGIN.length, end).replace(/\s+/g, '');
  return decodeStrictBase64(body, 'OpenSSH private key');
}

const what = 'OpenSSH private key';

/** Reads the container, and the private key when it is not encrypted (no KDF, so synchronous);
 * for an encrypted file, only the public part. */
export function decodeOpenSshPrivateKey(text: string): DecodedOpenSshKey {
  const c = readContainer(text);
  return c.cipher ? c.decoded : openSection(c.decoded, c.section, 8);
}

/** Reads the container and decrypts the private key when a passphrase is given (the KDF on a
 * worker thread) or none is needed. */
export async function decodeOpenSshPrivateKeyAsync(text: string, passphrase?: string): Promise<DecodedOpenSshKey> {
  const c = readContainer(text);
  if (!c.cipher) return openSection(c.decoded, c.section, 8);
  if (passphrase === undefined || passphrase === '') return c.decoded; // the caller asks for the passphrase if it needs more
  const { key, iv } = await deriveKeyIv(passphrase, c.decoded.salt!, c.decoded.rounds!, c.cipher);
  const d = createDecipheriv(c.cipher.openssl, key, iv);
  d.setAutoPadding(false);
  return openSection(c.decoded, Buffer.concat([d.update(c.section), d.final()]), c.cipher.blockSize);
}

interface Container {
  decoded: DecodedOpenSshKey;
  /** the private section, still encrypted when `cipher` is set */
  section: Buffer;
  cipher: CipherInfo | null;
}

function readContainer(text: string): Container {
  const r = new SshReader(unarmor(text), what);
  if (r.cstring() !== MAGIC) throw new KeyholdError('INVALID_INPUT', `Malformed ${what}: not an openssh-key-v1 file.`);
  const cipherName = r.string().toString('latin1');
  // before anything else: AEAD ciphers append a tag that the layout below would call garbage
  if (cipherName !== 'none' && !CIPHERS[cipherName]) {
    throw new KeyholdError(
      'INVALID_INPUT',
      `Unsupported ${what}: cipher ${cipherName.replace(/[^\w@.-]/g, '?').slice(0, 40)} (Keyhold reads aes-ctr and aes-cbc keys).`,
    );
  }
  const kdfName = r.string().toString('latin1');
  const kdfOptions = r.string();
  const nkeys = r.uint32();
  if (nkeys !== 1) throw new KeyholdError('INVALID_INPUT', `Malformed ${what}: it holds ${nkeys} keys; Keyhold reads files with one.`);
  const publicKey = parsePublicBlob(r.string(), what);
  const encryptedSection = r.string();
  r.expectEnd();

  const decoded: DecodedOpenSshKey = { publicKey, encrypted: cipherName !== 'none', cipher: cipherName };
  if (cipherName === 'none') {
    if (kdfName !== 'none' || kdfOptions.length !== 0)
      throw new KeyholdError('INVALID_INPUT', `Malformed ${what}: a KDF without a cipher.`);
    return { decoded, section: encryptedSection, cipher: null };
  }
  {
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
    if (encryptedSection.length % cipher.blockSize !== 0)
      throw new KeyholdError('INVALID_INPUT', `Malformed ${what}: the encrypted part is truncated.`);
    return { decoded, section: encryptedSection, cipher };
  }
}

/** The decrypted private section: check numbers, key, comment, padding. */
function openSection(decoded: DecodedOpenSshKey, section: Buffer, blockSize: number): DecodedOpenSshKey {
  const { publicKey } = decoded;
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
  if (padding.length >= blockSize || padding.some((b, i) => b !== i + 1))
    throw new KeyholdError('INVALID_INPUT', `Malformed ${what}: bad padding.`);
  if (section.length % blockSize !== 0) throw new KeyholdError('INVALID_INPUT', `Malformed ${what}: bad padding length.`);
  if (!derived.blob.equals(publicKey.blob))
    throw new KeyholdError('INVALID_INPUT', `Malformed ${what}: the public key does not match the private key.`);
  return { ...decoded, privateKey: { publicKey, comment, body }, checkint: check1 };
}
