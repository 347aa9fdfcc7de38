// A one-shot command that reads the vault spends most of its time in Argon2id. When the master
// password comes from stdin or $KEYHOLD_PASSWORD, `keyhold`'s entry starts the derivation before it
// loads commander, the vault and the command's modules, so that they load while the KDF runs on
// libuv's thread pool. It is only a head start: withVault takes the key only when the header it
// reads itself (after its own checks) and the password it reads itself are the very ones the
// derivation started from; otherwise the key is zeroed and dropped, and the command runs, and
// fails, exactly as it does without it. Nothing here reports an error: a missing file, a damaged
// header or an unclear command line just means no head start.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import { KeyholdError } from '../errors';
import { resolveVaultPath } from '../service/paths';
import { checkKdfBounds, deriveKey, unwrapKey } from '../vault/crypto';
import type { Header } from '../vault/header';
import { sqliteBindingOptions } from '../vault/native-binding';
import { StdinLines, type CliStreams } from './io';
import { commandPathOf } from './program';

/** Commands whose first step is withVault (nothing they ask for comes before the password). */
const READS_VAULT = new Set(['key list', 'key show', 'key history', 'workspace list', 'env list', 'status']);

/** What the derivation started from, as read straight from the file. */
interface Started {
  path: string;
  salt: Buffer;
  wrappedKey: Buffer;
  kdf: { memoryKiB: number; iterations: number; parallelism: number };
  password: string;
  key: Promise<Buffer>;
}

/** Where the master password came from: the first stdin line, or $KEYHOLD_PASSWORD. */
export type PasswordSource = 'stdin' | 'env';

export class EarlyUnlock {
  private taken = false;
  private usedKey = false;
  /** settles once the derivation runs, or once it is clear that it will not */
  readonly ready: Promise<void>;
  constructor(
    readonly source: PasswordSource,
    private readonly started: Promise<Started | undefined>,
  ) {
    // a derivation nobody takes must not surface as an unhandled rejection
    this.ready = started.then((s) => void s?.key.catch(() => undefined));
  }

  /** The vault key derived ahead, if it was derived from exactly this file, header and password
   * (WRONG_PASSWORD, as unlockKey gives it, if that password does not open it); else undefined.
   * `source`: where the command read `password` (a stdin the command did not read may never end). */
  async take(path: string, header: Header, password: string, source: PasswordSource): Promise<Buffer | undefined> {
    if (source !== this.source || this.taken) return undefined;
    const s = await this.started;
    if (!s) return undefined;
    this.taken = true;
    const same =
      s.path === path &&
      s.password === password &&
      s.salt.equals(header.salt) &&
      s.wrappedKey.equals(header.wrappedKey) &&
      s.kdf.memoryKiB === header.kdf.memoryKiB &&
      s.kdf.iterations === header.kdf.iterations &&
      s.kdf.parallelism === header.kdf.parallelism;
    if (!same) {
      void s.key.then(
        (k) => k.fill(0),
        () => undefined,
      );
      return undefined;
    }
    this.usedKey = true;
    return s.key;
  }

  /** Whether a command took the head start (for tests and the bench's breakdown). */
  get used(): boolean {
    return this.usedKey;
  }

  /** Zeroes a key no command took, once derived (call when the command has ended; it does not
   * wait for a stdin that never ended). */
  dispose(): void {
    if (this.taken) return;
    this.taken = true;
    void this.started.then((s) =>
      s?.key.then(
        (k) => k.fill(0),
        () => undefined,
      ),
    );
  }
}

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

