// `.env` text that the dotenv package (and shells, docker compose) read back to exactly the value.
// dotenv's rules: '...' and `...` are literal (may span lines); "..." turns \n and \r into a line
// break and a carriage return and keeps every other backslash; no quote style has an escape for
// its own quote; a closing quote preceded by a backslash is not taken as closing by its line
// parser; CR LF is read as LF. So each value gets the first style that holds it exactly:
//   'single'  (no ', does not end with \, no CR)   also keeps $ away from shell/compose expansion
//   "double"  (no ", does not end with \, no literal \n or \r pair); line breaks written as \n
//   `back`    (no `, does not end with \, no CR)
//   bare      (one line, no #, no surrounding blanks, does not start with a quote)
// and a value none of them can hold is refused rather than written wrong.
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
  if (!ENV_NAME.test(name)) throw new KeyholdError('INVALID_INPUT', `Not a valid environment variable name: ${JSON.stringify(name.slice(0, 80))} (letters, digits and _, not starting with a digit).`);
  return name;
}

export function checkEnvPrefix(prefix: string): string {
  if (prefix !== '' && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(prefix)) {
    throw new KeyholdError('INVALID_INPUT', 'The prefix must be letters, digits and _, not starting with a digit.');
  }
  return prefix;
}

/** One value in the first dotenv quoting style that reads back exactly. */
export function dotenvValue(value: string): string {
  const endsInBackslash = value.endsWith('\\');
  if (!endsInBackslash && !value.includes("'") && !value.includes('\r') && !value.includes('\n')) return `'${value}'`;
  if (!endsInBackslash && !value.includes('"') && !/\\[nr]/.test(value)) {
    return `"${value.replace(/\r/g, '\\r').replace(/\n/g, '\\n')}"`;
  }
  if (!endsInBackslash && !value.includes("'") && !value.includes('\r')) return `'${value}'`;
  if (!endsInBackslash && !value.includes('`') && !value.includes('\r')) return `\`${value}\``;
  if (value !== '' && !/[#\r\n]/.test(value) && value === value.trim() && !/^['"`]/.test(value)) return value;
  throw new KeyholdError('INVALID_INPUT', 'A value holds a mix of quotes, backslashes and line breaks that a .env file cannot hold exactly; use exec instead.');
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
    lines.push(`${v.name}=${dotenvValue(v.value)}`);
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}
