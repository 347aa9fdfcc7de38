// The `keyhold` command line (docs/CLI.md): the same service layer as the desktop app. This entry
// only loads the frame: the frame then loads the modules of the command that runs (cli/commands.ts),
// so that start-up costs what the command uses. It imports everything dynamically: a chunk that
// another chunk needs must never be this entry file (it would be required back).
import { join } from 'node:path';
import { enableCompileCache } from './cli/compile-cache';

const streams = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env };
const argv = process.argv.slice(2);
// a bare --version is answered by runCli before anything runs: it needs no exit handling or socket
const versionOnly = argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V');

// V8's compiled code of the chunks, kept between runs (before any chunk loads); --version loads
// too little for reading the cache to pay
if (!versionOnly) enableCompileCache(join(__dirname, 'chunks'));

Promise.all([import('./cli/program'), import('./cli/commands')])
  .then(async ([{ runCli }, { allCommands }]) => {
    if (versionOnly) return runCli(argv, streams, allCommands);
    const [{ installExitHandling }, { appSocketPath }] = await Promise.all([import('./cli/signals'), import('./bridge/socket-path')]);
    installExitHandling();
    return runCli(argv, streams, allCommands, { appSocket: appSocketPath(process.env) });
  })
  .then(
    (code) => {
      process.exitCode = code;
    },
    () => {
      process.stderr.write('keyhold: internal error\n');
      process.exitCode = 70;
    },
  );
