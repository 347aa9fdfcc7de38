// An attachment from <Meta><Binaries>: base64, gzip-compressed when Compressed="True". Only what
// can be an SSH key is kept (a key file is small); any other attachment is remembered as "other"
// so that a 100 MB export full of PDFs costs no memory.
import { gunzipSync } from 'node:zlib';
import { MAX_KEY_FILE_BYTES } from '../keys/parse-key-file';
import { invalidInput } from './item';
import { looksLikePrivateKey } from './ssh-key-item';

export type BinaryContent = { kind: 'private'; text: string } | { kind: 'public'; text: string } | { kind: 'other' };

const PUBLIC_LINE = /^\s*(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)) [A-Za-z0-9+/=]+/;

export function decodeBinary(base64: string, compressed: boolean, where: () => string): BinaryContent {
  const clean = base64.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 !== 0)
    throw invalidInput(where(), 'an attachment in <Binaries> is not valid base64');
  let bytes = Buffer.from(clean, 'base64');
  if (compressed) {
    try {
      // a key is small: inflate no further than a key file can be
      bytes = gunzipSync(bytes, { maxOutputLength: MAX_KEY_FILE_BYTES + 1 });
    } catch (e) {
      if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') return { kind: 'other' };
      throw invalidInput(where(), 'a compressed attachment in <Binaries> is damaged (it does not inflate)');
    }
  }
  if (bytes.length > MAX_KEY_FILE_BYTES || bytes.includes(0)) return { kind: 'other' };
  const text = bytes.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(bytes)) return { kind: 'other' };
  if (looksLikePrivateKey(text)) return { kind: 'private', text };
  if (PUBLIC_LINE.test(text)) return { kind: 'public', text };
  return { kind: 'other' };
}
