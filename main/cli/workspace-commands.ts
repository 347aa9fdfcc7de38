// `keyhold workspace add|list|rm` and `keyhold env add|list|rm` (CLI.md). W is a name or an id; E
// also the platform's own id (main/service/identifiers.ts).
import { Option, type Command } from 'commander';
import type { CredentialAccess } from '../providers/types';
import { workspaceAccess } from '../service/connect';
import {
  addEnvironment,
  addWorkspace,
  listEnvironmentViews,
  removeEnvironment,
  removeWorkspace,
  type EnvironmentView,
} from '../service/workspaces';
import { PROVIDERS, type Provider, type Workspace } from '../vault/types';
import type { Cli } from './io';
import type { CommandModule } from './program';
import { withVault } from './with-vault';

type WorkspaceLine = Workspace & { access: CredentialAccess | null };

function workspacesText(list: WorkspaceLine[]): string {
  if (list.length === 0) return 'No workspaces.';
  // what each credential may do, as its platform showed it
  return list
    .map(
      (w) =>
        `${w.id}  ${w.provider.padEnd(8)} ${w.name}${w.url ? `  (${w.url})` : ''}${w.access ? `\n    credential: ${w.access.summary}` : ''}`,
    )
    .join('\n');
}

function environmentsText(list: EnvironmentView[]): string {
  if (list.length === 0) return 'No environments.';
  return list.map((e) => `${e.id}  ${e.workspace} / ${e.name}${e.remoteId ? `  (${e.remoteId})` : ''}`).join('\n');
}

/** The `workspace` command group (other domains add subcommands to it, e.g. connect). */
export function workspaceGroup(program: Command): Command {
  return (
    program.commands.find((c) => c.name() === 'workspace') ??
    program.command('workspace').description('workspaces: one account on one platform')
  );
}

export const workspaceCommands: CommandModule = (program: Command, cli: Cli) => {
  const ws = workspaceGroup(program);
  ws.command('add')
    .description('add a workspace')
    .addOption(new Option('--provider <provider>', 'the platform').choices(PROVIDERS).makeOptionMandatory())
    .requiredOption('--name <name>', 'its name (unique)')
    .option('--url <url>', "the platform API's base URL")
    .action(async (o: { provider: Provider; name: string; url?: string }) => {
      const w = await withVault(cli, (s) => addWorkspace(s, { name: o.name, provider: o.provider, url: o.url ?? null }));
      cli.print(w, `Added workspace ${w.name} (${w.id})`);
    });
  ws.command('list')
    .description('list workspaces')
    .action(async () => {
      const list = await withVault(cli, (s) => s.listWorkspaces().map((w): WorkspaceLine => ({ ...w, access: workspaceAccess(s, w) })));
      cli.print(list, () => workspacesText(list));
    });
  ws.command('rm')
    .description('remove a workspace and its environments (it must hold no keys)')
    .argument('<workspace>', 'name or id')
    .action(async (w: string) => {
      const removed = await withVault(cli, (s) => removeWorkspace(s, w));
      cli.print({ removed: removed.id }, `Removed workspace ${removed.name}`);
    });

  const env =
    program.commands.find((c) => c.name() === 'env') ?? program.command('env').description('environments: scopes inside a workspace');
  env
    .command('add')
    .description('add an environment to a workspace')
    .requiredOption('--workspace <workspace>', 'name or id')
    .requiredOption('--name <name>', 'its name (unique in the workspace)')
    .option('--remote-id <id>', "the platform's id for it")
    .action(async (o: { workspace: string; name: string; remoteId?: string }) => {
      const e = await withVault(cli, (s) => addEnvironment(s, { workspace: o.workspace, name: o.name, remoteId: o.remoteId ?? null }));
      cli.print(e, `Added environment ${e.name} to ${e.workspace} (${e.id})`);
    });
  env
    .command('list')
    .description('list environments')
    .option('--workspace <workspace>', 'only this workspace (name or id)')
    .action(async (o: { workspace?: string }) => {
      const list = await withVault(cli, (s) => listEnvironmentViews(s, o.workspace));
      cli.print(list, () => environmentsText(list));
    });
  env
    .command('rm')
    .description('remove an environment (its keys stay in the workspace)')
    .argument('<environment>', 'name or id')
    .option('--workspace <workspace>', 'the workspace, when the name is not unique')
    .action(async (e: string, o: { workspace?: string }) => {
      const removed = await withVault(cli, (s) => removeEnvironment(s, e, o.workspace));
      cli.print({ removed: removed.id }, `Removed environment ${removed.name}`);
    });
};
