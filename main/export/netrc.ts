// A netrc reader and merger that keeps every byte it does not change. The npm netrc packages
// (netrc, netrc-parser, node-netrc) either re-serialise the file (losing comments, layout and
// macdef blocks) or do not read quoted values, so this is a small parser of our own that records
// where each token sits in the text and edits only those spans.
//
// The grammar accepted is the intersection of the two readers we test with: curl (lib/netrc.c)
// and Python's netrc module. Tokens are separated by space, tab, CR, LF; a token starting with '#'
// starts a comment to the end of the line; a token starting with '"' is quoted, with \" and \\
// escapes (both readers agree only on those, so we write no other escape); `macdef NAME` is
// followed by the rest of its line and a body that ends at an empty line. Anything else (an
// unknown word, a keyword without a value, an unterminated quote) makes the file unparsable, and
// an unparsable file is never rewritten.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { KeyholdError } from '../errors';
import { unifiedDiff } from './line-diff';

interface Token {
  start: number;
  end: number;
  value: string;
  line: number;
}

const FOLLOWERS = new Set(['login', 'user', 'password', 'account']);
const TOPLEVEL = new Set(['machine', 'default', 'macdef']);

export interface NetrcPair {
  keyword: Token;
  value: Token;
}

export interface NetrcEntry {
  kind: 'machine' | 'default';
  /** the keyword token (`machine` or `default`) */
  keyword: Token;
  /** the machine name token; null for `default` */
  name: Token | null;
  pairs: NetrcPair[];
}

export interface ParsedNetrc {
  text: string;
  entries: NetrcEntry[];
  /** `start` at the macdef keyword, `nameEnd` just after its name, `end` after its body */
  macros: { name: string; start: number; nameEnd: number; end: number }[];
  /** each comment from its '#' to the end of its line (without the line break) */
  comments: { start: number; end: number }[];
  /** a macdef runs to the end of the file without its terminating empty line */
  openMacdef: boolean;
}

export class NetrcSyntaxError extends KeyholdError {
  constructor(
    readonly line: number,
    reason: string,
  ) {
    super('INVALID_INPUT', `line ${line}: ${reason}`);
  }
}

const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\r' || c === '\n';

class Scanner {
  pos = 0;
  line = 1;
  /** comment start -> end (a map: peek() scans the same comment twice) */
  readonly comments = new Map<number, number>();
  constructor(readonly text: string) {}

  private advance(): string {
    const c = this.text[this.pos++]!;
    if (c === '\n') this.line++;
    return c;
  }

  /** The next token, or null at the end; comments are skipped. */
  next(): Token | null {
    const t = this.text;
    for (;;) {
      while (this.pos < t.length && isSpace(t[this.pos])) this.advance();
      if (this.pos >= t.length) return null;
      if (t[this.pos] !== '#') break;
      const start = this.pos;
      while (this.pos < t.length && t[this.pos] !== '\n') this.pos++;
      this.comments.set(start, t[this.pos - 1] === '\r' ? this.pos - 1 : this.pos);
    }
    const start = this.pos;
    const line = this.line;
    let value = '';
    if (t[this.pos] === '"') {
      this.pos++;
      for (;;) {
        const c = t[this.pos];
        if (c === undefined || c === '\n' || c === '\r') throw new NetrcSyntaxError(line, 'a quoted value is not closed on its line');
        this.pos++;
        if (c === '"') break;
        if (c === '\\') {
          const e = t[this.pos];
          if (e === undefined || e === '\n' || e === '\r') throw new NetrcSyntaxError(line, 'a quoted value ends in a backslash');
          this.pos++;
          value += e;
        } else value += c;
      }
    } else {
      // unquoted backslashes: curl keeps them, Python drops them; we write none, and read curl's way
      while (this.pos < t.length && !isSpace(t[this.pos])) value += t[this.pos++];
    }
    return { start, end: this.pos, value, line };
  }

  peek(): Token | null {
    const { pos, line } = this;
    const tok = this.next();
    this.pos = pos;
    this.line = line;
    return tok;
  }

  /** macdef: the rest of the name's line, then lines up to and including an empty one. */
  skipMacroBody(): { end: number; closed: boolean } {
    const t = this.text;
    while (this.pos < t.length && t[this.pos] !== '\n') this.pos++;
    if (this.pos < t.length) this.advance();
    while (this.pos < t.length) {
      let eol = t.indexOf('\n', this.pos);
      if (eol === -1) eol = t.length;
      const lineText = t.slice(this.pos, eol);
      this.pos = Math.min(eol + 1, t.length);
      if (eol < t.length) this.line++;
      if (lineText === '' || lineText === '\r') return { end: this.pos, closed: true };
    }
    return { end: this.pos, closed: false };
  }
}

