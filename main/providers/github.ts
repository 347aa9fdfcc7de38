// GitHub REST /user/keys (PLATFORMS.md): register, list (Link-header paging), get and delete
// public SSH keys with a token (Authorization: Bearer). A key already in use anywhere is 422
// "Validation Failed" / "key is already in use": CONFLICT with GitHub's message, never success.
// A classic token without the scope an operation needs gets 404 (GitHub hides what a token may
// not do), so a 404 on DELETE is believed only once a lookup shows the key gone.
import { z } from 'zod';
import { KeyholdError } from '../errors';
import { HttpClient, hasStatus, type PlatformError } from './http';
import { CAPABILITIES, type CredentialAccess, type ProviderOptions, type RemoteEnvironment, type RemoteKey, type RemotePlatform } from './types';

export const GITHUB_URL = 'https://api.github.com';

export const GithubKey = z.object({
  id: z.number(),
  key: z.string(),
  title: z.string().nullish(),
  created_at: z.string().optional(),
  verified: z.boolean().optional(),
  read_only: z.boolean().optional(),
  last_used: z.string().nullish(),
});
export type GithubKey = z.output<typeof GithubKey>;

const ErrorBody = z.object({
  message: z.string(),
  errors: z.array(z.object({ code: z.string().optional(), field: z.string().optional(), message: z.string().optional() })).optional(),
});

export function githubError(status: number, body: unknown): PlatformError | null {
  const parsed = ErrorBody.safeParse(body);
  if (!parsed.success) return null;
  const details = (parsed.data.errors ?? []).map((e) => e.message ?? (e.code && e.field ? `${e.field} ${e.code.replace(/_/g, ' ')}` : '')).filter(Boolean);
  const message = details.length ? `${parsed.data.message}: ${details.join('; ')}` : parsed.data.message;
  return { message, conflict: status === 422 && details.some((d) => /already in use/i.test(d)) };
}

function nextLink(link: string | null): string | null {
  if (!link) return null;
  for (const part of link.split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="next"/.exec(part);
    if (m) return m[1]!;
  }
  return null;
}

const LEVELS: Record<string, number> = { 'read:public_key': 1, 'write:public_key': 2, 'admin:public_key': 3 };
export const GITHUB_KEYS_PAGE = 'https://github.com/settings/keys';

/**
 * What a token may do with /user/keys, from its X-OAuth-Scopes (a broader scope covers the
 * narrower: admin > write > read). No header: a fine-grained token, whose rights GitHub does not
 * show, so they are unknown until tried.
 */
export function githubAccess(header: string | null): CredentialAccess {
  if (header === null) return { grants: null, summary: 'a fine-grained token: GitHub does not say what it may do, so a refusal shows only when tried', refuses: [] };
  const scopes = header.split(',').map((s) => s.trim()).filter(Boolean);
  const level = Math.max(0, ...scopes.map((s) => LEVELS[s] ?? 0));
  const refuses: CredentialAccess['refuses'] = [];
  if (level < 3) {
    const reason = 'the token lacks the admin:public_key scope (GitHub answers 404 and keeps the key)';
    refuses.push({ operation: 'revoke', reason }, { operation: 'rotate', reason: `${reason}: the new key is registered, the old one must be removed by hand` });
  }
  if (level < 2) refuses.push({ operation: 'create', reason: 'the token lacks the write:public_key scope' });
  if (level < 1) refuses.push({ operation: 'list', reason: 'the token lacks the read:public_key scope' });
  const summary = ['cannot read keys (needs read:public_key)', 'can list keys, cannot add or delete them', 'can add keys, cannot delete them (needs admin:public_key)', 'can list, add and delete keys'][level]!;
  return { grants: scopes, summary, refuses };
}

/** "ssh-ed25519 AAAA..." without the comment, as GitHub stores it. */
export function keyBody(line: string): string {
  return line.trim().split(/\s+/).slice(0, 2).join(' ');
}

export class GithubProvider implements RemotePlatform {
  readonly provider = 'github' as const;
  readonly capabilities = CAPABILITIES.github;
  private readonly http: HttpClient;

