// Where imported items go: the workspace (the one the user named, else a local one named after the
// source) and, for an item in a group or folder, what the user mapped groups to: an environment of
// that workspace (default), a workspace of their own (the first group; deeper groups an
// environment), or nothing (flat). Existing workspaces and environments are found by name and
// reused, so a second run lands where the first did; missing ones are created in the import's
// transaction.
import type { GroupMapping } from '../api/constants';
import type { MigrationItem, MigrationSource } from '../migrate';
import type { VaultSession } from '../vault/types';

export { GROUP_MAPPINGS, type GroupMapping } from '../api/constants';

/** The default workspace's name: the manager the credentials come from. */
export const SOURCE_WORKSPACE: Record<MigrationSource, string> = {
  'keepassxc-xml': 'KeePassXC',
  'keepassxc-csv': 'KeePassXC',
  'bitwarden-json': 'Bitwarden',
  '1password-csv': '1Password',
  netrc: 'netrc',
  dotenv: '.env',
  'ssh-dir': 'SSH keys',
};

export interface Target {
  workspace: string;
  environment: string | null;
}

export interface ImportTargets {
  /** the workspace items outside a group go to */
  workspace: string;
  /** by item, in the order given */
  of: Target[];
  newWorkspaces(): string[];
  /** as WORKSPACE/ENVIRONMENT */
  newEnvironments(): string[];
  /** Creates what is missing (inside the caller's transaction); the ids by item. */
  create(): { workspaceId: string; environmentId: string | null }[];
}

export function targetOf(item: MigrationItem, workspace: string, groups: GroupMapping): Target {
  const g = item.groupPath;
  if (groups === 'flat' || g.length === 0) return { workspace, environment: null };
  if (groups === 'workspaces') return { workspace: g[0]!, environment: g.length > 1 ? g.slice(1).join('/') : null };
  return { workspace, environment: g.join('/') };
}

export function mapTargets(
  session: VaultSession,
  items: MigrationItem[],
  options: { source: MigrationSource; workspace?: string; groups: GroupMapping },
): ImportTargets {
  const existing = session.listWorkspaces();
  const named = options.workspace ?? SOURCE_WORKSPACE[options.source];
  // the user's W may be an id; a name given by the import is only ever a name
  const given = existing.find((w) => w.id === named || w.name === named);
  const wsName = given?.name ?? named;
  const of = items.map((item) => targetOf(item, wsName, options.groups));
  const wsIds = new Map<string, string | null>();
  const envIds = new Map<string, string | null>();
  const envKey = (t: Target) => `${t.workspace}\u0000${t.environment}`;
  for (const t of of) {
    if (!wsIds.has(t.workspace)) {
      const w = existing.find((x) => x.name === t.workspace);
      wsIds.set(t.workspace, w?.id ?? null);
    }
    const wsId = wsIds.get(t.workspace) ?? null;
    if (t.environment !== null && !envIds.has(envKey(t))) {
      const env = wsId === null ? undefined : session.listEnvironments(wsId).find((e) => e.name === t.environment);
      envIds.set(envKey(t), env?.id ?? null);
    }
  }
  return {
    workspace: wsName,
    of,
    newWorkspaces: () => [...wsIds].filter(([, id]) => id === null).map(([name]) => name),
    newEnvironments: () => [...envIds].filter(([, id]) => id === null).map(([k]) => k.replace('\u0000', '/')),
    create() {
      return of.map((t) => {
        let wsId = wsIds.get(t.workspace) ?? null;
        if (wsId === null) {
          wsId = session.addWorkspace({ name: t.workspace, provider: 'local' }).id;
          wsIds.set(t.workspace, wsId);
        }
        if (t.environment === null) return { workspaceId: wsId, environmentId: null };
        let envId = envIds.get(envKey(t)) ?? null;
        if (envId === null) {
          envId = session.addEnvironment({ workspaceId: wsId, name: t.environment }).id;
          envIds.set(envKey(t), envId);
        }
        return { workspaceId: wsId, environmentId: envId };
      });
    },
  };
}