/** Parses netrc text; throws NetrcSyntaxError (INVALID_INPUT) naming a line, never a value. */
export function parseNetrc(text: string): ParsedNetrc {
  if (text.includes('\0')) throw new NetrcSyntaxError(1, 'the file contains NUL bytes');
  const s = new Scanner(text);
  const entries: NetrcEntry[] = [];
  const macros: ParsedNetrc['macros'] = [];
  let openMacdef = false;
  for (let tok = s.next(); tok; tok = s.next()) {
    if (tok.value === 'macdef') {
      const name = s.next();
      if (!name || name.line !== tok.line) throw new NetrcSyntaxError(tok.line, 'macdef without a name');
      const body = s.skipMacroBody();
      macros.push({ name: name.value, start: tok.start, nameEnd: name.end, end: body.end });
      openMacdef = !body.closed;
      continue;
    }
    openMacdef = false;
    if (tok.value !== 'machine' && tok.value !== 'default') throw new NetrcSyntaxError(tok.line, 'expected machine, default or macdef');
    let name: Token | null = null;
    if (tok.value === 'machine') {
      name = s.next();
      if (!name || TOPLEVEL.has(name.value)) throw new NetrcSyntaxError(tok.line, 'machine without a name');
    }
    const entry: NetrcEntry = { kind: tok.value, keyword: tok, name, pairs: [] };
    for (let f = s.peek(); f && !TOPLEVEL.has(f.value); f = s.peek()) {
      s.next();
      if (!FOLLOWERS.has(f.value)) throw new NetrcSyntaxError(f.line, 'expected login, password or account');
      const value = s.next();
      if (!value) throw new NetrcSyntaxError(f.line, `${f.value} without a value`);
      entry.pairs.push({ keyword: f, value });
    }
    entries.push(entry);
  }
  const comments = [...s.comments].map(([start, end]) => ({ start, end }));
  return { text, entries, macros, comments, openMacdef };
}

function valueOf(entry: NetrcEntry, keyword: 'login' | 'password'): string | undefined {
  const pair = entry.pairs.find((p) => p.keyword.value === keyword || (keyword === 'login' && p.keyword.value === 'user'));
  return pair?.value.value;
}

/** A value as a netrc token: quoted when it holds whitespace, a quote, a backslash or starts a
 * comment. Control characters cannot be written so that both curl and Python read them back. */
