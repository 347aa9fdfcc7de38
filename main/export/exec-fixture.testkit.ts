// For exec.test.ts: a real process that runs `runExec` as `keyhold exec` does (stdio inherited,
// its own signals forwarded), so a test can signal it from outside. argv: VAR=VALUE COMMAND ARGS...
import { runExec } from './exec';

const [assignment = '', command = 'true', ...args] = process.argv.slice(2);
const eq = assignment.indexOf('=');
runExec({ command, args, vars: { [assignment.slice(0, eq)]: assignment.slice(eq + 1) } }).then(
  (r) => {
    process.exitCode = r.exitCode;
  },
  () => {
    process.exitCode = 70;
  },
);
