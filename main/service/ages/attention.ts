// What needs attention, in one place: keys due or warned by their policy, tokens about to expire,
// keys not used for a long time (where the platform says when they were last used), and keys the
// platform has that someone registered outside Keyhold (a sync found them, nobody made them here).
import type { KeyRecord, VaultSession } from '../../vault/types';
import { keyView, loadNames, resolveScope, type KeyView } from '../keys';
import { AGE_META, registeredOutside } from './key-dates';
import { DAY_MS, keyAge, policyFor, systemClock, type Clock } from './status';

/** Unused for longer than this (by the platform's last-use date) is worth a look. */
export const UNUSED_DAYS = 90;
/** A token expiring within this many days is listed as expiring. */
export const EXPIRING_DAYS = 30;

export interface Attention {
  due: KeyView[];
  warn: KeyView[];
  expiring: KeyView[];
  unused: KeyView[];
  unknown: KeyView[];
  counts: { due: number; warn: number; expiring: number; unused: number; unknown: number };
}

export function needsAttention(session: VaultSession, scope: { workspace?: string } = {}, clock: Clock = systemClock): Attention {
  const names = loadNames(session, clock);
  const now = names.now.getTime();
  const out: Attention = {
    due: [],
    warn: [],
    expiring: [],
    unused: [],
    unknown: [],
    counts: { due: 0, warn: 0, expiring: 0, unused: 0, unknown: 0 },
  };
  const { workspaceId } = resolveScope(session, scope);
  for (const rec of session.listKeys(workspaceId ? { workspaceId } : {}).items) {
    // a key gone from its platform or revoked there has nothing left to rotate
    if (rec.state === 'revoked' || rec.remoteMissing) continue;
    // the age first (cheap): the full view only for the few keys that need attention
    const a = keyAge(rec, policyFor(rec, names.policies), names.now);
    const lists: (keyof Attention['counts'])[] = [];
    if (a.status !== 'ok') lists.push(a.status);
    if (a.expiresAt && Date.parse(a.expiresAt) - now <= EXPIRING_DAYS * DAY_MS) lists.push('expiring');
    if (a.lastUsedAt && now - Date.parse(a.lastUsedAt) > UNUSED_DAYS * DAY_MS) lists.push('unused');
    if (registeredOutside(rec)) lists.push('unknown');
    if (lists.length === 0) continue;
    const v = keyView(session, rec, names);
    for (const l of lists) out[l].push(v);
  }
  const byDue = (a: KeyView, b: KeyView) => (a.dueAt ?? '').localeCompare(b.dueAt ?? '');
  out.due.sort(byDue);
  out.warn.sort(byDue);
  for (const k of ['due', 'warn', 'expiring', 'unused', 'unknown'] as const) out.counts[k] = out[k].length;
  return out;
}

/** The admin knows a key registered outside Keyhold and keeps it: it leaves the unknown list. */
export function acknowledgeKey(session: VaultSession, id: string): KeyRecord {
  return session.transaction(() => {
    const rec = session.getKey(id);
    const out = session.updateKey(id, { meta: { ...rec.meta, [AGE_META.acknowledged]: 'true' } });
    session.audit({ action: 'edited', keyId: id, workspaceId: rec.workspaceId, detail: 'registered outside Keyhold: acknowledged' });
    return out;
  });
}

/** The line of the desktop notification on unlock, or null when nothing is due. */
export function dueNotice(a: Attention): { title: string; body: string } | null {
  const n = a.counts.due;
  if (n === 0) return null;
  return { title: 'Keyhold', body: `${n} ${n === 1 ? 'key is' : 'keys are'} due for rotation` };
}
