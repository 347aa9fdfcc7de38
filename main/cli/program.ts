// The `keyhold` command tree. Each domain registers its commands from its own module; this file
// holds the global options and maps every failure to CLI.md's exit codes.
import { Command, CommanderError } from 'commander';
import { EXIT_CODES } from '../errors';
import { APP_VERSION } from '../service/app';
import { Cli, type CliStreams, type GlobalOptions } from './io';

export type CommandModule = (program: Command, cli: Cli) => void;

export async function runCli(argv: string[], streams: CliStreams, modules: readonly CommandModule[]): Promise<number> {
  const program = new Command('keyhold');
  const cli = new Cli(streams, () => program.opts<GlobalOptions>());
  let exitCode = 0;
  program
    .description('Keyhold: the key vault for administrators (CLI of the desktop app)')
    .version(APP_VERSION, '-V, --version', 'print the version')
    .option('--vault <path>', 'vault file (default: $KEYHOLD_VAULT, else the desktop app\'s vault)')
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

  for (const register of modules) register(program, cli);
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
