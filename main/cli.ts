// The `keyhold` command line (docs/CLI.md): the same service layer as the desktop app.
import { appSocketPath } from './bridge/socket-path';
import { allCommands } from './cli/commands';
import { runCli } from './cli/program';
import { installExitHandling } from './cli/signals';

installExitHandling();

const streams = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env };
runCli(process.argv.slice(2), streams, allCommands, { appSocket: appSocketPath(process.env) }).then(
  (code) => {
    process.exitCode = code;
  },
  () => {
    process.stderr.write('keyhold: internal error\n');
    process.exitCode = 70;
  },
);
