// Buffer.from(s, 'base64') silently skips characters it does not know, so "garbage base64" would
// decode to some bytes. Key files must be refused instead: this accepts canonical base64 only.
import { KeyholdError } from '../errors';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function decodeStrictBase64(text: string, what: string): Buffer {
  if (text.length === 0 || !BASE64.test(text)) {
    throw new KeyholdError('INVALID_INPUT', `Malformed ${what}: it is not valid base64.`);
  }
  return Buffer.from(text, 'base64');
}
