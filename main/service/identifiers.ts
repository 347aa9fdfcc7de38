// The one reading of W and E as the user gives them (CLI.md): a workspace by the vault's id or
// its name; an environment by the vault's id, its name, or the platform's own id for it (a Rancher
// project id such as 1a5, a Syncano instance name, a GitHub OWNER/REPO), which `env list` shows.
import { KeyholdError } from '../errors';
import type { Environment, VaultSession, Workspace } from '../vault/types';

export function resolveWorkspace(session: VaultSession, ref: string): Workspace {
  return session.getWorkspace(ref);
}

export function resolveEnvironment(session: VaultSession, ref: string, workspace?: string): Environment {
  const workspaceId = workspace === undefined ? undefined : resolveWorkspace(session, workspace).id;
  try {
    return session.getEnvironment(ref, workspaceId);
  } catch (e) {
    if (!(e instanceof KeyholdError) || e.code !== 'NOT_FOUND') throw e;
    const byRemote = session.listEnvironments(workspaceId).filter((env) => env.remoteId !== null && env.remoteId === ref.trim());
    if (byRemote.length > 1)
      throw new KeyholdError(
        'USAGE',
        `More than one workspace has an environment with the platform id "${ref.slice(0, 80)}": give --workspace or the environment's id.`,
      );
    if (!byRemote[0]) throw e;
    return byRemote[0];
  }
}
