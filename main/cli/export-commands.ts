// `keyhold netrc | dotenv | curlrc | exec` (CLI.md "Use elsewhere"): the export use cases of
// main/service/export.ts on a vault opened for the one command.
import { Readable } from 'node:stream';
import type { Command } from 'commander';
import { KeyholdError } from '../errors';
import { MASTER_PASSWORD_ENV, runExec, type ExecStreams } from '../export/exec';
import { defaultNetrcPath } from '../export/netrc';
import {
  execEnv,
  exportCurlConfig,
  exportDotenvFile,
  exportDotenvText,
  exportNetrc,
  planNetrcExport,
  type ExecVarRequest,
} from '../service/export';
import { resolveKeyIds, resolveKeyRef } from '../service/key-ref';
import type { VaultSession } from '../vault/types';
import { envRefRequests, execVars, readEnvFile, type EnvRefRequest } from './env-refs';
import type { Cli } from './io';
import type { CommandModule } from './program';
import { withVault } from './with-vault';

/** Said once before the command runs: the command can read its parent's initial environment. */
export const PASSWORD_ENV_WARNING =
  'keyhold: warning: the master password came from $KEYHOLD_PASSWORD, which stays readable to the command in our environment (/proc/PPID/environ); prefer --password-stdin or the prompt.';

const collect = (value: string, previous: string[]) => [...previous, value];

/** "ID=NAME" (NAME optional when `nameOptional`). */
function assignment(text: string, flag: string, nameOptional = false): { id: string; name?: string } {
  const eq = text.lastIndexOf('=');
  if (eq === -1) {
    if (nameOptional && text) return { id: text };
    throw new KeyholdError('USAGE', `${flag} takes ID=NAME, not ${JSON.stringify(text)}.`);
  }
  const id = text.slice(0, eq);
  const name = text.slice(eq + 1);
  if (!id || !name) throw new KeyholdError('USAGE', `${flag} takes ID=NAME, not ${JSON.stringify(text)}.`);
  return { id, name };
}

interface NetrcOptions {
  out?: string;
  host?: string;
  login?: string;
  dryRun?: boolean;
}

interface DotenvOptions {
  out: string;
  prefix?: string;
  name: string[];
  force?: boolean;
}

interface CurlOptions {
  out: string;
  login?: string;
  force?: boolean;
}

interface ExecOptions {
  key: string[];
  public: string[];
  env: string[];
  envFile: string[];
}

/** --name ID=NAME with ID any key reference, keyed by the resolved id. */
function resolvedNames(s: VaultSession, names: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(names).map(([ref, name]) => [resolveKeyRef(s, ref).id, name]));
}

/** The child's stdio: the terminal itself for the real CLI; the Cli's streams otherwise (tests),
 * and after --password-stdin the rest of standard input, which the password reader has taken. */
async function execStdio(cli: Cli): Promise<'inherit' | ExecStreams> {
  const real = cli.streams.stdout === process.stdout && cli.streams.stderr === process.stderr && cli.streams.stdin === process.stdin;
  const passwordFromStdin = Boolean(cli.globals().passwordStdin);
  if (real && !passwordFromStdin) return 'inherit';
  const stdin = passwordFromStdin ? Readable.from([await cli.stdinLines.rest()]) : cli.streams.stdin;
  return { stdin, stdout: cli.streams.stdout, stderr: cli.streams.stderr };
}

