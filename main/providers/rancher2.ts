// Rancher 2.x API v3 tokens (docs/PLATFORMS.md "Rancher 2.x, API v3 tokens"): a bearer
// `token-xxxxx:<secret>`, clusters as environments, API keys created with a description, a TTL
// in milliseconds (cut to the server's max silently) and an optional cluster scope; the bearer is
// in the create answer only. No update (PUT is 404 "no store found"), so no enable/disable or
// edit; delete is the only way to revoke. A cluster-scoped token works only on its cluster's
// /k8s/clusters/<id>/ proxy (401 on /v3).
import { z } from 'zod';
import { KeyholdError } from '../errors';
import { HttpClient, hasStatus, type PlatformError } from './http';
import { CAPABILITIES, type ProviderOptions, type RemoteEnvironment, type RemoteKey, type RemotePlatform } from './types';

export const Rancher2Token = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  description: z.string().nullish(),
  ttl: z.number().int().nonnegative().nullish(),
  clusterId: z.string().nullish(),
  expiresAt: z.string().nullish(),
  expired: z.boolean().nullish(),
  enabled: z.boolean().nullish(),
  isDerived: z.boolean().nullish(),
  current: z.boolean().nullish(),
  userId: z.string().nullish(),
  lastUsedAt: z.string().nullish(),
  created: z.string().nullish(),
  labels: z.record(z.string(), z.string()).nullish(),
  /** the bearer value: in the create answer only */
  token: z.string().nullish(),
});
export type Rancher2Token = z.output<typeof Rancher2Token>;
const Cluster = z.object({ id: z.string().min(1), name: z.string().nullish(), description: z.string().nullish() });
const collection = <T extends z.ZodType>(item: T) =>
  z.object({ type: z.literal('collection'), data: z.array(item), pagination: z.object({ next: z.string().nullish() }).nullish() });
// built once: zod compiles each schema on first use
const TokenCollection = collection(Rancher2Token);
const ClusterCollection = collection(Cluster);
/** Kubernetes' GET /version, the cheapest call a cluster-scoped token can make */
const KubeVersion = z.object({ gitVersion: z.string() });

const KIND_LABEL = 'authn.management.cattle.io/kind';
const DAY_MS = 86_400_000;
/** how long one listing serves the per-cluster scopes of a sync */
const LISTING_MS = 5_000;

/** The bearer's access-key half (the token's name). */
export function tokenName(bearer: string): string {
  const m = /^([^:\s]+):\S+$/.exec(bearer);
  if (!m) throw new KeyholdError('INVALID_INPUT', 'A Rancher 2 API token looks like token-xxxxx:<secret>.');
  return m[1]!;
}

/** Days to the milliseconds Rancher takes (0: the server's default, its max). */
export function ttlMs(days: number): number {
  if (!Number.isInteger(days) || days < 0 || days > 36_500)
    throw new KeyholdError('INVALID_INPUT', 'The TTL is a whole number of days from 0 (the server default) to 36500.');
  return days * DAY_MS;
}

/** The auth filter's 401 {status:"401", message} and norman's {status, code, message}. */
export function rancher2Error(_status: number, body: unknown): PlatformError | null {
  const parsed = z.object({ type: z.literal('error'), code: z.string().nullish(), message: z.string().nullish() }).safeParse(body);
  if (!parsed.success) return null;
  const { code, message } = parsed.data;
  if (!message && !code) return null;
  return { message: message && code && message !== code ? `${message} (${code})` : (message ?? code ?? '') };
}

/** An API key: derived (not a login session) and not a kubeconfig token (label, or its name). */
export function isApiKey(t: Rancher2Token): boolean {
  const kind = t.labels?.[KIND_LABEL];
  return t.isDerived === true && !kind && !t.name.startsWith('kubeconfig-');
}

export function tokenState(t: Rancher2Token): RemoteKey['state'] {
  if (t.expired) return 'expired';
  return t.enabled === false ? 'inactive' : 'active';
}

const TOKEN_META = ['ttl', 'expiresAt', 'lastUsedAt', 'createdRemote'] as const;

/** What a token tells about its life, as key meta: ttl (ms), and expiresAt, lastUsedAt, the
 * platform's creation time (RFC 3339) where it reports them. */
export function tokenMeta(t: Rancher2Token): Record<string, string> {
  const meta: Record<string, string> = { ttl: String(t.ttl ?? 0) };
  if (t.expiresAt) meta.expiresAt = t.expiresAt;
  if (t.lastUsedAt) meta.lastUsedAt = t.lastUsedAt;
  if (t.created) meta.createdRemote = t.created;
  return meta;
}

/** A key's meta with the token's life replaced (a new token has no last use of the old one). */
export function withTokenMeta(meta: Record<string, string>, t: Rancher2Token): Record<string, string> {
  const out = { ...meta };
  for (const k of TOKEN_META) delete out[k];
  return { ...out, ...tokenMeta(t) };
}

export function toRemote(t: Rancher2Token): RemoteKey {
  const expiresAt = t.expiresAt || null;
  const lastUsedAt = t.lastUsedAt || null;
  const meta = tokenMeta(t);
  return {
    remoteId: t.name,
    kind: 'token',
    name: t.description || t.name,
    description: t.description ?? '',
    state: tokenState(t),
    environmentRemoteId: t.clusterId || null,
    publicPart: t.name,
    flags: {},
    secret: null,
    meta,
    createdAt: t.created || null,
    expiresAt,
    lastUsedAt,
  };
}

