// The command line a caller asks the app to run, as the approval dialog shows it. The CLI sends
// its argv, which holds no master password (the bridge runs only when none was given), but a
// user may still have typed a value on the line: the values of password-, secret- and token-like
// options, and literal `--env VAR=value` values, are masked; references (keyhold://) stay.
const MASK = '••••••';
const SECRET_OPTION = /^--?[\w-]*(password|passphrase|secret|token|api-?key)[\w-]*$/i;
/** options named like a secret that take no value, or a path rather than the secret itself */
const NOT_A_VALUE = /-(stdin|file|env|id)$/i;
const ENV_OPTION = new Set(['--env', '-e']);

function quote(arg: string): string {
  return /^[\w@%+=:,./~-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** `VAR=value`, quoted, its value masked unless it is a reference. */
function maskEnv(assignment: string): string {
  const eq = assignment.indexOf('=');
  if (eq < 0 || assignment.slice(eq + 1).startsWith('keyhold://')) return quote(assignment);
  return `${quote(assignment.slice(0, eq + 1))}${MASK}`;
}

/** `keyhold ARGV…` with every value that may be a secret replaced by dots. */
export function maskedCommandLine(argv: readonly string[]): string {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const name = arg.startsWith('-') && eq > 0 ? arg.slice(0, eq) : arg;
    if (arg.startsWith('-') && eq > 0) {
      if (ENV_OPTION.has(name)) out.push(`${quote(name)}=${maskEnv(arg.slice(eq + 1))}`);
      else if (SECRET_OPTION.test(name) && !NOT_A_VALUE.test(name)) out.push(`${name}=${MASK}`);
      else out.push(quote(arg));
      continue;
    }
    out.push(quote(arg));
    const next = argv[i + 1];
    if (next === undefined || next.startsWith('-')) continue;
    if (ENV_OPTION.has(arg)) {
      out.push(maskEnv(next));
      i++;
    } else if (SECRET_OPTION.test(arg) && !NOT_A_VALUE.test(arg)) {
      out.push(MASK);
      i++;
    }
  }
  return ['keyhold', ...out].join(' ');
}
