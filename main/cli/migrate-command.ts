// `keyhold migrate --from SOURCE PATH` (CLI.md): credentials kept in another manager, ~/.ssh, a
// netrc or a .env file brought into the vault. The use case is main/service/migrate.ts; this
// prints its result, never a secret.
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { MIGRATION_SOURCES, type MigrationSource } from '../migrate';
import { migrate, type MigrateResult } from '../service/migrate';
import { GROUP_MAPPINGS, type GroupMapping } from '../service/migrate-targets';
import type { Cli } from './io';
import type { CommandModule } from './program';
import { withVault } from './with-vault';

interface MigrateOptions {
  from: MigrationSource;
  workspace?: string;
  groups: GroupMapping;
  dryRun?: boolean;
  passphraseStdin?: boolean;
}

const where = (r: { workspace: string; environment: string | null }) => (r.environment ? `${r.workspace}/${r.environment}` : r.workspace);

/** The readable report: one line per key, then what was already there and what was skipped. */
export function migrateText(r: MigrateResult): string {
  const lines: string[] = [];
  const verb = r.dryRun ? 'Would import' : 'Imported';
  lines.push(`${verb} ${r.items.length} ${r.items.length === 1 ? 'key' : 'keys'} from ${r.path} (${r.source}) into ${r.workspace}`);
  for (const i of r.items) lines.push(`  + ${i.kind.padEnd(12)} ${i.name}  -> ${where(i)}${i.fingerprint ? `  ${i.fingerprint}` : ''}`);
  if (r.created.workspaces.length > 0) lines.push(`${r.dryRun ? 'New' : 'Created'} workspaces: ${r.created.workspaces.join(', ')}`);
  if (r.created.environments.length > 0) lines.push(`${r.dryRun ? 'New' : 'Created'} environments: ${r.created.environments.join(', ')}`);
  if (r.duplicates.length > 0) {
    lines.push(`Already present (${r.duplicates.length}):`);
    for (const d of r.duplicates) lines.push(`  = ${d.sourceRef}${d.of ? ` (same as ${d.of})` : ''}`);
  }
  if (r.skipped.length > 0) {
    lines.push(`Skipped (${r.skipped.length}):`);
    for (const s of r.skipped) lines.push(`  - ${s.sourceRef}: ${s.reason}`);
  }
  if (r.dryRun) lines.push('Nothing was written (--dry-run).');
  return lines.join('\n');
}

export const migrateCommand: CommandModule = (program: Command, cli: Cli) => {
  program
    .command('migrate')
    .description('bring credentials from another manager, ~/.ssh, netrc or .env files into the vault')
    .addOption(new Option('--from <source>', 'what PATH is').choices(MIGRATION_SOURCES).makeOptionMandatory())
    .argument('<path>', 'the export file (the folder for ssh-dir)')
    .option(
      '--workspace <workspace>',
      'the workspace to import into (name or id; created as a local workspace if absent; default: named after the source)',
    )
    .addOption(
      new Option('--groups <mapping>', 'groups and folders become environments of the workspace, workspaces of their own, or nothing')
        .choices(GROUP_MAPPINGS)
        .default('environments'),
    )
    .option('--dry-run', 'only show what would be imported, skipped or is already present')
    .option('--passphrase-stdin', 'read the passphrase of protected SSH keys from the next line of standard input')
    .action(async (path: string, o: MigrateOptions) => {
      const result = await withVault(cli, async (s) => {
        // without a passphrase a protected key is listed as skipped, with the reason
        const passphrase = o.passphraseStdin ? await cli.secret(true, 'the passphrase of the protected keys') : undefined;
        return migrate(s, {
          source: o.from,
          path: resolve(path),
          groups: o.groups,
          dryRun: Boolean(o.dryRun),
          ...(o.workspace !== undefined ? { workspace: o.workspace } : {}),
          ...(passphrase ? { passphrase } : {}),
        });
      });
      cli.print(result, () => migrateText(result));
    });
};
