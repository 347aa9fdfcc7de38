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

/** Lets the event loop run `n` times (a piped stdin's last bytes and its end arrive there). */
async function loopTurns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

// With the password on stdin or in $KEYHOLD_PASSWORD, Argon2id starts before the rest loads, and
// the modules load while it runs (cli/early-unlock.ts). Requires run synchronously: the KDF must
// be under way before they start, so the entry waits a few loop turns for a piped stdin's end.
const early = versionOnly
  ? Promise.resolve(undefined)
  : import('./cli/early-unlock')
      .then(async ({ startEarlyUnlock }) => {
        const started = startEarlyUnlock(argv, streams);
        if (started) await Promise.race([started.ready, loopTurns(4)]);
        return started;
      })
      .catch(() => undefined);

early
  .then((started) =>
    Promise.all([import('./cli/program'), import('./cli/commands')]).then(async ([{ runCli }, { allCommands }]) => {
      if (versionOnly) return runCli(argv, streams, allCommands);
      const [{ installExitHandling }, { appSocketPath }] = await Promise.all([import('./cli/signals'), import('./bridge/socket-path')]);
      installExitHandling();
      try {
        return await runCli(argv, streams, allCommands, { appSocket: appSocketPath(process.env), early: started });
      } finally {
        if (started) {
          started.dispose();
          // the head start may have begun reading a stdin the command never needed: stop it
          if (started.source === 'stdin') process.stdin.destroy();
        }
      }
    }),
  )
  .then(
    (code) => {
      process.exitCode = code;
    },
    () => {
      process.stderr.write('keyhold: internal error\n');
      process.exitCode = 70;
    },
  );