  constructor(token: string, options: ProviderOptions = {}) {
    this.http = new HttpClient({
      platform: 'GitHub',
      baseUrl: options.baseUrl ?? GITHUB_URL,
      errorMessage: githubError,
      ...options,
      headers: () => ({ Authorization: `Bearer ${token}`, 'X-GitHub-Api-Version': '2022-11-28' }),
    });
  }

  async check(): Promise<{ identity: string; access: CredentialAccess }> {
    const res = await this.http.request({ method: 'GET', path: '/user/keys', query: { per_page: 1 }, schema: z.array(GithubKey) });
    const scopes = res.headers.get('x-oauth-scopes');
    const access = githubAccess(scopes);
    return { identity: scopes !== null ? `token (scopes: ${scopes || 'none'}; ${access.summary})` : `token (${access.summary})`, access };
  }

  async listEnvironments(): Promise<RemoteEnvironment[]> {
    return [];
  }

  async listRaw(): Promise<GithubKey[]> {
    const out: GithubKey[] = [];
    let next: string | null = '/user/keys?per_page=100';
    for (let pages = 0; next && pages < 1000; pages++) {
      const res: { data: GithubKey[]; headers: Headers } = await this.http.request({ method: 'GET', path: next, schema: z.array(GithubKey) });
      out.push(...res.data);
      next = nextLink(res.headers.get('link'));
    }
    return out;
  }

  async listKeys(): Promise<RemoteKey[]> {
    return (await this.listRaw()).map((k) => ({
      remoteId: String(k.id),
      kind: 'ssh_key_pair',
      name: k.title || `GitHub key ${k.id}`,
      description: '',
      state: 'active',
      environmentRemoteId: null,
      publicPart: k.key,
      flags: {},
      secret: null,
      meta: { readOnly: String(k.read_only ?? false) },
      createdAt: k.created_at ?? null,
      lastUsedAt: k.last_used ?? null,
    }));
  }

  /** POST /user/keys. Not resent on a lost answer: look it up with findByKey instead. */
  async registerKey(title: string, publicKeyLine: string): Promise<GithubKey> {
    return (await this.http.request({ method: 'POST', path: '/user/keys', body: { title, key: keyBody(publicKeyLine) }, schema: GithubKey })).data;
  }

  async getKey(id: string): Promise<GithubKey> {
    return (await this.http.request({ method: 'GET', path: `/user/keys/${encodeURIComponent(id)}`, schema: GithubKey })).data;
  }

  async findByKey(publicKeyLine: string): Promise<GithubKey | null> {
    const body = keyBody(publicKeyLine);
    return (await this.listRaw()).find((k) => keyBody(k.key) === body) ?? null;
  }

  /**
   * Deletes a key. A 404 means "gone" only for a token that may delete, so it is checked: the key
   * looked up by id, then in the list. Still there: REMOTE naming the missing scope.
   */
  async deleteKey(id: string): Promise<void> {
    const res = await this.http.request({ method: 'DELETE', path: `/user/keys/${encodeURIComponent(id)}`, schema: z.unknown(), accept: [404] });
    if (res.status !== 404) return;
    const scopes = res.headers.get('x-oauth-scopes');
    if (await this.stillListed(id)) {
      const missing = scopes !== null ? 'the admin:public_key scope' : 'the right to delete keys (a classic token needs admin:public_key)';
      throw new KeyholdError(
        'REMOTE',
        `GitHub did not delete key ${id}: it answered 404 Not Found, yet the key is still registered and still works; the token lacks ${missing}. ` +
          `Remove it by hand at ${GITHUB_KEYS_PAGE}, or connect a token with admin:public_key and revoke it again.`,
        { remote: { status: 404, reason: 'scope' } },
      );
    }
  }

  /** After a 404: is the key still there? (null: the token cannot even read keys, so nobody can tell) */
  private async stillListed(id: string): Promise<boolean> {
    try {
      await this.getKey(id);
      return true;
    } catch (e) {
      if (!hasStatus(e, 404)) throw e;
    }
    try {
      return (await this.listRaw()).some((k) => String(k.id) === id);
    } catch (e) {
      if (!hasStatus(e, 404)) throw e;
      throw new KeyholdError('REMOTE', `GitHub answered 404 to deleting key ${id}, and the token cannot read keys, so Keyhold cannot tell whether it is gone. Check ${GITHUB_KEYS_PAGE}.`, { remote: { status: 404, reason: 'scope' } });
    }
  }
}
