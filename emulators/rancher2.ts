// Rancher 2.x emulator for the /v3 token API (PLATFORMS.md "Rancher 2.x, API v3 tokens"):
// bearer (or Basic) `token-xxxxx:<secret>` auth, the string-status 401, tokens shown once,
// TTL in milliseconds clamped to the max silently, expiresAt "" in the create answer and filled
// on reads, expired computed from a controllable clock, no update (PUT 404 "no store found"),
// the current login session not deletable (400 ServerError), cluster-scoped tokens refused on
// /v3 and accepted on their cluster's /k8s/clusters/<id>/ proxy. Independent of main/.
import { createHash, timingSafeEqual } from 'node:crypto';
import { jsonBody, randomFrom, startEmulator, type EmuRequest, type EmuResponse, type EmulatorServer, type StartOptions } from './server';

/** Kubernetes' random-suffix alphabet (no vowels, no look-alikes). */
const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const SECRET_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789abcdefghijklmnopqrstuvwxyz';

export interface Rancher2Token {
  name: string;
  userId: string;
  secretHash: string;
  description: string;
  /** ms; 0: never expires */
  ttl: number;
  clusterId: string;
  createdMs: number;
  enabled: boolean;
  /** label authn.management.cattle.io/kind: null for API keys */
  kind: 'session' | 'kubeconfig' | null;
  lastUsedMs: number | null;
  uuid: string;
}

export interface Rancher2Cluster {
  id: string;
  name: string;
  description: string;
}

export interface Rancher2User {
  id: string;
  username: string;
  enabled: boolean;
}

const hash = (secret: string) => createHash('sha256').update(secret).digest('hex');
const rfc3339 = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
const DAY = 86_400_000;

export class Rancher2State {
  tokens = new Map<string, Rancher2Token>();
  clusters = new Map<string, Rancher2Cluster>();
  users = new Map<string, Rancher2User>();
  /** auth-token-max-ttl-minutes (0: no limit); 90 days as since v2.8 */
  maxTtlMinutes = 129_600;
  /** the emulator's clock offset (tests move time forward to expire tokens) */
  private offsetMs = 0;

  now(): number {
    return Date.now() + this.offsetMs;
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }

  addUser(username: string): Rancher2User {
    const u = { id: `user-${randomFrom(NAME_ALPHABET, 5)}`, username, enabled: true };
    this.users.set(u.id, u);
    return u;
  }

  addCluster(id: string, name: string, description = ''): Rancher2Cluster {
    const c = { id, name, description };
    this.clusters.set(id, c);
    return c;
  }

  /** ttl 0 asks for the max; a larger one is cut to the max silently (ClampToMaxTTL). */
  clampTtl(ttl: number): number {
    const max = this.maxTtlMinutes * 60_000;
    if (max === 0) return ttl;
    return ttl === 0 || ttl > max ? max : ttl;
  }

  /** Creates a token and returns its bearer value (the only time the secret exists in the clear). */
  createToken(
    userId: string,
    input: { description?: string; ttl?: number; clusterId?: string; kind?: Rancher2Token['kind']; createdMs?: number; clamp?: boolean },
  ): { token: Rancher2Token; bearer: string } {
    let name: string;
    do
      name = input.kind === 'kubeconfig' ? `kubeconfig-${userId}-${randomFrom(NAME_ALPHABET, 5)}` : `token-${randomFrom(NAME_ALPHABET, 5)}`;
    while (this.tokens.has(name));
    const secret = randomFrom(SECRET_ALPHABET, 54);
    const token: Rancher2Token = {
      name,
      userId,
      secretHash: hash(secret),
      description: input.description ?? '',
      ttl: input.clamp === false ? (input.ttl ?? 0) : this.clampTtl(input.ttl ?? 0),
      clusterId: input.clusterId ?? '',
      createdMs: input.createdMs ?? this.now(),
      enabled: true,
      kind: input.kind ?? null,
      lastUsedMs: null,
      uuid: globalThis.crypto.randomUUID(),
    };
    this.tokens.set(name, token);
    return { token, bearer: `${name}:${secret}` };
  }

  expired(t: Rancher2Token): boolean {
    return t.ttl > 0 && this.now() >= t.createdMs + t.ttl;
  }

  /** The token a bearer value names, if its secret matches (whatever its state). */
  match(bearer: string): Rancher2Token | null {
    const at = bearer.indexOf(':');
    if (at < 0) return null;
    const t = this.tokens.get(bearer.slice(0, at));
    if (!t) return null;
    const a = Buffer.from(t.secretHash, 'hex');
    const b = Buffer.from(hash(bearer.slice(at + 1)), 'hex');
    return timingSafeEqual(a, b) ? t : null;
  }
}

