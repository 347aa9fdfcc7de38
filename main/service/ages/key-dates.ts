// Where a key's age comes from, kept in its sealed metadata (the vault's meta record): the dates the
// platform reports (recorded by sync), a creation time given by hand (`key add --created`), and
// how the key came into the vault. A key made in Keyhold needs none of them: its vault creation
// (or last rotation) time is the time Keyhold made its secret.
import type { RemoteKey } from '../../providers/types';
import type { AgeSource } from '../../api/constants';
import type { KeyRecord } from '../../vault/types';

export const AGE_META = {
  platformCreatedAt: 'platformCreatedAt',
  lastUsedAt: 'lastUsedAt',
  expiresAt: 'expiresAt',
  /** the creation time the user gave for a key added by hand */
  givenCreatedAt: 'givenCreatedAt',
  /** 'hand' (key add) or 'sync' (found on the platform: registered outside Keyhold) */
  addedBy: 'addedBy',
  /** the user has seen a key registered outside Keyhold and keeps it */
  acknowledged: 'acknowledged',
} as const;

export { AGE_SOURCES, type AgeSource } from '../../api/constants';

/** An ISO time as the platform or the user wrote it, normalised; null when it is not a time. */
export function isoOrNull(text: string | null | undefined): string | null {
  if (!text) return null;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

export interface KeyDates {
  /** when the current secret came to be, and who says so */
  since: string;
  source: AgeSource;
  lastUsedAt: string | null;
  expiresAt: string | null;
}

export function keyDates(rec: KeyRecord): KeyDates {
  const m = rec.meta;
  const platform = isoOrNull(m[AGE_META.platformCreatedAt]);
  const given = isoOrNull(m[AGE_META.givenCreatedAt]);
  let since: string;
  let source: AgeSource;
  if (platform) [since, source] = [platform, 'platform'];
  else if (given) [since, source] = [given, 'manual'];
  // added by hand, found by a sync without a date, or imported (a key file or another manager's
  // export: meta.source): the age counts from when it came into the vault
  else if (m[AGE_META.addedBy] || m.source) [since, source] = [rec.createdAt, 'added'];
  else [since, source] = [rec.createdAt, 'keyhold'];
  // a rotation in Keyhold made a new secret, whatever the platform dated the key (Syncano's
  // reset_key keeps created_at)
  if (rec.rotatedAt && Date.parse(rec.rotatedAt) > Date.parse(since)) [since, source] = [rec.rotatedAt, 'keyhold'];
  return { since, source, lastUsedAt: isoOrNull(m[AGE_META.lastUsedAt]), expiresAt: isoOrNull(m[AGE_META.expiresAt]) };
}

/** The meta of a key with the platform's dates recorded, or null when nothing changed. A date the
 * platform no longer reports is kept as last seen only for creation (last use and expiry follow it). */
export function withPlatformDates(
  meta: Record<string, string>,
  dates: Pick<RemoteKey, 'createdAt' | 'lastUsedAt' | 'expiresAt'>,
): Record<string, string> | null {
  const next = { ...meta };
  // kept as the platform wrote it (readers normalise with isoOrNull); text that is no time is dropped
  const put = (name: string, value: string | null | undefined, keepOld: boolean) => {
    if (value && isoOrNull(value)) next[name] = value;
    else if (!keepOld) delete next[name];
  };
  put(AGE_META.platformCreatedAt, dates.createdAt, true);
  if (dates.lastUsedAt !== undefined) put(AGE_META.lastUsedAt, dates.lastUsedAt, false);
  if (dates.expiresAt !== undefined) put(AGE_META.expiresAt, dates.expiresAt, false);
  const same = Object.keys(next).length === Object.keys(meta).length && Object.entries(next).every(([k, v]) => meta[k] === v);
  return same ? null : next;
}

/** A key the platform had and the vault did not until a sync found it, not yet rotated in Keyhold
 * nor acknowledged: someone registered it outside Keyhold. */
export function registeredOutside(rec: KeyRecord): boolean {
  return rec.meta[AGE_META.addedBy] === 'sync' && rec.rotatedAt === null && rec.meta[AGE_META.acknowledged] !== 'true';
}