export function netrcToken(value: string, what = 'value'): string {
  if (/[\u0000-\u001f\u007f]/.test(value)) {
    throw new KeyholdError('INVALID_INPUT', `The ${what} contains a control character (newline, tab, ...) that a netrc file cannot hold.`);
  }
  if (value === '' || /[\s"\\]/.test(value) || value.startsWith('#')) return `"${value.replace(/[\\"]/g, '\\$&')}"`;
  return value;
}

export interface NetrcCredential {
  machine: string;
  login: string;
  password: string;
}

export type NetrcChangeKind = 'added' | 'updated' | 'unchanged';

export interface NetrcChange {
  machine: string;
  login: string;
  change: NetrcChangeKind;
}

export interface NetrcMerge {
  before: string;
  after: string;
  changes: NetrcChange[];
  /** things the user should know (a default entry, another login for the same machine) */
  warnings: string[];
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

const sameMachine = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

function validateCredential(c: NetrcCredential): void {
  if (!c.machine || /[\s"\\#\u0000-\u001f\u007f]/.test(c.machine))
    throw new KeyholdError('INVALID_INPUT', `Not a usable netrc machine name: ${JSON.stringify(c.machine.slice(0, 80))}.`);
  if (!c.login) throw new KeyholdError('INVALID_INPUT', `A netrc entry for ${c.machine} needs a login.`);
  if (!c.password) throw new KeyholdError('INVALID_INPUT', `A netrc entry for ${c.machine} needs a password.`);
  netrcToken(c.login, 'login');
  netrcToken(c.password, 'password');
}

/**
 * Merges `machine HOST login L password P` entries into netrc text: an entry with the same machine
 * (case-insensitive, as curl compares) and login gets its password token replaced in place (every
 * such entry, so neither curl, which reads the first, nor Python, which reads the last, keeps a
 * stale one); others are added before a `default` entry (curl stops at `default`) or at the end.
 */
export function mergeNetrc(before: string, credentials: readonly NetrcCredential[]): NetrcMerge {
  const parsed = parseNetrc(before);
  const seen = new Set<string>();
  for (const c of credentials) {
    validateCredential(c);
    const id = `${c.machine.toLowerCase()}\0${c.login}`;
    if (seen.has(id))
      throw new KeyholdError('INVALID_INPUT', `Two of the chosen keys would both be machine ${c.machine} login ${c.login}.`);
    seen.add(id);
  }

  const edits: Edit[] = [];
  const changes: NetrcChange[] = [];
  const warnings: string[] = [];
  const added: NetrcCredential[] = [];
  for (const c of credentials) {
    const matches = parsed.entries.filter(
      (e) => e.kind === 'machine' && e.name && sameMachine(e.name.value, c.machine) && valueOf(e, 'login') === c.login,
    );
    if (matches.length === 0) {
      added.push(c);
      const other = parsed.entries.find((e) => e.kind === 'machine' && e.name && sameMachine(e.name.value, c.machine));
      if (other)
        warnings.push(
          `${c.machine} already has an entry for another login; curl uses the first entry for a machine unless the login is given.`,
        );
      changes.push({ machine: c.machine, login: c.login, change: 'added' });
      continue;
    }
    let changed = false;
    for (const entry of matches) {
      const pw = entry.pairs.find((p) => p.keyword.value === 'password');
      if (pw) {
        if (pw.value.value !== c.password) {
          edits.push({ start: pw.value.start, end: pw.value.end, text: netrcToken(c.password, 'password') });
          changed = true;
        }
      } else {
        const login = entry.pairs.find((p) => p.keyword.value === 'login' || p.keyword.value === 'user')!;
        edits.push({ start: login.value.end, end: login.value.end, text: ` password ${netrcToken(c.password, 'password')}` });
        changed = true;
      }
    }
    changes.push({ machine: c.machine, login: c.login, change: changed ? 'updated' : 'unchanged' });
  }

  if (added.length > 0) edits.push(insertion(parsed, added, warnings));
  let after = before;
  for (const e of edits.sort((a, b) => b.start - a.start)) after = after.slice(0, e.start) + e.text + after.slice(e.end);
  return { before, after, changes, warnings };
}

function entryLine(c: NetrcCredential): string {
  return `machine ${netrcToken(c.machine, 'machine name')} login ${netrcToken(c.login, 'login')} password ${netrcToken(c.password, 'password')}\n`;
}

function insertion(parsed: ParsedNetrc, added: NetrcCredential[], warnings: string[]): Edit {
  const text = added.map(entryLine).join('');
  const { text: src } = parsed;
  const dflt = parsed.entries.find((e) => e.kind === 'default');
  if (dflt) {
    warnings.push('The file has a default entry; the new entries go before it, where curl reads them.');
    const lineStart = src.lastIndexOf('\n', dflt.keyword.start - 1) + 1;
    const onlyIndent = /^[ \t]*$/.test(src.slice(lineStart, dflt.keyword.start));
    const at = onlyIndent ? lineStart : dflt.keyword.start;
    return { start: at, end: at, text };
  }
  // a macdef open at the end of the file must be closed by an empty line, or it would swallow us
  let sep = '';
  if (src.length > 0 && !src.endsWith('\n')) sep += '\n';
  if (parsed.openMacdef && !(src.endsWith('\n\n') || src.endsWith('\n\r\n') || src === '')) sep += '\n';
  return { start: src.length, end: src.length, text: sep + text };
}

/** A macro's text after its name, each line replaced by a mask and empty lines kept (curl runs
 * macro bodies as commands, so they may hold a password in clear). */
function maskMacro(rest: string): string {
  return rest
    .split('\n')
    .map((line, i) => {
      const cr = line.endsWith('\r') ? '\r' : '';
      if (line.trim() === '') return line;
      return `${i === 0 ? ' ' : ''}********${cr}`;
    })
    .join('\n');
}

/** The text with every password and account value, comment and macro replaced by a mask, for
 * showing the file; it keeps the line count, as the preview diff needs. */
export function maskNetrc(text: string): string {
  const parsed = parseNetrc(text);
  const spans: { start: number; end: number; shown: string }[] = [
    ...parsed.entries
      .flatMap((e) => e.pairs)
      .filter((p) => p.keyword.value === 'password' || p.keyword.value === 'account')
      .map((p) => ({ start: p.value.start, end: p.value.end, shown: '********' })),
    ...parsed.comments.map((c) => ({ ...c, shown: '# ********' })),
    ...parsed.macros.map((m) => ({ start: m.nameEnd, end: m.end, shown: maskMacro(text.slice(m.nameEnd, m.end)) })),
  ].sort((a, b) => b.start - a.start);
  let out = text;
  for (const v of spans) out = out.slice(0, v.start) + v.shown + out.slice(v.end);
  return out;
}

/** A unified diff of a merge for the UI, with every password masked on both sides. */
export function previewNetrcMerge(merge: NetrcMerge, path: string): string {
  return unifiedDiff(merge.before, merge.after, { oldLabel: path, newLabel: path, display: maskNetrc });
}

/** `~/.netrc`, or `%USERPROFILE%\_netrc` on Windows (where curl and git look for it). */
export function defaultNetrcPath(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return join(env.USERPROFILE ?? homedir(), '_netrc');
  return join(env.HOME ?? homedir(), '.netrc');
}

/** Decodes a netrc file; a file that is not text is not parsed, so not touched. */
export function decodeNetrc(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(bytes)) throw new NetrcSyntaxError(1, 'the file is not UTF-8 text');
  return text;
}
