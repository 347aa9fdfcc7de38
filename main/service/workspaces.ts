// Workspace and environment use cases (audited), shared by IPC and the CLI.
import { checkRepository } from '../providers/github-targets';
import type { Environment, Provider, VaultSession, Workspace } from '../vault/types';
import { resolveEnvironment } from './identifiers';

export interface EnvironmentView extends Environment {
  workspace: string;
}

export function addWorkspace(session: VaultSession, input: { name: string; provider: Provider; url?: string | null }): Workspace {
  return session.transaction(() => {
    const ws = session.addWorkspace(input);
    session.audit({ action: 'workspace_added', workspaceId: ws.id, detail: `${ws.provider} workspace added` });
    return ws;
  });
}

export function updateWorkspace(session: VaultSession, idOrName: string, patch: { name?: string; url?: string | null }): Workspace {
  return session.transaction(() => session.updateWorkspace(session.getWorkspace(idOrName).id, patch));
}

/** Removes an empty workspace and its environments (CONFLICT while it holds keys). */
export function removeWorkspace(session: VaultSession, idOrName: string): Workspace {
  return session.transaction(() => {
    const ws = session.getWorkspace(idOrName);
    session.removeWorkspace(ws.id);
    session.audit({ action: 'workspace_removed', workspaceId: ws.id, detail: `${ws.provider} workspace removed` });
    return ws;
  });
}

export function environmentView(env: Environment, workspaces: Map<string, Workspace>): EnvironmentView {
  return { ...env, workspace: workspaces.get(env.workspaceId)?.name ?? '' };
}

export function listEnvironmentViews(session: VaultSession, workspace?: string): EnvironmentView[] {
  const wsMap = new Map(session.listWorkspaces().map((w) => [w.id, w]));
  const wsId = workspace === undefined ? undefined : session.getWorkspace(workspace).id;
  return session.listEnvironments(wsId).map((e) => environmentView(e, wsMap));
}

export function addEnvironment(
  session: VaultSession,
  input: { workspace: string; name: string; remoteId?: string | null },
): EnvironmentView {
  return session.transaction(() => {
    const ws = session.getWorkspace(input.workspace);
    // a GitHub environment is a repository: its platform id is OWNER/REPO (docs/PLATFORMS.md)
    const remoteId = input.remoteId ?? (ws.provider === 'github' ? checkRepository(input.name) : null);
    const env = session.addEnvironment({ workspaceId: ws.id, name: input.name, remoteId });
    session.audit({ action: 'environment_added', workspaceId: ws.id, detail: 'environment added' });
    return { ...env, workspace: ws.name };
  });
}

/** Removes an environment; its keys stay in the workspace without one. */
export function removeEnvironment(session: VaultSession, idOrName: string, workspace?: string): Environment {
  return session.transaction(() => {
    const env = resolveEnvironment(session, idOrName, workspace);
    session.removeEnvironment(env.id);
    session.audit({ action: 'environment_removed', workspaceId: env.workspaceId, detail: 'environment removed' });
    return env;
  });
}
