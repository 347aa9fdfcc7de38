// The `keyhold` command line (docs/CLI.md): the same service layer as the desktop app. This entry
// only loads the frame: the frame then loads the modules of the command that runs (cli/commands.ts),
// so that start-up costs what the command uses. It imports everything dynamically: a chunk that
// another chunk needs must never be this entry file (it would be required back).
import * as nodeModule from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';

// Node 22.1+ (and Electron's Node) can keep V8's compiled code of the chunks between runs; older
// Node has no such call. The cache lives in the user's own cache directory, not a shared temp dir.
const compileCache = (nodeModule as { enableCompileCache?: (dir?: string) => unknown }).enableCompileCache;
if (compileCache && !process.env.NODE_DISABLE_COMPILE_CACHE) {
  try {
    compileCache(join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'keyhold', 'v8'));
  } catch {
    // a cache that cannot be written only costs start-up time
  }
}

const streams = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env };
const argv = process.argv.slice(2);
// a bare --version is answered by runCli before anything runs: it needs no exit handling or socket
const versionOnly = argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V');
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
