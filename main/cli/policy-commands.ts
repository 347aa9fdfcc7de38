// `keyhold policy set|list|rm` (docs/CLI.md, Key ages and policies): the maximum key age and the
// warning window per workspace, optionally per environment.
import type { Command } from 'commander';
import { KeyholdError } from '../errors';
import { policyViews, removePolicy, setPolicy, type PolicyView } from '../service/ages/policies';
import type { Cli } from './io';
import type { CommandModule } from './program';
import { withVault } from './with-vault';

/** Days as the user typed them: a whole number (negative and zero are refused by the service). */
function daysOption(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v.trim())) throw new KeyholdError('USAGE', `${flag} takes a whole number of days.`);
  return Number(v);
}

function policyLine(p: PolicyView): string {
  return `${p.id}  ${p.workspace}${p.environment ? `/${p.environment}` : ''}  max age ${p.maxAgeDays} days, warn ${p.warnDays} days before`;
}

export const policyCommands: CommandModule = (program: Command, cli: Cli) => {
  const policy = program.command('policy').description('rotation policies: how old a key may get');

  policy
    .command('set')
    .description('set the policy of a workspace or environment (replaces the one it had)')
    .requiredOption('--workspace <workspace>', 'name or id')
    .option('--env <environment>', 'name or id (default: the whole workspace)')
    .requiredOption('--max-age <days>', 'a key is due once older than this')
    .option('--warn <days>', 'warn this many days before it is due (default 14)')
    .action(async (o: { workspace: string; env?: string; maxAge: string; warn?: string }) => {
      const maxAgeDays = daysOption(o.maxAge, '--max-age')!;
      const warnDays = daysOption(o.warn, '--warn');
      const view = await withVault(cli, (s) =>
        setPolicy(s, { workspace: o.workspace, env: o.env ?? null, maxAgeDays, ...(warnDays !== undefined ? { warnDays } : {}) }),
      );
      cli.print(view, `Policy ${policyLine(view)}`);
    });

  policy
    .command('list')
    .description('every rotation policy')
    .action(async () => {
      const list = await withVault(cli, (s) => policyViews(s));
      cli.print(list, () => (list.length ? list.map(policyLine).join('\n') : 'No policies.'));
    });

  policy
    .command('rm')
    .description('remove a policy')
    .argument('<id>', 'policy id')
    .action(async (id: string) => {
      await withVault(cli, (s) => removePolicy(s, id));
      cli.print({ removed: id }, `Removed policy ${id}`);
    });
};
