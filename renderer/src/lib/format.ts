import type { AgeSource, KeyKind, KeyState } from '../../../main/api';

const KIND_LABELS: Record<KeyKind, string> = {
  account_key: 'Account key',
  api_key: 'API key',
  user_key: 'User key',
  access_key_pair: 'Access key pair',
  ssh_key_pair: 'SSH key pair',
  token: 'API token',
  login: 'Login',
  note: 'Secure note',
  deploy_key: 'Deploy key',
  signing_key: 'SSH signing key',
};

export function kindLabel(kind: string): string {
  return KIND_LABELS[kind as KeyKind] ?? kind;
}

export const KIND_OPTIONS = Object.entries(KIND_LABELS);

const STATE_LABELS: Record<KeyState, string> = { active: 'Active', inactive: 'Inactive', revoked: 'Revoked', expired: 'Expired' };
export function stateLabel(state: string): string {
  return STATE_LABELS[state as KeyState] ?? state;
}

/** A time to live in milliseconds as people say it (Rancher 2 tokens; 0: never expires). */
export function ttlText(ms: string | number): string {
  const n = Number(ms);
  if (!Number.isFinite(n) || n <= 0) return 'no expiry';
  const days = n / 86_400_000;
  return days >= 1 && Number.isInteger(days) ? `${days} day${days === 1 ? '' : 's'}` : `${Math.round(n / 3_600_000)} h`;
}

const dateFmt = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
const dateTimeFmt = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

function formatWith(fmt: Intl.DateTimeFormat, iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : fmt.format(d);
}

export function formatDate(iso: string | null | undefined): string {
  return formatWith(dateFmt, iso);
}

export function formatDateTime(iso: string | null | undefined): string {
  return formatWith(dateTimeFmt, iso);
}

/** The non-secret part worth showing in one line: fingerprint for key pairs, else the public value. */
export function publicSummary(row: { fingerprint: string | null; public: string | null }): string {
  return row.fingerprint ?? row.public ?? '';
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}

const AGE_SOURCE_TEXT: Record<AgeSource, string> = {
  platform: "the platform's date",
  keyhold: 'made in Keyhold',
  manual: 'date given by hand',
  added: 'added to the vault',
};
/** Where a key's age counts from, in words. */
export function ageSourceLabel(source: AgeSource): string {
  return AGE_SOURCE_TEXT[source];
}
