// The remote commands of CLI.md: `workspace connect W`, `sync W`, and `key create | rotate |
// activate | deactivate | revoke | check`. Each resumes any interrupted rotation first, so a
// crash of an earlier run is finished (or rolled back) before new remote work starts.
import { Option, type Command } from 'commander';
import { KeyholdError } from '../errors';
import { AGENT_FORWARDING, AGENT_MODES, setAgentSettings } from '../service/agent-settings';
import { SYNCANO_FLAGS } from '../providers/syncano';
import { CAPABILITIES, isRemoteProvider } from '../providers/types';
import { connectWorkspace } from '../service/connect';
import { resolveKeyIds, resolveKeyRef } from '../service/key-ref';
import { keyDetail } from '../service/keys';
import { checkRemoteKey, createRemoteKey, editRemoteKey, revokeRemoteKey, setRemoteKeyActive } from '../service/remote-keys';
import { rotateDue, type DueRotationResult } from '../service/ages/rotate-due';
import { DEFAULT_CONCURRENCY, resumeRotations, rotateKeys, rotationSummary, type RotationProgress } from '../service/rotation';
import { syncWorkspace } from '../service/sync';
import type { VaultSession } from '../vault/types';
import { agentPatchOf, type AgentEditOptions } from './agent-command';
import type { Cli } from './io';
import { keyGroup, keyText } from './key-commands';
import type { CommandModule } from './program';
import { withVault } from './with-vault';
import { workspaceGroup } from './workspace-commands';

const CREATE_KINDS = ['api_key', 'access_key_pair', 'user_key', 'ssh_key_pair', 'token', 'deploy_key', 'signing_key'] as const;

/** Runs fn on the vault after finishing interrupted rotations (told on stderr); the keys in
 * `except` are left to fn (`key rotate` finishes their interrupted rotation instead of a new one). */
async function withRemote<T>(
  cli: Cli,
  fn: (session: VaultSession) => Promise<T>,
  except: (session: VaultSession) => readonly string[] = () => [],
): Promise<T> {
  return withVault(cli, async (session) => {
    const resumed = await resumeRotations(session, { except: except(session) });
    if (resumed.length) cli.progress(`Finished ${resumed.filter((r) => r.ok).length} of ${resumed.length} interrupted rotation(s).`);
    return fn(session);
  });
}

function concurrency(v: string | undefined): number {
  if (v === undefined) return DEFAULT_CONCURRENCY;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new KeyholdError('USAGE', '--concurrency must be a whole number from 1 to 256.');
  return n;
}

function days(v: string): number {
  if (!/^\d{1,5}$/.test(v)) throw new KeyholdError('USAGE', '--ttl is a whole number of days.');
  return Number(v);
}

