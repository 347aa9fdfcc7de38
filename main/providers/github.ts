// GitHub REST /user/keys (PLATFORMS.md): register, list (Link-header paging), get and delete
// public SSH keys with a token (Authorization: Bearer). A key already in use anywhere is 422
// "Validation Failed" / "key is already in use": CONFLICT with GitHub's message, never success.
import { z } from 'zod';
import { HttpClient, type PlatformError } from './http';
import { CAPABILITIES, type ProviderOptions, type RemoteEnvironment, type RemoteKey, type RemotePlatform } from './types';

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

  async check(): Promise<{ identity: string }> {
    const res = await this.http.request({ method: 'GET', path: '/user/keys', query: { per_page: 1 }, schema: z.array(GithubKey) });
    return { identity: res.headers.get('x-oauth-scopes') !== null ? `token (scopes: ${res.headers.get('x-oauth-scopes')})` : 'token' };
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

  async deleteKey(id: string): Promise<void> {
    await this.http.request({ method: 'DELETE', path: `/user/keys/${encodeURIComponent(id)}`, schema: z.unknown() });
  }
}
