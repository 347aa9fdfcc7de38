// `keyhold key add|list|show|edit|rm|history` (CLI.md, Keys). Other domains add subcommands to
// the same `key` group (create, rotate, ...) through keyGroup().
import { Option, type Command } from 'commander';
import { KeyholdError } from '../errors';
import { resolveKeyRef } from '../service/key-ref';
import { addKey, keyDetail, keyHistory, listKeyViews, removeKey, resolveScope, revealSecret, type KeyView } from '../service/keys';
import { KEY_KINDS, KEY_STATES, type KeyKind, type KeyState } from '../vault/types';
import { promptHidden, type Cli } from './io';
import type { CommandModule } from './program';
import { withVault } from './with-vault';

const ADDABLE_KINDS = ['api_key', 'account_key', 'user_key', 'access_key_pair'] as const;

/** The `key` command group, created once whichever module registers first. */
export function keyGroup(program: Command): Command {
  return program.commands.find((c) => c.name() === 'key') ?? program.command('key').description('keys: add, list, show, edit, remove');
}

export function keysText(list: KeyView[]): string {
  if (list.length === 0) return 'No keys.';
  return list
    .map(
      (k) =>
        `${k.id}  ${k.kind.padEnd(15)} ${k.state.padEnd(8)} ${(k.workspace ?? '-') + (k.environment ? `/${k.environment}` : '')}  ${k.name}${k.status === 'ok' ? '' : `  [${k.status}: ${k.ageDays} days old${k.dueAt ? `, due ${k.dueAt.slice(0, 10)}` : ''}]`}`,
    )
    .join('\n');
}

export function keyText(k: KeyView & { secret?: string }): string {
  const lines = [
    `id:          ${k.id}`,
    `name:        ${k.name}`,
    `kind:        ${k.kind}`,
    `state:       ${k.state}`,
    `workspace:   ${k.workspace ?? '-'}`,
    `environment: ${k.environment ?? '-'}`,
  ];
  if (k.description) lines.push(`description: ${k.description}`);
  if (k.public) lines.push(`public:      ${k.public}`);
  if (k.fingerprint) lines.push(`fingerprint: ${k.fingerprint}`);
  if (k.role) lines.push(`role:        ${k.role}`);
  if (k.agent)
    lines.push(
      `agent:       ${k.agent}; hosts: ${k.agentHosts?.length ? k.agentHosts.join(', ') : 'any'}; forwarding: ${k.agentForwarding ?? 'deny'}`,
    );
  const flags = Object.entries(k.flags)
    .filter(([, v]) => v)
    .map(([f]) => f);
  if (flags.length) lines.push(`flags:       ${flags.join(', ')}`);
  lines.push(`created:     ${k.createdAt}`);
  lines.push(`age:         ${k.ageDays} days (${k.ageSource})${k.dueAt ? `, due ${k.dueAt} [${k.status}]` : ''}`);
  if (k.lastUsedAt) lines.push(`last used:   ${k.lastUsedAt}`);
  if (k.expiresAt) lines.push(`expires:     ${k.expiresAt}`);
  if (k.rotatedAt) lines.push(`rotated:     ${k.rotatedAt}`);
  if (k.meta.expiresAt) lines.push(`expires:     ${k.meta.expiresAt}`);
  if (k.meta.lastUsedAt) lines.push(`last used:   ${k.meta.lastUsedAt}`);
  if (k.randomart) lines.push(k.randomart);
  if (k.secret !== undefined) lines.push(`secret:      ${k.secret}`);
  return lines.join('\n');
}

async function readKeySecret(cli: Cli, fromStdin: boolean | undefined): Promise<string | null> {
  if (fromStdin) return cli.stdinLines.next('the secret');
  if (!cli.streams.stdin.isTTY) return null;
  const s = await promptHidden('Secret (leave empty for none): ', cli.streams);
  return s === '' ? null : s;
}

function intOption(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new KeyholdError('USAGE', `${flag} takes a whole number.`);
  return Number(v);
}