export const remoteCommands: CommandModule = (program: Command, cli: Cli) => {
  workspaceGroup(program)
    .command('connect')
    .description('store the credential that manages the workspace and check it on the platform')
    .argument('<workspace>', 'name or id')
    .option('--email <email>', 'Syncano: the account email (password via --secret-stdin or a prompt)')
    .option('--public <access-key>', 'Rancher: the access key of an account API key (secret via --secret-stdin)')
    .option('--key <id>', 'Encord: a key pair of the vault, registered on Encord')
    .option('--secret-stdin', 'read the password, secret key or token from the next line of standard input')
    .action(async (w: string, o: { email?: string; public?: string; key?: string; secretStdin?: boolean }) => {
      const result = await withRemote(cli, async (session) => {
        const ws = session.getWorkspace(w);
        const input: Parameters<typeof connectWorkspace>[1] = { workspace: ws.id };
        // what to ask for is the platform's way of connecting (CLI.md)
        const way = isRemoteProvider(ws.provider) ? CAPABILITIES[ws.provider].connect : null;
        switch (way) {
          case 'email_password':
            if (!o.email) throw new KeyholdError('USAGE', 'Syncano: give --email (the password comes from --secret-stdin or a prompt).');
            input.email = o.email;
            input.password = await cli.secret(o.secretStdin, 'the Syncano password');
            break;
          case 'access_key_pair':
            if (!o.public)
              throw new KeyholdError('USAGE', 'Rancher: give --public ACCESS_KEY (the secret key comes from --secret-stdin or a prompt).');
            input.accessKey = o.public;
            input.secretKey = await cli.secret(o.secretStdin, 'the Rancher secret key');
            break;
          case 'token':
            input.token = await cli.secret(
              o.secretStdin,
              ws.provider === 'rancher2' ? 'the Rancher 2 API token (token-xxxxx:secret)' : 'the GitHub token',
            );
            break;
          case 'signing_key':
            if (!o.key) throw new KeyholdError('USAGE', 'Encord: give --key ID of a key pair of the vault.');
            input.keyId = resolveKeyRef(session, o.key).id;
            break;
          case null:
            break; // a local workspace: connectWorkspace says it has no platform
        }
        return connectWorkspace(session, input);
      });
      cli.print(
        result,
        `Connected ${result.workspace.name} (${result.workspace.provider}) as ${result.identity}; credential stored as key ${result.credentialKeyId}`,
      );
    });

  program
    .command('sync')
    .description("pull the platform's environments and keys into the vault (never deletes local secrets)")
    .argument('<workspace>', 'name or id')
    .action(async (w: string) => {
      const r = await withRemote(cli, (session) => syncWorkspace(session, w));
      cli.print(r, () =>
        [
          `Synced ${r.workspace}: ${r.environments.added} environment(s) and ${r.keys.added} key(s) added, ${r.keys.updated} updated, ${r.keys.missing} gone remotely (kept locally)`,
          // the environments the credential may not read: left as they were, and why
          ...r.skipped.map((s) => `Could not read ${s.name}: ${s.reason}; its keys were left as they were`),
        ].join('\n'),
      );
    });

  const key = keyGroup(program);
  key
    .command('create')
    .description('create a key on the platform (or register a public key) and store it')
    .requiredOption('--workspace <workspace>', 'name or id')
    .option('--env <env>', 'environment (Syncano instance, Rancher environment, GitHub repository OWNER/REPO)')
    .addOption(new Option('--kind <kind>', 'what to create').choices(CREATE_KINDS).makeOptionMandatory())
    .requiredOption('--name <name>', 'its name')
    .option('--description <text>', 'its description')
    .addOption(new Option('--flag <flag...>', 'Syncano API key flags').choices(SYNCANO_FLAGS))
    .option('--key <id>', 'GitHub / Encord: register this key pair of the vault instead of a new one')
    .option('--role <role>', 'Encord: Admin, Member or user')
    .option('--ttl <days>', 'Rancher 2 tokens: days to live (0: the server default; the server cuts it to its max)')
    .option('--cluster <id>', 'Rancher 2 tokens: scope the token to this cluster')
    .option('--read-only', 'GitHub deploy keys: read access only (chosen now: GitHub keys cannot be changed)')
    .action(
      async (o: {
        workspace: string;
        env?: string;
        kind: (typeof CREATE_KINDS)[number];
        name: string;
        description?: string;
        flag?: string[];
        key?: string;
        role?: string;
        ttl?: string;
        cluster?: string;
        readOnly?: boolean;
      }) => {
        const out = await withRemote(cli, async (session) => {
          const created = await createRemoteKey(session, {
            workspace: o.workspace,
            kind: o.kind,
            name: o.name,
            ...(o.env !== undefined ? { env: o.env } : {}),
            ...(o.description !== undefined ? { description: o.description } : {}),
            ...(o.flag ? { flags: o.flag } : {}),
            ...(o.key ? { keyId: resolveKeyRef(session, o.key).id } : {}),
            ...(o.role ? { role: o.role } : {}),
            ...(o.ttl !== undefined ? { ttlDays: days(o.ttl) } : {}),
            ...(o.cluster ? { cluster: o.cluster } : {}),
            ...(o.readOnly ? { readOnly: true } : {}),
          });
          return { ...keyDetail(session, created.key), ...(created.registration ? { registration: created.registration } : {}) };
        });
        cli.print(out, () => {
          const lines = [`Created ${out.kind} ${out.name} (${out.id})`, keyText(out)];
          if (out.registration && !out.registration.registered) {
            lines.push(
              `Register it by hand at ${out.registration.url}:`,
              ...out.registration.steps.map((s, i) => `  ${i + 1}. ${s}`),
              `Then run: keyhold key check ${out.id}`,
            );
          }
          return lines.join('\n');
        });
      },
    );

  key
    .command('rotate')
    .description('new secret on the platform, stored, old one retired; resumable after a crash')
    .argument('[keys...]', 'key references (or --due)')
    .option('--due', 'every key due by its rotation policy (keys a platform cannot rotate are listed with the steps)')
    .option('--workspace <workspace>', 'with --due: only this workspace')
    .option('--concurrency <n>', `rotations at once (default ${DEFAULT_CONCURRENCY})`)
    .action(async (ids: string[], o: { concurrency?: string; due?: boolean; workspace?: string }) => {
      const n = concurrency(o.concurrency);
      if (o.due ? ids.length > 0 : ids.length === 0) throw new KeyholdError('USAGE', 'Give key ids or --due, not both.');
      if (o.workspace && !o.due) throw new KeyholdError('USAGE', '--workspace goes with --due.');
      let shown = 0;
      const rotation = {
        concurrency: n,
        onProgress: (p: RotationProgress) => {
          // a line at most every 200 ms, and always the last one
          if (p.done < p.total && Date.now() - shown < 200) return;
          shown = Date.now();
          cli.progress(`rotating: ${p.done}/${p.total} done, ${p.failed} failed`);
        },
      };
      const summary: DueRotationResult = await withRemote(
        cli,
        async (session) =>
          o.due
            ? rotateDue(session, o.workspace ? { workspace: o.workspace } : {}, rotation)
            : { ...rotationSummary(await rotateKeys(session, resolveKeyIds(session, ids), rotation)), manual: [] },
        (session) => (o.due ? [] : resolveKeyIds(session, ids)),
      );
      const out = o.due ? summary : { rotated: summary.rotated, failed: summary.failed, results: summary.results };
      cli.print(out, () =>
        [
          ...summary.results.map((r) =>
            r.ok
              ? `${r.id}  rotated (version ${r.version ?? '?'})${r.resumed ? ', finished an interrupted rotation' : ''}`
              : `${r.id}  FAILED: ${r.error?.message ?? ''}`,
          ),
          ...summary.manual.flatMap((m) => [
            `${m.id}  ${m.name}: rotate by hand (${m.reason})`,
            ...m.steps.map((s, i) => `  ${i + 1}. ${s}`),
          ]),
          `${summary.rotated} rotated, ${summary.failed} failed${o.due ? `, ${summary.manual.length} to rotate by hand` : ''}`,
        ].join('\n'),
      );
      if (summary.failed > 0) {
        const first = summary.results.find((r) => !r.ok)!.error!;
        const code = summary.results.every((r) => r.ok || r.error?.code === first.code) ? first.code : 'REMOTE';
        // the results are on stdout; the exit code says not all went well
        throw new KeyholdError(
          code as 'REMOTE',
          `${summary.failed} of ${summary.results.length} rotation(s) failed; the keys that failed keep a working secret.`,
        );
      }
    });

  for (const [name, active] of [
    ['activate', true],
    ['deactivate', false],
  ] as const) {
    key
      .command(name)
      .description(`${name} the key on the platform (Rancher)`)
      .argument('<key>', 'key reference (id, id prefix, name, WORKSPACE/NAME)')
      .action(async (id: string) => {
        const view = await withRemote(cli, async (session) =>
          keyDetail(session, await setRemoteKeyActive(session, resolveKeyRef(session, id).id, active)),
        );
        cli.print(view, `${name === 'activate' ? 'Activated' : 'Deactivated'} ${view.name} (${view.id})`);
      });
  }

  key
    .command('revoke')
    .description('delete the key on the platform; the vault keeps the record (revoked) and its secret')
    .argument('<key>', 'key reference (id, id prefix, name, WORKSPACE/NAME)')
    .action(async (id: string) => {
      const view = await withRemote(cli, async (session) =>
        keyDetail(session, await revokeRemoteKey(session, resolveKeyRef(session, id).id)),
      );
      cli.print(view, `Revoked ${view.name} (${view.id}) on the platform`);
    });

  key
    .command('edit')
    .description(
      "change a key's name or description (and Syncano flags); a key linked to a platform is changed there too; key pairs: agent settings",
    )
    .argument('<key>', 'key reference (id, id prefix, name, WORKSPACE/NAME)')
    .option('--name <name>', 'new name')
    .option('--description <text>', 'new description')
    .addOption(new Option('--flag <flag...>', 'Syncano: the complete set of flags to have').choices(SYNCANO_FLAGS))
    .option('--no-flags', 'Syncano: switch every flag off')
    .addOption(new Option('--agent <mode>', 'key pairs: served by the SSH agent, not, or each use confirmed').choices(AGENT_MODES))
    .option('--agent-hosts <hosts>', 'key pairs: sign only for these known_hosts names (comma-separated; empty clears)')
    .addOption(new Option('--agent-forwarding <choice>', 'key pairs: whether a forwarded agent may use the key').choices(AGENT_FORWARDING))
    .action(async (id: string, o: { name?: string; description?: string; flag?: string[]; flags?: boolean } & AgentEditOptions) => {
      const flags = o.flags === false ? [] : o.flag;
      const agentPatch = agentPatchOf(o);
      const view = await withRemote(cli, async (session) => {
        const keyId = resolveKeyRef(session, id).id;
        const edit = {
          ...(o.name !== undefined ? { name: o.name } : {}),
          ...(o.description !== undefined ? { description: o.description } : {}),
          ...(flags !== undefined ? { flags } : {}),
        };
        let rec = Object.keys(edit).length > 0 || !agentPatch ? await editRemoteKey(session, keyId, edit) : session.getKey(keyId);
        if (agentPatch) rec = setAgentSettings(session, rec.id, agentPatch);
        return keyDetail(session, rec);
      });
      cli.print(view, `Changed key ${view.name} (${view.id})`);
    });

  key
    .command('check')
    .description('check with a real call that the stored secret works (Encord: records the registration)')
    .argument('<key>', 'key reference (id, id prefix, name, WORKSPACE/NAME)')
    .action(async (id: string) => {
      const r = await withRemote(cli, (session) => checkRemoteKey(session, resolveKeyRef(session, id).id));
      cli.print(r, `${r.id}: ${r.works ? 'works' : 'does NOT work'} (${r.detail})`);
      if (!r.works) throw new KeyholdError('REMOTE', `Key ${r.id} does not work: ${r.detail}`);
    });
};
