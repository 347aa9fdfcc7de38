// A curl config file (`curl -K FILE` or ~/.curlrc) holding one credential as `user = "PUBLIC:SECRET"`.
// Inside double quotes curl reads \\ \" \t \n \r \v as escapes (and \x as x), so backslashes and
// quotes are escaped; control characters are refused rather than turned into escapes. curl splits
// user at the first ':', so the login part cannot hold one.
import { KeyholdError } from '../errors';

function quoted(s: string): string {
  return `"${s.replace(/[\\"]/g, '\\$&')}"`;
}

export function curlConfig(login: string, secret: string, options: { comment?: string } = {}): string {
  if (!login) throw new KeyholdError('INVALID_INPUT', 'A curl config needs a login (the key has no public part).');
  if (login.includes(':'))
    throw new KeyholdError('INVALID_INPUT', "The login contains ':', which curl would take as the start of the password.");
  if (/[\u0000-\u001f\u007f]/.test(login + secret)) {
    throw new KeyholdError(
      'INVALID_INPUT',
      'The credential contains a control character (newline, tab, ...) that a curl config cannot hold.',
    );
  }
  const head = options.comment ? `# ${options.comment.replace(/[\r\n]+/g, ' ')}\n` : '';
  return `${head}user = ${quoted(`${login}:${secret}`)}\n`;
}
