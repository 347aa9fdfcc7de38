// The `keyhold` command tree. Each domain registers its commands from its own module; this file
// holds the global options and maps every failure to CLI.md's exit codes.
import { Command, CommanderError } from 'commander';
import { EXIT_CODES } from '../errors';
import { APP_VERSION } from '../service/app';
import { LOCAL_ONLY, runThroughApp } from './app-client';
import { Cli, type CliStreams, type GlobalOptions } from './io';
import { cliVaultPath } from './with-vault';

export type CommandModule = (program: Command, cli: Cli) => void;

export interface RunOptions {
  /** the desktop app's socket: commands go through the running app when it answers (app-client.ts) */
  appSocket?: string;
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

/** Through the app unless the user gave a password, asked not to (KEYHOLD_NO_APP), or the
 * command makes or reopens vault files itself. */
function goesThroughApp(cli: Cli, action: Command): boolean {
  const env = cli.streams.env;
  if (cli.globals().passwordStdin || env.KEYHOLD_PASSWORD !== undefined || (env.KEYHOLD_NO_APP ?? '') !== '') return false;
  return !LOCAL_ONLY.has(commandPath(action).split(' ')[0] ?? '');
}

export async function runCli(argv: string[], streams: CliStreams, modules: readonly CommandModule[], options: RunOptions = {}): Promise<number> {
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

  for (const register of modules) register(program, cli);
  for (const cmd of program.commands) cmd.exitOverride();
  const { appSocket } = options;
  cli.appSocket = appSocket;
  if (appSocket) {
    program.hook('preAction', async (_root, action) => {
      if (!goesThroughApp(cli, action)) return;
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