/** norman httperror: status is a number here (only the auth filter's 401 has a string). */
function normanError(status: number, code: string, message: string): EmuResponse {
  return { status, body: { type: 'error', status, code, message } };
}
const UNAUTHORIZED: EmuResponse = { status: 401, body: { type: 'error', status: '401', message: 'Unauthorized 401: must authenticate' } };
const NOT_FOUND = (what: string) => normanError(404, 'NotFound', what);

function view(state: Rancher2State, base: string, t: Rancher2Token, caller: Rancher2Token, created = false): Record<string, unknown> {
  const out: Record<string, unknown> = {
    type: 'token',
    baseType: 'token',
    id: t.name,
    name: t.name,
    description: t.description,
    ttl: t.ttl,
    // filled by a controller after create: "" in the create answer
    expiresAt: created || t.ttl === 0 ? '' : rfc3339(t.createdMs + t.ttl),
    expired: state.expired(t),
    enabled: t.enabled,
    isDerived: t.kind !== 'session',
    current: t.kind === 'session' && t.name === caller.name,
    userId: t.userId,
    userPrincipal: `local://${t.userId}`,
    groupPrincipals: [],
    authProvider: 'local',
    providerInfo: {},
    created: rfc3339(t.createdMs),
    uuid: t.uuid,
    labels: t.kind
      ? { 'authn.management.cattle.io/kind': t.kind, 'authn.management.cattle.io/token-userId': t.userId }
      : { 'authn.management.cattle.io/token-userId': t.userId },
    annotations: {},
    links: { self: `${base}/v3/tokens/${t.name}`, remove: `${base}/v3/tokens/${t.name}` },
  };
  if (t.clusterId) out.clusterId = t.clusterId;
  if (t.lastUsedMs !== null) out.lastUsedAt = rfc3339(t.lastUsedMs);
  return out;
}

