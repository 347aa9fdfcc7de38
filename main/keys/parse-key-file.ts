// Import: recognises what a key file is (OpenSSH private key, PKCS#8, PKCS#1, SEC1, SPKI, or an
// OpenSSH public key line) and reads it into one shape. Every failure is a KeyholdError whose
// message names the problem and never quotes the file.
import { KeyholdError } from '../errors';
import { decodeOpenSshPrivateKey, decodeOpenSshPrivateKeyAsync, isOpenSshPrivateKeyText } from './openssh-private';
import {
  decodePemPrivateKey,
  decodePemPublicKey,
  pemNeedsPassphrase,
  PRIVATE_PEM_LABELS,
  PUBLIC_PEM_LABELS,
  type PrivatePemLabel,
} from './pem';
import type { SshPrivateKey } from './private-key';
import { parsePublicKeyLine, type SshPublicKey } from './public-key';

export type KeySource = 'openssh' | 'pkcs8' | 'pkcs1' | 'sec1' | 'spki' | 'public-line';

export interface ParsedKeyFile {
  source: KeySource;
  publicKey: SshPublicKey;
  comment: string;
  /** null for a public key alone */
  privateKey: SshPrivateKey | null;
  /** the file was passphrase-protected */
  encrypted: boolean;
}

/** Key files are small (a 16,384-bit RSA key is under 13 KiB); anything bigger is not one. */
export const MAX_KEY_FILE_BYTES = 256 * 1024;

const NOT_A_KEY =
  'This is not a key file Keyhold can read: expected an OpenSSH private key, a PKCS#8 or PKCS#1 PEM file, or an OpenSSH public key line.';

function asText(input: string | Buffer): string {
  if (typeof input === 'string') {
    if (Buffer.byteLength(input) > MAX_KEY_FILE_BYTES) throw new KeyholdError('INVALID_INPUT', 'This file is too large to be a key file.');
    return input;
  }
  if (input.length > MAX_KEY_FILE_BYTES) throw new KeyholdError('INVALID_INPUT', 'This file is too large to be a key file.');
  const text = input.toString('utf8');
  if (input.includes(0) || !Buffer.from(text, 'utf8').equals(input))
    throw new KeyholdError('INVALID_INPUT', `${NOT_A_KEY} (It holds binary data.)`);
  return text;
}

function pemLabel(text: string): string | undefined {
  return /-----BEGIN ([A-Z0-9 ]+)-----/.exec(text)?.[1];
}

function isPrivateLabel(label: string): label is PrivatePemLabel {
  return Object.prototype.hasOwnProperty.call(PRIVATE_PEM_LABELS, label);
}

function isPublicLabel(label: string): label is (typeof PUBLIC_PEM_LABELS)[number] {
  return (PUBLIC_PEM_LABELS as readonly string[]).includes(label);
}

/** True when reading the private key needs a passphrase (so a UI or CLI can ask first). */
export function keyFileNeedsPassphrase(input: string | Buffer): boolean {
  const text = asText(input);
  if (isOpenSshPrivateKeyText(text)) return decodeOpenSshPrivateKey(text).encrypted;
  const label = pemLabel(text);
  return label !== undefined && isPrivateLabel(label) && pemNeedsPassphrase(text, label);
}

/** Reads a key file; a passphrase-protected OpenSSH key's KDF runs on a worker thread. */
export async function parseKeyFile(input: string | Buffer, options: { passphrase?: string } = {}): Promise<ParsedKeyFile> {
  const text = asText(input);
  if (isOpenSshPrivateKeyText(text)) {
    const decoded = await decodeOpenSshPrivateKeyAsync(text, options.passphrase);
    if (!decoded.privateKey)
      throw new KeyholdError('WRONG_PASSWORD', 'This key file is protected by a passphrase: give the passphrase to import it.');
    const { privateKey } = decoded;
    return { source: 'openssh', publicKey: privateKey.publicKey, comment: privateKey.comment, privateKey, encrypted: decoded.encrypted };
  }
  const label = pemLabel(text);
  if (label !== undefined) {
    if (isPrivateLabel(label)) {
      const privateKey = decodePemPrivateKey(text, label, options.passphrase);
      const encrypted = pemNeedsPassphrase(text, label);
      return { source: PRIVATE_PEM_LABELS[label], publicKey: privateKey.publicKey, comment: '', privateKey, encrypted };
    }
    if (isPublicLabel(label))
      return { source: 'spki', publicKey: decodePemPublicKey(text, label), comment: '', privateKey: null, encrypted: false };
    throw new KeyholdError(
      'INVALID_INPUT',
      `Unsupported key file: "${label.slice(0, 40)}" (Keyhold reads OpenSSH, PKCS#8, PKCS#1 and EC PEM keys).`,
    );
  }
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
  if (lines.length === 0) throw new KeyholdError('INVALID_INPUT', `${NOT_A_KEY} (It is empty.)`);
  if (lines.length > 1)
    throw new KeyholdError('INVALID_INPUT', `This file holds ${lines.length} lines; a public key file holds one key line.`);
  if (!/^\s*\S+\s+\S+/.test(lines[0]!)) throw new KeyholdError('INVALID_INPUT', NOT_A_KEY);
  const { key, comment } = parsePublicKeyLine(lines[0]!);
  return { source: 'public-line', publicKey: key, comment, privateKey: null, encrypted: false };
}
