// A key's age held against its policy, at a time the caller gives (an injected clock: tests move
// it, never the system's). A key is `due` from dueAt on, `warn` in the policy's warning window
// before that, else `ok`. An expiring token is due one warning window before it expires, policy
// or not (docs/CLI.md, Key ages and policies).
import type { KeyStatus } from '../../api/constants';
import type { KeyRecord, Policy } from '../../vault/types';
import { keyDates, type AgeSource } from './key-dates';

export const DAY_MS = 86_400_000;
export const DEFAULT_WARN_DAYS = 14;
export { KEY_STATUSES, type KeyStatus } from '../../api/constants';

export type Clock = () => Date;
export const systemClock: Clock = () => new Date();

export interface KeyAge {
  ageDays: number;
  ageSource: AgeSource;
  /** when the current secret came to be */
  agedFrom: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  dueAt: string | null;
  status: KeyStatus;
}

/** The policy that holds for a key: its environment's, else its workspace's. */
export function policyFor(rec: Pick<KeyRecord, 'workspaceId' | 'environmentId'>, policies: readonly Policy[]): Policy | null {
  if (!rec.workspaceId) return null;
  const inWs = policies.filter((p) => p.workspaceId === rec.workspaceId);
  return (
    (rec.environmentId ? inWs.find((p) => p.environmentId === rec.environmentId) : undefined) ??
    inWs.find((p) => p.environmentId === null) ??
    null
  );
}

export function keyAge(rec: KeyRecord, policy: Policy | null, now: Date): KeyAge {
  const d = keyDates(rec);
  const t = now.getTime();
  const ageDays = Math.max(0, Math.floor((t - Date.parse(d.since)) / DAY_MS));
  const base = { ageDays, ageSource: d.source, agedFrom: d.since, lastUsedAt: d.lastUsedAt, expiresAt: d.expiresAt };
  // a revoked key is gone from its platform on purpose: nothing to rotate
  if (rec.state === 'revoked') return { ...base, dueAt: null, status: 'ok' };
  const warnMs = (policy?.warnDays ?? DEFAULT_WARN_DAYS) * DAY_MS;
  const dues: number[] = [];
  if (policy) dues.push(Date.parse(d.since) + policy.maxAgeDays * DAY_MS);
  if (d.expiresAt) dues.push(Date.parse(d.expiresAt) - warnMs);
  if (dues.length === 0) return { ...base, dueAt: null, status: 'ok' };
  const due = Math.min(...dues);
  const status: KeyStatus = t >= due ? 'due' : t >= due - warnMs ? 'warn' : 'ok';
  return { ...base, dueAt: new Date(due).toISOString(), status };
}
