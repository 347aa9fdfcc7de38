// GitHub REST (docs/PLATFORMS.md): the user's SSH keys (/user/keys), a repository's deploy keys
// (/repos/OWNER/REPO/keys) and the user's SSH signing keys (/user/ssh_signing_keys): register,
// list (Link-header paging), get and delete with a token (Authorization: Bearer). Keys are
// immutable (no PATCH or PUT). A key already in use is 422 "Validation Failed" / "key is already
// in use": CONFLICT with GitHub's message, never success. A classic token without the scope an
// operation needs gets 404 (GitHub hides what a token may not do), so a 404 on DELETE is believed
// only once a lookup shows the key gone.
import { z } from 'zod';
import type { KeyKind } from '../api/constants';
import { KeyholdError } from '../errors';
import { SIGNING_SCOPE, targetOf, type GithubTarget, type TargetInfo } from './github-targets';
import { HttpClient, hasStatus, type PlatformError } from './http';
import {
  CAPABILITIES,
  type CredentialAccess,
  type ProviderOptions,
  type RemoteEnvironment,
  type RemoteKey,
  type RemotePlatform,
} from './types';

export const GITHUB_URL = 'https://api.github.com';

export const GithubKey = z.object({
  id: z.number(),
  key: z.string(),
  title: z.string().nullish(),
  created_at: z.string().optional(),
  verified: z.boolean().optional(),
  read_only: z.boolean().optional(),
  /** deploy keys */
  last_used: z.string().nullish(),
  added_by: z.string().nullish(),
  enabled: z.boolean().optional(),
});
export type GithubKey = z.output<typeof GithubKey>;

const ErrorBody = z.object({
  message: z.string(),
  errors: z.array(z.object({ code: z.string().optional(), field: z.string().optional(), message: z.string().optional() })).optional(),
});

