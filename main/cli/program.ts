// The `keyhold` command tree. Each domain registers its commands from its own module; this file
// holds the global options, loads only the modules the command line needs, and maps every failure
// to CLI.md's exit codes.
import type { Command } from 'commander';
import { EXIT_CODES } from '../errors';
import { APP_VERSION } from '../service/app';
import type { EarlyUnlock } from './early-unlock';
import { Cli, type CliStreams, type GlobalOptions } from './io';

export type CommandModule = (program: Command, cli: Cli) => void;

/**
 * A command module loaded on demand. `names` are the commands it adds: a top-level command
 * ("init"), or one subcommand of a group ("key list") when several modules add to that group.
 */
export interface LazyCommands {
  names: readonly string[];
  /** those of its commands that read the complete command tree (shell completion): running one
   * loads every module */
  whole?: readonly string[];
  load(): Promise<CommandModule>;
}

export type CommandEntry = CommandModule | LazyCommands;

/** The command path the arguments ask for: up to two words ("key", "list"); none for `--version`. */
export function commandPathOf(argv: readonly string[]): string[] {
  const words: string[] = [];
  for (let i = 0; i < argv.length && words.length < 2; i++) {
    const a = argv[i]!;
    if (a === '--') {
      if (words.length === 0 && argv[i + 1] !== undefined) words.push(argv[i + 1]!);
      break;
    }
    if (a.startsWith('-')) {
      if (words.length > 0) break; // an option inside the command: its second word is unclear
      if (a === '--vault') i++; // the global option that takes a value
    } else words.push(a);
  }
  return words;
}

/**
 * The modules this command line needs, in registry order: those adding its command (or its
 * subcommand); none for a bare `--version`; every module adding to a group for that group's help
 * or an unknown subcommand; all of them for help, an unknown command or anything unclear (the
 * complete tree is always right, only slower).
 */
export async function modulesFor(argv: readonly string[], entries: readonly CommandEntry[]): Promise<CommandModule[]> {
  const [top, sub] = commandPathOf(argv);
  const lazy = entries.filter((e): e is LazyCommands => typeof e !== 'function');
  const versionOnly =
    top === undefined && argv.some((a) => a === '-V' || a === '--version') && !argv.some((a) => a === '-h' || a === '--help');
  const adds = (e: LazyCommands, name: string) => e.names.some((n) => n === name || n.startsWith(`${name} `));
  let wanted: (e: LazyCommands) => boolean = () => true;
  if (versionOnly) wanted = () => false;
  else if (top !== undefined && lazy.some((e) => adds(e, top))) {
    const exact = sub !== undefined && lazy.some((e) => e.names.includes(`${top} ${sub}`));
    wanted = exact ? (e) => e.names.includes(`${top} ${sub}`) || e.names.includes(top) : (e) => adds(e, top);
    if (lazy.some((e) => e.whole?.includes(top))) wanted = () => true;
  }
  return Promise.all(entries.filter((e) => typeof e === 'function' || wanted(e)).map((e) => (typeof e === 'function' ? e : e.load())));
}

export interface RunOptions {
  /** the desktop app's socket: commands go through the running app when it answers (app-client.ts) */
  appSocket?: string;
  /** the vault key's derivation, started by the entry before the modules loaded (early-unlock.ts) */
  early?: EarlyUnlock;
}

/** The command ran in the desktop app; this is its exit status. */
class RanInApp extends Error {
  constructor(readonly code: number) {
    super('ran in the app');
  }
}

/** "key list" for the action command of `key list`. */
function commandPath(cmd: Command): string {
  const words: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) words.unshift(c.name());
  return words.join(' ');
}

/** Through the app unless the user gave a password or asked not to (KEYHOLD_NO_APP); LOCAL_ONLY
 * commands (they make or reopen vault files themselves) are checked once the client is loaded. */
function mayGoThroughApp(cli: Cli): boolean {
  const env = cli.streams.env;
  return !(cli.globals().passwordStdin || env.KEYHOLD_PASSWORD !== undefined || (env.KEYHOLD_NO_APP ?? '') !== '');
}

export async function runCli(
  argv: string[],
  streams: CliStreams,
  entries: readonly CommandEntry[],
  options: RunOptions = {},
): Promise<number> {
  // the bare `keyhold --version` (scripts ask it often) answers as commander would, without loading it
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    streams.stdout.write(`${APP_VERSION}\n`);
    return 0;
  }
  const { Command, CommanderError } = await import('commander');
  const program = new Command('keyhold');
  const cli = new Cli(streams, () => program.opts<GlobalOptions>());
  let exitCode = 0;
  program
    .description('Keyhold: the key vault for administrators (CLI of the desktop app)')
    .version(APP_VERSION, '-V, --version', 'print the version')
    .option('--vault <path>', "vault file (default: $KEYHOLD_VAULT, else the desktop app's vault)")
    .option('--json', 'print the result as one JSON document (errors as JSON on stderr)')
    .option('--password-stdin', 'read the master password from the first line of standard input')
    .option('--accept-rollback', 'open the vault even if it is older than a copy this computer has opened (you restored it on purpose)')
    .showHelpAfterError('(run keyhold --help for usage)')
    .configureOutput({
      writeOut: (s) => streams.stdout.write(s),
      writeErr: (s) => {
        // with --json, commander's own usage text is replaced by the JSON error below
        if (!argv.includes('--json')) streams.stderr.write(s);
      },
    })
    .exitOverride();

  for (const register of await modulesFor(argv, entries)) register(program, cli);
  for (const cmd of program.commands) cmd.exitOverride();
  const { appSocket } = options;
  cli.appSocket = appSocket;
  cli.early = options.early;
  if (appSocket) {
    program.hook('preAction', async (_root, action) => {
      if (!mayGoThroughApp(cli)) return;
      // loaded only now: a command that does not go through the app never pays for the client
      const [{ LOCAL_ONLY, runThroughApp }, { cliVaultPath }] = await Promise.all([import('./app-client'), import('./with-vault')]);
      if (LOCAL_ONLY.has(commandPath(action).split(' ')[0] ?? '')) return;
      const outcome = await runThroughApp(appSocket, { argv, vault: cliVaultPath(cli), command: commandPath(action) }, streams);
      if (outcome.ran) throw new RanInApp(outcome.code);
      if (outcome.note) streams.stderr.write(`keyhold: note: ${outcome.note}\n`);
    });
  }

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof RanInApp) return e.code;
    if (e instanceof CommanderError) {
      if (e.exitCode === 0) return 0; // --help, --version
      if (argv.includes('--json')) {
        streams.stderr.write(`${JSON.stringify({ error: { code: 'USAGE', message: e.message.replace(/^error: /, '') } })}\n`);
      }
      return EXIT_CODES.USAGE;
    }
    exitCode = cli.fail(e);
  }
  return exitCode !== 0 ? exitCode : cli.exitCode;
}