function bearerOf(req: EmuRequest): string | null {
  const auth = req.headers.authorization;
  if (typeof auth === 'string') {
    const bearer = /^Bearer\s+(\S+)$/i.exec(auth)?.[1];
    if (bearer) return bearer;
    const basic = /^Basic\s+(\S+)$/i.exec(auth)?.[1];
    // decoded with the URL-safe alphabet (Buffer accepts both)
    if (basic) return Buffer.from(basic.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
  }
  const cookie = req.headers.cookie;
  if (typeof cookie === 'string') {
    const sess = /(?:^|;\s*)R_SESS=([^;]+)/.exec(cookie)?.[1];
    if (sess) return decodeURIComponent(sess);
  }
  return null;
}

export function rancher2Handler(state: Rancher2State) {
  return (req: EmuRequest): EmuResponse => {
    const bearer = bearerOf(req);
    const caller = bearer ? state.match(bearer) : null;
    const user = caller ? state.users.get(caller.userId) : undefined;
    if (!caller || !user || !user.enabled || !caller.enabled || state.expired(caller)) return UNAUTHORIZED;
    const parts = req.path.split('/').filter(Boolean);
    if (parts[0] === 'k8s' && parts[1] === 'clusters' && parts[2]) {
      // the cluster proxy: a scoped token works only for its own cluster
      if (caller.clusterId && caller.clusterId !== parts[2]) return UNAUTHORIZED;
      if (!state.clusters.has(parts[2])) return NOT_FOUND('cluster not found');
      caller.lastUsedMs = state.now();
      if (req.method === 'GET' && parts.length === 4 && parts[3] === 'version')
        return { status: 200, body: { major: '1', minor: '30', gitVersion: 'v1.30.4+k3s1', platform: 'linux/amd64' } };
      return {
        status: 404,
        body: {
          kind: 'Status',
          apiVersion: 'v1',
          status: 'Failure',
          message: 'the server could not find the requested resource',
          reason: 'NotFound',
          code: 404,
        },
      };
    }
    // "clusterID does not match": a scoped token gets the same 401 everywhere else
    if (caller.clusterId) return UNAUTHORIZED;
    caller.lastUsedMs = state.now();
    if (parts[0] !== 'v3') return NOT_FOUND('not found');
    if (parts[1] === 'clusters' && parts.length === 2 && req.method === 'GET') {
      const data = [...state.clusters.values()].map((c) => ({
        type: 'cluster',
        baseType: 'cluster',
        id: c.id,
        name: c.name,
        description: c.description,
        state: 'active',
        links: { self: `${req.base}/v3/clusters/${c.id}` },
      }));
      return { status: 200, body: { type: 'collection', resourceType: 'cluster', links: { self: `${req.base}/v3/clusters` }, data } };
    }
    if (parts[1] !== 'tokens' || parts.length > 3) return NOT_FOUND('not found');
    const own = (name: string) => {
      const t = state.tokens.get(name);
      return t && t.userId === caller.userId ? t : null;
    };
    if (parts.length === 2) {
      if (req.method === 'GET') {
        const data = [...state.tokens.values()]
          .filter((t) => t.userId === caller.userId)
          .sort((a, b) => a.createdMs - b.createdMs)
          .map((t) => view(state, req.base, t, caller));
        return { status: 200, body: { type: 'collection', resourceType: 'token', links: { self: `${req.base}/v3/tokens` }, data } };
      }
      if (req.method === 'POST' && req.query.get('action') === 'logout') {
        state.tokens.delete(caller.name);
        return { status: 200, headers: { 'Set-Cookie': 'R_SESS=; Path=/; Max-Age=0' }, body: {} };
      }
      if (req.method === 'POST') {
        let body: unknown;
        try {
          body = jsonBody(req);
        } catch {
          return normanError(422, 'InvalidBodyContent', 'Failed to parse body: invalid JSON');
        }
        const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
        if (b.ttl !== undefined && (typeof b.ttl !== 'number' || !Number.isInteger(b.ttl) || b.ttl < 0))
          return normanError(422, 'InvalidBodyContent', 'ttl must be a whole number of milliseconds');
        if (b.description !== undefined && typeof b.description !== 'string')
          return normanError(422, 'InvalidBodyContent', 'description must be a string');
        if (b.clusterId !== undefined && b.clusterId !== null && typeof b.clusterId !== 'string')
          return normanError(422, 'InvalidBodyContent', 'clusterId must be a string');
        // only description, ttl and clusterId are read; the rest is ignored silently
        const { token, bearer: value } = state.createToken(caller.userId, {
          description: typeof b.description === 'string' ? b.description : '',
          ttl: typeof b.ttl === 'number' ? b.ttl : 0,
          clusterId: typeof b.clusterId === 'string' ? b.clusterId : '',
        });
        return { status: 201, body: { ...view(state, req.base, token, caller, true), token: value } };
      }
      return normanError(405, 'MethodNotAllow', 'Method not allowed');
    }
    const target = own(parts[2]!);
    if (req.method === 'PUT') return NOT_FOUND('no store found');
    if (!target) return NOT_FOUND(`tokens.management.cattle.io "${parts[2]}" not found`);
    if (req.method === 'GET') return { status: 200, body: view(state, req.base, target, caller) };
    if (req.method === 'DELETE') {
      if (target.kind === 'session' && target.name === caller.name)
        return normanError(400, 'ServerError', 'Cannot delete token for current session. Use logout instead');
      state.tokens.delete(target.name);
      return { status: 204 };
    }
    return normanError(405, 'MethodNotAllow', 'Method not allowed');
  };
}

export interface Rancher2Demo {
  /** the admin's unscoped API key, for `workspace connect` */
  token: string;
  userId: string;
  clusterId: string;
  /** a login session's bearer (its token is current for calls made with it) */
  session: string;
}

/** Seeds the demo: an admin API token, a few tokens (one expired, one scoped, a kubeconfig and
 * a login session) and two clusters. */
export function seedRancher2(state: Rancher2State): Rancher2Demo {
  const admin = state.addUser('admin');
  state.addCluster('local', 'local', 'The cluster Rancher runs in');
  state.addCluster('c-m-7x2kq', 'production', 'Production workloads');
  const now = state.now();
  const token = state.createToken(admin.id, { description: 'keyhold demo', ttl: 0 }).bearer;
  state.createToken(admin.id, { description: 'ci deploy', ttl: 30 * DAY, createdMs: now - 2 * DAY });
  state.createToken(admin.id, { description: 'old pipeline', ttl: 30 * DAY, createdMs: now - 31 * DAY });
  state.createToken(admin.id, { description: 'production only', ttl: 60 * DAY, clusterId: 'c-m-7x2kq', createdMs: now - DAY });
  state.createToken(admin.id, { description: 'Kubeconfig token', ttl: 30 * DAY, kind: 'kubeconfig' });
  const session = state.createToken(admin.id, { description: '', ttl: 960 * 60_000, kind: 'session' }).bearer;
  return { token, userId: admin.id, clusterId: 'c-m-7x2kq', session };
}

export interface Rancher2Emulator extends EmulatorServer {
  state: Rancher2State;
  demo: Rancher2Demo;
}

export async function startRancher2(options: StartOptions & { maxTtlMinutes?: number } = {}): Promise<Rancher2Emulator> {
  const state = new Rancher2State();
  if (options.maxTtlMinutes !== undefined) state.maxTtlMinutes = options.maxTtlMinutes;
  const demo = seedRancher2(state);
  const server = await startEmulator('rancher2', rancher2Handler(state), {
    faultBody: (status, message) => ({ type: 'error', status, code: status === 429 ? 'TooManyRequests' : 'ServerError', message }),
    ...options,
  });
  return Object.assign(server, { state, demo });
}
