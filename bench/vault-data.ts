// Deterministic, realistic key metadata for the vault bench: names, descriptions, public parts
// and fingerprints of the sizes admins keep (not random noise, not empty).
import { KDF_FLOOR } from '../main/vault/crypto';
import type { KdfParams, NewKey } from '../main/vault/types';

export const BENCH_PASSWORD = 'bench master password';
export const FLOOR_KDF: KdfParams = { algorithm: 'argon2id', ...KDF_FLOOR, parallelism: 4 };

const SERVICES = [
  'billing',
  'search',
  'ingest',
  'auth',
  'reports',
  'mailer',
  'cdn',
  'backup',
  'metrics',
  'payments',
  'gateway',
  'scheduler',
  'storage',
  'webhooks',
  'analytics',
];
const ROLES = ['deploy', 'read-only', 'admin', 'ci', 'sync', 'monitoring', 'migration', 'support'];
const TEAMS = ['platform team', 'data team', 'web team', 'mobile team', 'security team', 'ops on-call'];
const KINDS = ['api_key', 'account_key', 'user_key', 'access_key_pair', 'ssh_key_pair'] as const;

/** A small fast PRNG so every run inserts the same vault. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
function str(r: () => number, n: number, alphabet = B64): string {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(r() * alphabet.length)];
  return s;
}

export function benchKeys(count: number, workspaceIds: string[], seed = 42): NewKey[] {
  const r = rng(seed);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
  const out: NewKey[] = [];
  for (let i = 0; i < count; i++) {
    const kind = pick(KINDS);
    const service = pick(SERVICES);
    const role = pick(ROLES);
    const pub =
      kind === 'access_key_pair'
        ? str(r, 20, 'ABCDEF0123456789')
        : kind === 'ssh_key_pair'
          ? `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${str(r, 43)} ${role}@${service}`
          : null;
    out.push({
      workspaceId: pick(workspaceIds),
      kind,
      name: `${service}-${role}-${i.toString(36)}`,
      description: `${role} key for ${service}, owned by the ${pick(TEAMS)}`,
      publicPart: pub,
      fingerprint: kind === 'ssh_key_pair' ? `SHA256:${str(r, 43)}` : null,
      secret:
        kind === 'ssh_key_pair' ? `-----BEGIN OPENSSH PRIVATE KEY-----\n${str(r, 300)}\n-----END OPENSSH PRIVATE KEY-----\n` : str(r, 40),
    });
  }
  return out;
}

/** Search-as-you-type queries: prefixes (2 to 8 characters) of words that occur in the data. */
export function benchQueries(count: number, seed = 7): string[] {
  const r = rng(seed);
  const words = [...SERVICES, ...ROLES, ...TEAMS.flatMap((t) => t.split(' ')), 'ssh-ed25519', 'key for', 'owned'];
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const w = words[Math.floor(r() * words.length)]!;
    const n = Math.min(w.length, 2 + Math.floor(r() * 7));
    out.push(r() < 0.15 ? `${w.slice(0, n)}-${Math.floor(r() * 36 ** 2).toString(36)}` : w.slice(0, n));
  }
  return out;
}
