// Rotation policies as the CLI and the UI see them: per workspace, optionally per environment, by
// name or id; setting one again on the same scope replaces it (docs/CLI.md).
import { KeyholdError } from '../../errors';
import type { Policy, VaultSession } from '../../vault/types';
import { MAX_POLICY_DAYS } from '../../vault/tables/policies';
import { DEFAULT_WARN_DAYS } from './status';

export interface PolicyView {
  id: string;
  workspaceId: string;
  workspace: string;
  environmentId: string | null;
  environment: string | null;
  maxAgeDays: number;
  warnDays: number;
  createdAt: string;
  updatedAt: string;
}

export interface SetPolicyInput {
  /** name or id */
  workspace: string;
  env?: string | null;
  maxAgeDays: number;
  warnDays?: number;
}

function days(n: number, flag: string, min: number): number {
  if (!Number.isInteger(n) || n < min || n > MAX_POLICY_DAYS)
    throw new KeyholdError('USAGE', `${flag} takes a whole number of days from ${min} to ${MAX_POLICY_DAYS}.`);
  return n;
}

export function policyViews(session: VaultSession): PolicyView[] {
  const ws = new Map(session.listWorkspaces().map((w) => [w.id, w.name]));
  const envs = new Map(session.listEnvironments().map((e) => [e.id, e.name]));
  return session.listPolicies().map((p) => view(p, ws, envs));
}

function view(p: Policy, ws: Map<string, string>, envs: Map<string, string>): PolicyView {
  return {
    ...p,
    workspace: ws.get(p.workspaceId) ?? p.workspaceId,
    environment: p.environmentId ? (envs.get(p.environmentId) ?? p.environmentId) : null,
  };
}

export function setPolicy(session: VaultSession, input: SetPolicyInput): PolicyView {
  const maxAgeDays = days(input.maxAgeDays, '--max-age', 1);
  const warnDays = days(input.warnDays ?? DEFAULT_WARN_DAYS, '--warn', 0);
  return session.transaction(() => {
    const ws = session.getWorkspace(input.workspace);
    const env = input.env ? session.getEnvironment(input.env, ws.id) : null;
    const p = session.setPolicy({ workspaceId: ws.id, environmentId: env?.id ?? null, maxAgeDays, warnDays });
    const scope = env ? `${ws.name}/${env.name}` : ws.name;
    session.audit({
      action: 'edited',
      workspaceId: ws.id,
      detail: `rotation policy of ${scope}: due after ${maxAgeDays} days, warned ${warnDays} days before`,
    });
    return view(p, new Map([[ws.id, ws.name]]), new Map(env ? [[env.id, env.name]] : []));
  });
}

export function removePolicy(session: VaultSession, id: string): void {
  session.transaction(() => {
    const p = session.listPolicies().find((x) => x.id === id);
    if (!p) throw new KeyholdError('NOT_FOUND', `No policy "${id.slice(0, 80)}".`);
    session.removePolicy(p.id);
    session.audit({ action: 'edited', workspaceId: p.workspaceId, detail: 'rotation policy removed' });
  });
}