export const keyCommands: CommandModule = (program: Command, cli: Cli) => {
  const key = keyGroup(program);

  key
    .command('add')
    .description('store a key that exists elsewhere')
    .requiredOption('--workspace <workspace>', 'name or id')
    .option('--env <environment>', 'name or id')
    .addOption(new Option('--kind <kind>', 'what it is').choices(ADDABLE_KINDS).makeOptionMandatory())
    .requiredOption('--name <name>', 'its name')
    .option('--description <text>', 'what it is for')
    .option('--public <value>', 'the non-secret part (access key, key id)')
    .option('--secret-stdin', 'read the secret from the next line of standard input')
    .option('--created <date>', 'when the key was made elsewhere (its age counts from then; default: now)')
    .action(
      async (o: {
        workspace: string;
        env?: string;
        kind: KeyKind;
        name: string;
        description?: string;
        public?: string;
        secretStdin?: boolean;
        created?: string;
      }) => {
        const view = await withVault(cli, async (s) => {
          const scope = resolveScope(s, { workspace: o.workspace, env: o.env });
          const secret = await readKeySecret(cli, o.secretStdin);
          const rec = addKey(s, {
            ...scope,
            kind: o.kind,
            name: o.name,
            description: o.description,
            publicPart: o.public ?? null,
            secret,
            createdAt: o.created ?? null,
          });
          return keyDetail(s, rec);
        });
        cli.print(view, `Added key ${view.name} (${view.id})`);
      },
    );

  key
    .command('list')
    .description('list keys (never their secrets)')
    .option('--workspace <workspace>', 'name or id')
    .option('--env <environment>', 'name or id')
    .option('--search <text>', 'substring of name, description, public part or fingerprint')
    .addOption(new Option('--kind <kind>').choices(KEY_KINDS))
    .addOption(new Option('--state <state>').choices(KEY_STATES))
    .addOption(new Option('--sort <field>').choices(['name', 'createdAt', 'rotatedAt', 'kind', 'state'] as const))
    .option('--desc', 'descending order')
    .option('--limit <n>', 'at most N keys')
    .option('--offset <n>', 'skip the first N keys')
    .option('--due', 'only keys due or about to be due by their rotation policy')
    .action(
      async (o: {
        workspace?: string;
        env?: string;
        search?: string;
        kind?: KeyKind;
        state?: KeyState;
        sort?: 'name';
        desc?: boolean;
        limit?: string;
        offset?: string;
        due?: boolean;
      }) => {
        const limit = intOption(o.limit, '--limit');
        const offset = intOption(o.offset, '--offset');
        const query = {
          search: o.search,
          kind: o.kind,
          state: o.state,
          sort: o.sort,
          order: o.desc ? ('desc' as const) : ('asc' as const),
        };
        const items = await withVault(cli, (s) => {
          const scope = resolveScope(s, { workspace: o.workspace, env: o.env });
          if (!o.due) return listKeyViews(s, { ...scope, ...query, limit, offset }).items;
          // the status is computed, not indexed: filter the whole scope, then page
          const due = listKeyViews(s, { ...scope, ...query }).items.filter((k) => k.status !== 'ok');
          return due.slice(offset ?? 0, limit === undefined ? undefined : (offset ?? 0) + limit);
        });
        cli.print(items, () => keysText(items));
      },
    );

  key
    .command('show')
    .description('one key; --reveal prints its secret (audited)')
    .argument('<key>', 'key id, id prefix, name, WORKSPACE/NAME or WORKSPACE/ENV/NAME')
    .option('--reveal', 'include the secret (recorded in the audit trail)')
    .action(async (ref: string, o: { reveal?: boolean }) => {
      const view = await withVault(cli, (s) => {
        const rec = resolveKeyRef(s, ref);
        const detail: KeyView & { secret?: string } = keyDetail(s, rec);
        if (o.reveal) detail.secret = revealSecret(s, rec.id, 'revealed by keyhold key show --reveal');
        return detail;
      });
      cli.print(view, () => keyText(view));
    });

  key
    .command('rm')
    .description('remove a key and all its versions')
    .argument('<key>', 'key reference (id, id prefix, name, WORKSPACE/NAME, WORKSPACE/ENV/NAME)')
    .action(async (ref: string) => {
      const id = await withVault(cli, (s) => {
        const rec = resolveKeyRef(s, ref);
        removeKey(s, rec.id);
        return rec.id;
      });
      cli.print({ removed: id }, `Removed key ${id}`);
    });

  key
    .command('history')
    .description("a key's versions and audit events")
    .argument('<key>', 'key reference')
    .action(async (ref: string) => {
      const h = await withVault(cli, (s) => keyHistory(s, resolveKeyRef(s, ref).id));
      cli.print(h, () =>
        [
          ...h.versions.map(
            (v) => `version ${v.version}${v.current ? ' (current)' : ''}  ${v.createdAt}${v.publicPart ? `  ${v.publicPart}` : ''}`,
          ),
          ...h.events.map((e) => `${e.at}  ${e.action}  ${e.detail}`),
        ].join('\n'),
      );
    });
};
