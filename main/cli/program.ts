// The `keyhold` command tree. Each domain registers its commands from its own module; this file
// holds the global options, loads only the modules the command line needs, and maps every failure
// to CLI.md's exit codes.
import { Command, CommanderError } from 'commander';
import { EXIT_CODES } from '../errors';
import { APP_VERSION } from '../service/app';
import { Cli, type CliStreams, type GlobalOptions } from './io';

export type CommandModule = (program: Command, cli: Cli) => void;

/** A command module loaded on demand; `names` are the top-level commands it adds to. */
export interface LazyCommands {
  names: readonly string[];
  load(): Promise<CommandModule>;
}

export type CommandEntry = CommandModule | LazyCommands;

/** The top-level command the arguments ask for; undefined when there is none (`--version`). */
export function commandNameOf(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') return argv[i + 1];
    if (a === '--vault') i++; // the global option that takes a value
    else if (!a.startsWith('-')) return a;
  }
  return undefined;
}

/**
 * The modules this command line needs, in registry order: those adding to its command; none for a
 * bare `--version`; all of them for help, an unknown command or anything unclear (the complete
 * tree is always right, only slower).
 */
export async function modulesFor(argv: readonly string[], entries: readonly CommandEntry[]): Promise<CommandModule[]> {
  const name = commandNameOf(argv);
  const lazy = entries.filter((e): e is LazyCommands => typeof e !== 'function');
  const versionOnly = name === undefined && argv.some((a) => a === '-V' || a === '--version') && !argv.some((a) => a === '-h' || a === '--help');
  const known = name !== undefined && lazy.some((e) => e.names.includes(name));
  const wanted = (e: LazyCommands) => (versionOnly ? false : known ? e.names.includes(name) : true);
  return Promise.all(entries.filter((e) => typeof e === 'function' || wanted(e)).map((e) => (typeof e === 'function' ? e : e.load())));
}

export async function runCli(argv: string[], streams: CliStreams, entries: readonly CommandEntry[]): Promise<number> {
  const program = new Command('keyhold');
  const cli = new Cli(streams, () => program.opts<GlobalOptions>());
  let exitCode = 0;
  program
    .description('Keyhold: the key vault for administrators (CLI of the desktop app)')
    .version(APP_VERSION, '-V, --version', 'print the version')
    .option('--vault <path>', 'vault file (default: $KEYHOLD_VAULT, else the desktop app\'s vault)')
    .option('--json', 'print the result as one JSON document (errors as JSON on stderr)')
    .option('--password-stdin', 'read the master password from the first line of standard input')
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

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
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