/** The header's key fields, read-only; undefined for anything unexpected (withVault reports it). */
function peekHeader(path: string): Omit<Started, 'path' | 'password' | 'key'> | undefined {
  try {
    if (!statSync(path).isFile()) return undefined;
    const head = Buffer.alloc(16);
    const fd = openSync(path, 'r');
    try {
      readSync(fd, head, 0, 16, 0);
    } finally {
      closeSync(fd);
    }
    if (!head.equals(SQLITE_MAGIC)) return undefined;
    const db = new Database(path, { ...sqliteBindingOptions(), readonly: true, fileMustExist: true });
    try {
      db.pragma('busy_timeout = 5000');
      const row: unknown = db.prepare('SELECT kdf, wrapped_key FROM header WHERE id = 1').get();
      if (typeof row !== 'object' || row === null) return undefined;
      const { kdf, wrapped_key: wrappedKey } = row as { kdf?: unknown; wrapped_key?: unknown };
      if (typeof kdf !== 'string' || !Buffer.isBuffer(wrappedKey)) return undefined;
      const p: unknown = JSON.parse(kdf);
      if (typeof p !== 'object' || p === null) return undefined;
      const { algorithm, memoryKiB, iterations, parallelism, salt } = p as Record<string, unknown>;
      if (typeof memoryKiB !== 'number' || typeof iterations !== 'number' || typeof parallelism !== 'number') return undefined;
      if (algorithm !== 'argon2id' || typeof salt !== 'string' || salt.length < 16) return undefined;
      // never a derivation the real open would refuse to run (a hostile header could ask for 4 TiB)
      checkKdfBounds({ algorithm, memoryKiB, iterations, parallelism });
      return { salt: Buffer.from(salt, 'base64'), wrappedKey, kdf: { memoryKiB, iterations, parallelism } };
    } finally {
      db.close();
    }
  } catch {
    return undefined;
  }
}

/** unlockKey of main/vault, from the fields read above. */
async function unlock(h: Omit<Started, 'path' | 'password' | 'key'>, password: string): Promise<Buffer> {
  const kek = await deriveKey(password, { algorithm: 'argon2id', ...h.kdf }, h.salt);
  try {
    const key = unwrapKey(h.wrappedKey, kek);
    if (!key) throw new KeyholdError('WRONG_PASSWORD', 'The master password is wrong.');
    return key;
  } finally {
    kek.fill(0);
  }
}

/** The global options as commander will most likely read them; undefined when unsure. */
function globalsOf(argv: readonly string[]): { vault?: string; passwordStdin: boolean } | undefined {
  let vault: string | undefined;
  let passwordStdin = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') break;
    if (a === '--vault') vault = argv[++i];
    else if (a.startsWith('--vault=')) vault = a.slice('--vault='.length);
    else if (a === '--password-stdin') passwordStdin = true;
  }
  return vault === '' ? undefined : { vault, passwordStdin };
}

/**
 * Starts the derivation for this command line, or returns undefined when it reads no vault or
 * would prompt for the password. Reading stdin here takes nothing from it: the command reads the
 * same lines (StdinLines.of).
 */
export function startEarlyUnlock(argv: readonly string[], streams: CliStreams): EarlyUnlock | undefined {
  if (streams.host) return undefined;
  const [top, sub] = commandPathOf(argv);
  if (!READS_VAULT.has(sub === undefined ? (top ?? '') : `${top} ${sub}`)) return undefined;
  if (argv.some((a) => a === '-h' || a === '--help')) return undefined;
  const globals = globalsOf(argv);
  if (!globals) return undefined;
  const fromEnv = streams.env.KEYHOLD_PASSWORD;
  if (!globals.passwordStdin && fromEnv === undefined) return undefined; // a prompt: nothing to start
  // a terminal is read line by line by a prompt, never to its end
  if (globals.passwordStdin && streams.stdin.isTTY) return undefined;
  const path = resolve(streams.cwd ?? process.cwd(), resolveVaultPath(globals.vault, streams.env));
  const header = peekHeader(path);
  if (!header) return undefined;
  const password = globals.passwordStdin ? StdinLines.of(streams.stdin).peek() : Promise.resolve(fromEnv);
  const started = password.then(
    (pw): Started | undefined => (pw === undefined ? undefined : { path, ...header, password: pw, key: unlock(header, pw) }),
    () => undefined,
  );
  return new EarlyUnlock(globals.passwordStdin ? 'stdin' : 'env', started);
}
