// The `keyhold` command line (docs/CLI.md): the same service layer as the desktop app. This entry
// only loads the frame: the frame then loads the modules of the command that runs (cli/commands.ts),
// so that start-up costs what the command uses. It must export nothing that other chunks need.
const streams = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env };
Promise.all([import('./cli/program'), import('./cli/commands')])
  .then(([{ runCli }, { allCommands }]) => runCli(process.argv.slice(2), streams, allCommands))
  .then(
    (code) => {
      process.exitCode = code;
    },
    () => {
      process.stderr.write('keyhold: internal error\n');
      process.exitCode = 70;
    },
  );
