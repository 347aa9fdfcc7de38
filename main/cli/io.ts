// Input and output of the `keyhold` command line: secrets from stdin / env / a no-echo prompt,
// results as text or one JSON document, errors as {"error": {code, message}} and exit codes.
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { EXIT_CODES, KeyholdError, isKeyholdError } from '../errors';
import type { VaultSession } from '../vault/types';
import type { EarlyUnlock, PasswordSource } from './early-unlock';

export interface CliStreams {
  stdin: Readable & { isTTY?: boolean };
  stdout: Writable;
  stderr: Writable & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  /** the folder relative paths are taken from (default: this process's) */
  cwd?: string;
  /**
   * Set when the command runs inside the desktop app for a CLI on the other end of its socket
   * (main/bridge): the app's unlocked vault (never locked by the command), and the caller's own
   * prompt and child processes.
   */
  host?: CliHost;
}

export interface CliHost {
  session(): VaultSession;
  prompt(question: string): Promise<string>;
  exec(command: string, args: readonly string[], vars: Readonly<Record<string, string>>): Promise<number>;
}

export interface GlobalOptions {
  vault?: string;
  json?: boolean;
  passwordStdin?: boolean;
  /** open a vault file older than one this computer has seen (a restored copy; docs/CLI.md) */
  acceptRollback?: boolean;
}

/**
 * Standard input as a queue of lines, read once: with --password-stdin the first line is the
 * master password, then each --*-stdin flag takes the next line in the order the command asks.
 */
export class StdinLines {
  private static readonly byStream = new WeakMap<Readable, StdinLines>();
  private lines: Promise<string[]> | undefined;
  private index = 0;
  constructor(private readonly stdin: Readable) {}

  /** The one queue of this stream's lines (a stream can be read only once). */
  static of(stdin: Readable): StdinLines {
    let lines = StdinLines.byStream.get(stdin);
    if (!lines) StdinLines.byStream.set(stdin, (lines = new StdinLines(stdin)));
    return lines;
  }

  private all(): Promise<string[]> {
    this.lines ??= new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      this.stdin.on('data', (c: Buffer | string) => chunks.push(typeof c === 'string' ? Buffer.from(c) : c));
      this.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8').split(/\r?\n/)));
      this.stdin.on('error', reject);
    });
    return this.lines;
  }

  async next(what: string): Promise<string> {
    const lines = await this.all();
    const line = lines[this.index];
    if (line === undefined || (this.index === lines.length - 1 && line === '')) {
      throw new KeyholdError('USAGE', `Expected ${what} on standard input, but it ended.`);
    }
    this.index++;
    return line;
  }

  /** The first line, without taking it (undefined where next() would find none). */
  async peek(): Promise<string | undefined> {
    const lines = await this.all();
    const line = lines[0];
    return line === undefined || (lines.length === 1 && line === '') ? undefined : line;
  }

  /** Everything left on standard input, for a multi-line secret (a key file's text). */
  async rest(): Promise<string> {
    const lines = await this.all();
    const text = lines.slice(this.index).join('\n');
    this.index = lines.length;
    return text;
  }
}

/** The user pressed Ctrl-C at a prompt: the command ends with 130 and does nothing more. */
export class Interrupted extends Error {
  constructor() {
    super('interrupted');
    this.name = 'Interrupted';
  }
}

/** Reads a line from the terminal without echoing it. */
export function promptHidden(question: string, streams: CliStreams): Promise<string> {
  return new Promise((resolve, reject) => {
    const { stdin, stderr } = streams;
    if (streams.host) {
      streams.host.prompt(question).then(resolve, reject);
      return;
    }
    if (!stdin.isTTY) {
      reject(
        new KeyholdError(
          'USAGE',
          `${question.replace(/:\s*$/, '')} is needed: no terminal to ask on (use the --*-stdin flags or $KEYHOLD_PASSWORD).`,
        ),
      );
      return;
    }
    const rl = createInterface({ input: stdin, output: stderr, terminal: true });
    const output = rl as unknown as { _writeToOutput?: (s: string) => void };
    stderr.write(question);
    output._writeToOutput = () => undefined; // mute the echo of what is typed
    // Ctrl-C in raw mode reaches readline, not the process: end the prompt and the command (130)
    rl.on('SIGINT', () => {
      rl.close();
      stderr.write('\n');
      reject(new Interrupted());
    });
    rl.question('', (answer) => {
      rl.close();
      stderr.write('\n');
      resolve(answer);
    });
  });
}

export class Cli {
  readonly stdinLines: StdinLines;
  /** the exit status of a command that succeeded as such but passes on another's (exec: its child's) */
  exitCode = 0;
  /** the desktop app's socket (main/bridge), when this CLI may use it */
  appSocket: string | undefined;
  /** the KDF `keyhold`'s entry started before the command loaded (early-unlock.ts) */
  early: EarlyUnlock | undefined;
  constructor(
    readonly streams: CliStreams,
    readonly globals: () => GlobalOptions,
  ) {
    this.stdinLines = StdinLines.of(streams.stdin);
  }

  /** A path the user gave, made absolute against the caller's folder. */
  path(p: string): string {
    return resolve(this.streams.cwd ?? process.cwd(), p);
  }

  get json(): boolean {
    return Boolean(this.globals().json);
  }

  /** Where masterPassword() takes it from: --password-stdin, else $KEYHOLD_PASSWORD, else a prompt. */
  get passwordSource(): PasswordSource | 'prompt' {
    if (this.globals().passwordStdin) return 'stdin';
    return this.streams.env.KEYHOLD_PASSWORD !== undefined ? 'env' : 'prompt';
  }

  /** The master password: --password-stdin, else $KEYHOLD_PASSWORD, else a prompt. */
  async masterPassword(): Promise<string> {
    const source = this.passwordSource;
    if (source === 'stdin') return this.stdinLines.next('the master password');
    if (source === 'env') return this.streams.env.KEYHOLD_PASSWORD ?? '';
    return promptHidden('Master password: ', this.streams);
  }

  /** A second secret: the next stdin line with its --*-stdin flag, else a prompt. */
  async secret(fromStdin: boolean | undefined, label: string): Promise<string> {
    if (fromStdin) return this.stdinLines.next(label);
    return promptHidden(`${label[0]?.toUpperCase()}${label.slice(1)}: `, this.streams);
  }

  /** Prints a result: the JSON document with --json, else the text. */
  print(value: unknown, text: string | (() => string)): void {
    if (this.json) this.streams.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    else {
      const t = typeof text === 'function' ? text() : text;
      if (t) this.streams.stdout.write(t.endsWith('\n') ? t : `${t}\n`);
    }
  }

  /** Progress for long commands; on stderr so that stdout stays the result. */
  progress(line: string): void {
    if (!this.json && this.streams.stderr.isTTY) this.streams.stderr.write(`\r${line}\x1b[K`);
    else this.streams.stderr.write(`${line}\n`);
  }

  /** Reports a failure and gives the exit code. Unexpected errors never show their message. */
  fail(e: unknown): number {
    if (e instanceof Interrupted) {
      this.streams.stderr.write('keyhold: interrupted\n');
      return 130;
    }
    const err = isKeyholdError(e) ? e : new KeyholdError('INTERNAL', 'Keyhold hit an internal error.');
    if (this.json) this.streams.stderr.write(`${JSON.stringify({ error: { code: err.code, message: err.message } })}\n`);
    else this.streams.stderr.write(`keyhold: ${err.message} (${err.code})\n`);
    return EXIT_CODES[err.code];
  }
}
