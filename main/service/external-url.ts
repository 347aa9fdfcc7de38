import { KeyholdError } from '../errors';

/** Only https pages leave the app: no file:, javascript:, custom schemes or plain http. The
 * address is not echoed in the error, as it may carry a token. */
export function externalUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new KeyholdError('INVALID_INPUT', 'That is not a web address.');
  }
  if (url.protocol !== 'https:' || !url.hostname) throw new KeyholdError('INVALID_INPUT', 'Only https:// addresses can be opened.');
  if (url.username || url.password)
    throw new KeyholdError('INVALID_INPUT', 'Addresses with a user name or password in them are not opened.');
  return url.href;
}