export class Rancher2Provider implements RemotePlatform {
  readonly provider = 'rancher2' as const;
  readonly capabilities = CAPABILITIES.rancher2;
  private readonly http: HttpClient;
  private listing: { at: number; tokens: Promise<Rancher2Token[]> } | null = null;

  constructor(
    readonly baseUrl: string,
    private readonly bearer: string,
    private readonly options: ProviderOptions = {},
  ) {
    tokenName(bearer);
    this.http = this.client(bearer);
  }

  private client(bearer: string): HttpClient {
    return new HttpClient({
      platform: 'Rancher 2',
      errorMessage: rancher2Error,
      ...this.options,
      baseUrl: this.baseUrl,
      headers: () => ({ Authorization: `Bearer ${bearer}` }),
    });
  }

  private async all<T extends z.ZodType>(
    path: string,
    schema: z.ZodType<{ data: z.output<T>[]; pagination?: { next?: string | null } | null }>,
  ): Promise<z.output<T>[]> {
    const out: z.output<T>[] = [];
    let next: string | null | undefined = path;
    for (let pages = 0; next && pages < 1000; pages++) {
      const res: { data: { data: z.output<T>[]; pagination?: { next?: string | null } | null } } = await this.http.request({
        method: 'GET',
        path: next,
        query: next === path ? { limit: 1000 } : undefined,
        schema,
      });
      out.push(...res.data.data);
      next = res.data.pagination?.next;
    }
    return out;
  }

  /** Reads the connecting token itself (an API key may read itself): who it belongs to. */
  async check(): Promise<{ identity: string }> {
    const own = await this.getToken(tokenName(this.bearer));
    return { identity: own.userId ? `${own.name} (${own.userId})` : own.name };
  }

  async listEnvironments(): Promise<RemoteEnvironment[]> {
    const clusters = await this.all<typeof Cluster>('/v3/clusters', ClusterCollection);
    return clusters.map((c) => ({ remoteId: c.id, name: c.name || c.id, description: c.description ?? '' }));
  }

  /** Every token of the caller: sessions, kubeconfig tokens and API keys, expired ones too. */
  listTokens(): Promise<Rancher2Token[]> {
    return this.all<typeof Rancher2Token>('/v3/tokens', TokenCollection);
  }

  /** The API keys scoped to one cluster, or (null) unscoped; one listing serves a sync's scopes. */
  async listKeys(clusterId?: string | null): Promise<RemoteKey[]> {
    if (!this.listing || Date.now() - this.listing.at > LISTING_MS) {
      const tokens = this.listTokens();
      this.listing = { at: Date.now(), tokens };
      tokens.catch(() => (this.listing = null));
    }
    const tokens = await this.listing.tokens;
    return tokens.filter((t) => isApiKey(t) && (t.clusterId || null) === (clusterId ?? null)).map(toRemote);
  }

  async getToken(name: string): Promise<Rancher2Token> {
    return (await this.http.request({ method: 'GET', path: `/v3/tokens/${encodeURIComponent(name)}`, schema: Rancher2Token })).data;
  }

  /** Null when the platform no longer has it (404). */
  async findToken(name: string): Promise<Rancher2Token | null> {
    const res = await this.http.request({
      method: 'GET',
      path: `/v3/tokens/${encodeURIComponent(name)}`,
      schema: z.unknown(),
      accept: [404],
    });
    if (res.status === 404) return null;
    const parsed = Rancher2Token.safeParse(res.data);
    if (!parsed.success) throw new KeyholdError('REMOTE', 'Rancher 2: unexpected answer for a token.');
    return parsed.data;
  }

  /** Creates an API key; its bearer is in this answer only. Never resent (a POST). */
  async createToken(input: {
    description: string;
    ttlMs: number;
    clusterId: string | null;
  }): Promise<{ token: Rancher2Token; bearer: string }> {
    this.listing = null;
    const body: Record<string, unknown> = { type: 'token', description: input.description, ttl: input.ttlMs };
    if (input.clusterId) body.clusterId = input.clusterId;
    const res = await this.http.request({ method: 'POST', path: '/v3/tokens', body, schema: Rancher2Token });
    const bearer = res.data.token;
    if (!bearer || !bearer.startsWith(`${res.data.name}:`))
      throw new KeyholdError('REMOTE', 'Rancher 2: the new token came without its value.');
    return { token: res.data, bearer };
  }

  /** Deletes a token; gone already is done. The platform's refusals (400 for the current
   * session) surface with its message. */
  async deleteToken(name: string): Promise<void> {
    this.listing = null;
    try {
      await this.http.request({ method: 'DELETE', path: `/v3/tokens/${encodeURIComponent(name)}`, schema: z.unknown() });
    } catch (e) {
      if (!hasStatus(e, 404)) throw e;
    }
  }

  /** A real call with a bearer: an unscoped token reads itself on /v3; a cluster-scoped one
   * (refused on /v3) asks its cluster's Kubernetes API for /version through Rancher's proxy. */
  async checkBearer(bearer: string, clusterId: string | null): Promise<void> {
    const http = this.client(bearer);
    if (clusterId)
      await http.request({ method: 'GET', path: `/k8s/clusters/${encodeURIComponent(clusterId)}/version`, schema: KubeVersion });
    else await http.request({ method: 'GET', path: `/v3/tokens/${encodeURIComponent(tokenName(bearer))}`, schema: Rancher2Token });
  }
}
