// `.env` text that both the dotenv package and a POSIX shell (`set -a; . file`, dash and bash)
// read back to exactly the value, so sourcing the file never runs anything in it.
// dotenv: '...' is literal (may span lines) but a closing quote after a backslash does not close,
// and CR LF is read as LF; "..." turns \n and \r into line breaks; no style escapes its own quote.
// sh: '...' is literal with no escape at all; in "..." $ ` \ and " are special.
// So a value is written
//   'single'  when it has no ', no CR and does not end with a backslash (everything else literal)
//   "double"  when it has a ' but none of $ ` " \ and no CR (literal to both there)
// and refused otherwise, naming the variable and the reason (never the value).
import { KeyholdError } from '../errors';

export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Upper snake case from a key's name: "Prod API key (v2)" -> PROD_API_KEY_V2. */
export function envNameFrom(name: string, prefix = ''): string {
  const base = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase();
  let out = `${prefix}${base || 'KEY'}`;
  if (/^[0-9]/.test(out)) out = `_${out}`;
  return checkEnvName(out);
}

export function checkEnvName(name: string): string {
  if (!ENV_NAME.test(name))
    throw new KeyholdError(
      'INVALID_INPUT',
      `Not a valid environment variable name: ${JSON.stringify(name.slice(0, 80))} (letters, digits and _, not starting with a digit).`,
    );
  return name;
}

export function checkEnvPrefix(prefix: string): string {
  if (prefix !== '' && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(prefix)) {
    throw new KeyholdError('INVALID_INPUT', 'The prefix must be letters, digits and _, not starting with a digit.');
  }
  return prefix;
}

/** Why a value has no spelling both readers take literally, or undefined when it has one. */
function unwritable(value: string): string | undefined {
  if (value.includes('\0')) return 'it holds a NUL character, which no shell variable can';
  if (value.includes('\r')) return 'it holds a carriage return, which dotenv reads as a line break and a shell keeps';
  if (value.includes("'") && /[$`"\\]/.test(value)) {
    return 'it holds a single quote together with $, `, " or \\, which cannot be quoted the same way for dotenv and a shell';
  }
  if (!value.includes("'") && value.endsWith('\\')) return 'it ends with a backslash, which dotenv reads as escaping the closing quote';
  return undefined;
}

/** One value in the quoting style that dotenv and a shell both read back exactly. */
export function dotenvValue(value: string, name = 'A value'): string {
  const why = unwritable(value);
  if (why)
    throw new KeyholdError(
      'INVALID_INPUT',
      `${name} cannot be written to a .env file that both dotenv and a shell read literally: ${why}. Use exec instead.`,
    );
  return value.includes("'") ? `"${value}"` : `'${value}'`;
}

export interface DotenvVar {
  name: string;
  value: string;
  /** shown as a comment above the line (never a secret) */
  comment?: string;
}

/** The .env text; names must be valid and distinct. */
export function renderDotenv(vars: readonly DotenvVar[]): string {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const v of vars) {
    checkEnvName(v.name);
    if (seen.has(v.name)) throw new KeyholdError('INVALID_INPUT', `Two values would both be named ${v.name}; give names explicitly.`);
    seen.add(v.name);
    if (v.comment) lines.push(`# ${v.comment.replace(/[\r\n]+/g, ' ')}`);
    lines.push(`${v.name}=${dotenvValue(v.value, v.name)}`);
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}