export function githubError(status: number, body: unknown): PlatformError | null {
  const parsed = ErrorBody.safeParse(body);
  if (!parsed.success) return null;
  const details = (parsed.data.errors ?? [])
    .map((e) => e.message ?? (e.code && e.field ? `${e.field} ${e.code.replace(/_/g, ' ')}` : ''))
    .filter(Boolean);
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
export { GITHUB_KEYS_PAGE, SIGNING_SCOPE, type GithubTarget } from './github-targets';

/**
 * What a token may do with /user/keys, from its X-OAuth-Scopes (a broader scope covers the
 * narrower: admin > write > read). No header: a fine-grained token, whose rights GitHub does not
 * show, so they are unknown until tried.
 */
export function githubAccess(header: string | null): CredentialAccess {
  if (header === null)
    return {
      grants: null,
      summary: 'a fine-grained token: GitHub does not say what it may do, so a refusal shows only when tried',
      refuses: [],
    };
  const scopes = header
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const level = Math.max(0, ...scopes.map((s) => LEVELS[s] ?? 0));
  const refuses: CredentialAccess['refuses'] = [];
  // these scopes are the user's SSH keys' only: deploy and signing keys have their own
  const kinds: KeyKind[] = ['ssh_key_pair'];
  if (level < 3) {
    const reason = 'the token lacks the admin:public_key scope (GitHub answers 404 and keeps the key)';
    refuses.push(
      { operation: 'revoke', reason, kinds },
      { operation: 'rotate', reason: `${reason}: the new key is registered, the old one must be removed by hand`, kinds },
    );
  }
  if (level < 2) refuses.push({ operation: 'create', reason: 'the token lacks the write:public_key scope', kinds });
  if (level < 1) refuses.push({ operation: 'list', reason: 'the token lacks the read:public_key scope', kinds });
  const summary = [
    'cannot read keys (needs read:public_key)',
    'can list keys, cannot add or delete them',
    'can add keys, cannot delete them (needs admin:public_key)',
    'can list, add and delete keys',
  ][level]!;
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

  /** repositories: the workspace's environments (OWNER/REPO), whose deploy keys a sync reads */
  constructor(
    token: string,
    options: ProviderOptions = {},
    private readonly repositories: readonly string[] = [],
  ) {
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

  /** GitHub has no list of "the repositories whose deploy keys you manage": the workspace's own. */
  async listEnvironments(): Promise<RemoteEnvironment[]> {
    return this.repositories.map((repo) => ({ remoteId: repo, name: repo, description: '' }));
  }

  async listRaw(target: GithubTarget = { type: 'user' }): Promise<GithubKey[]> {
    const out: GithubKey[] = [];
    let next: string | null = `${targetOf(target).path}?per_page=100`;
    for (let pages = 0; next && pages < 1000; pages++) {
      const res: { data: GithubKey[]; headers: Headers } = await this.http.request({
        method: 'GET',
        path: next,
        schema: z.array(GithubKey),
      });
      out.push(...res.data);
      next = nextLink(res.headers.get('link'));
    }
    return out;
  }

  /** null: the user's keys; SIGNING_SCOPE: the signing keys; else a repository's deploy keys. */
  async listKeys(scope: string | null = null): Promise<RemoteKey[]> {
    const target: GithubTarget =
      scope === null ? { type: 'user' } : scope === SIGNING_SCOPE ? { type: 'signing' } : { type: 'deploy', repo: scope };
    const kind = target.type === 'user' ? 'ssh_key_pair' : target.type === 'signing' ? 'signing_key' : 'deploy_key';
    return (await this.listRaw(target)).map((k) => ({
      remoteId: String(k.id),
      kind,
      name: k.title || `GitHub key ${k.id}`,
      description: '',
      state: k.enabled === false ? 'inactive' : 'active',
      environmentRemoteId: target.type === 'deploy' ? target.repo : null,
      publicPart: k.key,
      flags: {},
      secret: null,
      meta:
        target.type === 'signing' ? {} : { readOnly: String(k.read_only ?? false), ...(k.added_by ? { githubAddedBy: k.added_by } : {}) },
      createdAt: k.created_at ?? null,
      // signing keys carry no last_used: unknown, not "never"
      ...(target.type === 'signing' ? {} : { lastUsedAt: k.last_used ?? null }),
    }));
  }

  /** POST the key (read_only only for a deploy key). Not resent on a lost answer: look it up with findByKey instead. */
  async registerKey(title: string, publicKeyLine: string, target: GithubTarget = { type: 'user' }, readOnly = false): Promise<GithubKey> {
    const body = { title, key: keyBody(publicKeyLine), ...(target.type === 'deploy' ? { read_only: readOnly } : {}) };
    return (await this.http.request({ method: 'POST', path: targetOf(target).path, body, schema: GithubKey })).data;
  }

  async getKey(id: string, target: GithubTarget = { type: 'user' }): Promise<GithubKey> {
    return (await this.http.request({ method: 'GET', path: `${targetOf(target).path}/${encodeURIComponent(id)}`, schema: GithubKey })).data;
  }

  async findByKey(publicKeyLine: string, target: GithubTarget = { type: 'user' }): Promise<GithubKey | null> {
    const body = keyBody(publicKeyLine);
    return (await this.listRaw(target)).find((k) => keyBody(k.key) === body) ?? null;
  }

  /**
   * Deletes a key. A 404 means "gone" only for a token that may delete, so it is checked: the key
   * looked up by id, then in the list. Still there: REMOTE naming the missing scope or right.
   */
  async deleteKey(id: string, target: GithubTarget = { type: 'user' }): Promise<void> {
    const info = targetOf(target);
    const res = await this.http.request({
      method: 'DELETE',
      path: `${info.path}/${encodeURIComponent(id)}`,
      schema: z.unknown(),
      accept: [404],
    });
    if (res.status !== 404) return;
    const classic = res.headers.get('x-oauth-scopes') !== null;
    if (await this.stillListed(id, target, info)) {
      throw new KeyholdError(
        'REMOTE',
        `GitHub did not delete ${info.noun} ${id}: it answered 404 Not Found, yet the key is still registered and still works; the token lacks ${classic ? info.missingClassic : info.missingAny}. ` +
          `Remove it by hand at ${info.page}, or connect a token with ${info.needed} and revoke it again.`,
        { remote: { status: 404, reason: 'scope' } },
      );
    }
  }

  /** After a 404: is the key still there? (the token cannot even read them: nobody can tell, REMOTE) */
  private async stillListed(id: string, target: GithubTarget, info: TargetInfo): Promise<boolean> {
    try {
      await this.getKey(id, target);
      return true;
    } catch (e) {
      if (!hasStatus(e, 404)) throw e;
    }
    try {
      return (await this.listRaw(target)).some((k) => String(k.id) === id);
    } catch (e) {
      if (!hasStatus(e, 404)) throw e;
      throw new KeyholdError(
        'REMOTE',
        `GitHub answered 404 to deleting ${info.noun} ${id}, and the token cannot read them, so Keyhold cannot tell whether it is gone. Check ${info.page}.`,
        { remote: { status: 404, reason: 'scope' } },
      );
    }
  }
}