export const exportCommands: CommandModule = (program: Command, cli: Cli) => {
  program
    .command('netrc')
    .description('merge machine/login/password entries for keys into a netrc file (mode 0600, atomic, one-deep .bak)')
    .argument('<keys...>', 'key references (id, id prefix, name, WORKSPACE/[ENV/]NAME)')
    .option('--out <file>', 'the netrc file (default ~/.netrc; %USERPROFILE%\\_netrc on Windows)')
    .option('--host <host>', "machine name (default: the host of the key's workspace URL)")
    .option('--login <login>', 'login for keys that have only a secret (no public part)')
    .option('--dry-run', 'show the change, passwords masked, and write nothing')
    .action(async (ids: string[], opts: NetrcOptions) => {
      const path = cli.path(opts.out ?? defaultNetrcPath(cli.streams.env));
      const input = (s: VaultSession) => ({ keyIds: resolveKeyIds(s, ids), path, host: opts.host, login: opts.login });
      if (opts.dryRun) {
        const { plan, changes } = await withVault(cli, (s) => planNetrcExport(s, input(s)));
        cli.print({ path: plan.path, changes, warnings: plan.warnings, diff: plan.preview }, plan.preview || `No change to ${plan.path}.`);
        return;
      }
      const result = await withVault(cli, (s) => exportNetrc(s, input(s)));
      for (const w of result.warnings) if (!cli.json) cli.streams.stderr.write(`keyhold: note: ${w}\n`);
      cli.print(result, () =>
        [
          ...result.changes.map((c) => `${c.change.padEnd(9)} machine ${c.machine} login ${c.login} (key ${c.keyId})`),
          !result.written
            ? `${result.path} already has these entries: left as it was.`
            : `Wrote ${result.path}${result.backupPath ? ` (previous version kept as ${result.backupPath})` : ''}.`,
        ].join('\n'),
      );
    });

  program
    .command('dotenv')
    .description('write .env lines (NAME=value, quoted as dotenv reads them) for keys')
    .argument('<keys...>', 'key references (id, id prefix, name, WORKSPACE/[ENV/]NAME)')
    .option('--out <file>', 'the .env file (mode 0600, atomic), or - for standard output', '-')
    .option('--prefix <prefix>', 'put before each name derived from a key name')
    .option('--name <id=NAME>', 'the variable name for a key, as is (repeatable)', collect, [])
    .option('--force', 'replace an existing file')
    .action(async (ids: string[], opts: DotenvOptions) => {
      const names: Record<string, string> = {};
      for (const a of opts.name) {
        const { id, name } = assignment(a, '--name');
        names[id] = name!;
      }
      const input = (s: VaultSession) => ({ keyIds: resolveKeyIds(s, ids), prefix: opts.prefix, names: resolvedNames(s, names) });
      if (opts.out === '-') {
        const { names: written, text } = await withVault(cli, (s) => exportDotenvText(s, input(s)));
        if (cli.json) cli.print({ target: 'stdout', names: written, text }, '');
        else cli.streams.stdout.write(text);
        return;
      }
      const result = await withVault(cli, (s) => exportDotenvFile(s, { ...input(s), path: cli.path(opts.out), force: opts.force }));
      cli.print(result, `Wrote ${result.names.join(', ')} to ${result.path}`);
    });

  program
    .command('curlrc')
    .description('write a curl config file (user = "PUBLIC:SECRET", mode 0600) for one key; use with curl -K FILE')
    .argument('<key>', 'key reference (id, id prefix, name, WORKSPACE/[ENV/]NAME)')
    .requiredOption('--out <file>', 'the config file to write')
    .option('--login <login>', 'user for a key that has only a secret')
    .option('--force', 'replace an existing file')
    .action(async (id: string, opts: CurlOptions) => {
      const result = await withVault(cli, (s) =>
        exportCurlConfig(s, { keyId: resolveKeyRef(s, id).id, path: cli.path(opts.out), login: opts.login, force: opts.force }),
      );
      cli.print(result, `Wrote ${result.path} (use: curl -K ${result.path} URL)`);
    });

  program
    .command('exec')
    .description('run COMMAND with secrets in its environment only: keyhold exec --key ID=VAR... -- COMMAND [ARGS]')
    .argument('<command>', 'the command to run (put -- before it)')
    .argument('[args...]', 'its arguments')
    .option('--key <id=VAR>', "the key's secret as $VAR (VAR defaults to the key's name in upper snake case; repeatable)", collect, [])
    .option('--public <id=VAR>', "the key's public part as $VAR (an access key; repeatable)", collect, [])
    .option('--env <VAR=keyhold://...>', 'a secret reference as $VAR: keyhold://WORKSPACE/[ENV/]NAME[/FIELD] (repeatable)', collect, [])
    .option(
      '--env-file <file>',
      'a .env file whose keyhold:// values are resolved (other values are passed as they are; repeatable)',
      collect,
      [],
    )
    .action(async (command: string, args: string[], opts: ExecOptions) => {
      const refs: EnvRefRequest[] = [...opts.envFile.flatMap((f) => readEnvFile(cli.path(f))), ...envRefRequests(opts.env)];
      const requests: ExecVarRequest[] = [
        ...opts.key.map((a) => {
          const { id, name } = assignment(a, '--key', true);
          return { keyId: id, name };
        }),
        ...opts.public.map((a) => {
          const { id, name } = assignment(a, '--public');
          return { keyId: id, name, public: true };
        }),
      ];
      if (opts.key.length === 0 && refs.length === 0)
        throw new KeyholdError('USAGE', 'exec needs at least one --key ID=VAR, --env VAR=keyhold://... or --env-file FILE.');
      // the vault is locked again before the command starts: it may run for hours
      const vars = await withVault(cli, (s) =>
        execVars(
          s,
          refs,
          requests.length
            ? execEnv(
                s,
                requests.map((r) => ({ ...r, keyId: resolveKeyRef(s, r.keyId).id })),
                command,
              )
            : {},
          command,
        ),
      );
      // the command gets our environment less the master password (runExec drops it), plus the
      // chosen secrets; but our own initial environment stays readable to it (/proc/PPID/environ)
      if (cli.streams.host) {
        // run through the desktop app: the command starts on the caller's side, in its terminal
        cli.exitCode = await cli.streams.host.exec(command, args, vars);
        return;
      }
      const baseEnv: NodeJS.ProcessEnv = { ...process.env, ...cli.streams.env };
      if (!cli.globals().passwordStdin && cli.streams.env[MASTER_PASSWORD_ENV] !== undefined)
        cli.streams.stderr.write(`${PASSWORD_ENV_WARNING}\n`);
      const result = await runExec({ command, args, vars, baseEnv, stdio: await execStdio(cli) });
      cli.exitCode = result.exitCode;
    });
};
