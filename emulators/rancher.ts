// Rancher 1.x API v2-beta emulator (PLATFORMS.md "Rancher"): HTTP Basic with access/secret keys
// (only active keys authenticate), WWW-Authenticate unless X-API-No-Challenge, X-API-Schemas on
// every answer, /v2-beta/schemas served from the captured schema file, account keys and
// environment keys with their states, actions and transitions, the secret shown once,
// collections with pagination and filters, and Rancher's error bodies. As on Cattle, state changes
// are asynchronous (registering -> activating -> active; deactivating -> inactive), DELETE of an
// active, activating or deactivating key is 405 and 409 while a process holds the key, and removed
// keys vanish from collections at once (GET by id still shows them, state "removed").
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  isResponse,
  jsonBody,
  randomFrom,
  startEmulator,
  type EmuRequest,
  type EmuResponse,
  type EmulatorServer,
  type StartOptions,
} from './server';

const SCHEMA_FILE = join(__dirname, 'data', 'rancher-v2beta-schemas.json');
const CAPTURED_HOST = 'http://rancher.example:8080';

export type ApiKeyState =
  'requested' | 'registering' | 'active' | 'deactivating' | 'inactive' | 'activating' | 'removing' | 'removed' | 'purging' | 'purged';

export const ACTIONS = ['activate', 'deactivate', 'remove', 'purge'] as const;
type Action = (typeof ACTIONS)[number];

/** Which action each state allows (process/defaults.properties), and the transitioning / final
 * states it leads through. */
const ALLOWED: Partial<Record<ApiKeyState, Action[]>> = {
  requested: ['deactivate', 'remove'],
  registering: ['activate', 'deactivate', 'remove'],
  active: ['deactivate'],
  activating: ['deactivate'],
  inactive: ['activate', 'remove'],
  removed: ['purge'],
};
/** DELETE is refused outright in these states (AbstractObjectResourceManager.deleteInternal) */
const NOT_DELETABLE: ReadonlySet<ApiKeyState> = new Set(['active', 'activating', 'deactivating']);
/** a running process holds the key's lock in these states */
const LOCKED: ReadonlySet<ApiKeyState> = new Set(['removing', 'purging']);
const TRANSITION: Record<Action, [ApiKeyState, ApiKeyState]> = {
  activate: ['activating', 'active'],
  deactivate: ['deactivating', 'inactive'],
  remove: ['removing', 'removed'],
  purge: ['purging', 'purged'],
};

interface ApiKey {
  id: string;
  accountId: string;
  name: string | null;
  description: string | null;
  publicValue: string;
  secretValue: string;
  state: ApiKeyState;
  created: string;
  createdTS: number;
  removed: string | null;
  uuid: string;
  /** the id of this key's next transition timer, to ignore stale ones */
  generation: number;
}

interface Project {
  id: string;
  name: string;
  description: string;
  members: string[];
  created: string;
  uuid: string;
}

interface Account {
  id: string;
  name: string;
}

export interface RancherSeed {
  account: { id: string; name: string };
  projects: { id: string; name: string; description?: string }[];
  /** the demo's account API key; random when absent */
  accountKey?: { publicValue: string; secretValue: string };
}

export const RANCHER_DEMO: RancherSeed = {
  account: { id: '1a1', name: 'admin' },
  projects: [
    { id: '1a5', name: 'Default', description: 'Default environment' },
    { id: '1a7', name: 'Staging', description: 'Staging environment' },
  ],
};

const uuid = () => globalThis.crypto.randomUUID();

function rancherError(status: number, code: string, message: string, fieldName?: string): EmuResponse {
  const body: Record<string, unknown> = {
    id: uuid(),
    type: 'error',
    links: {},
    actions: {},
    status,
    code,
    message,
    detail: null,
    baseType: 'error',
  };
  if (fieldName) body.fieldName = fieldName;
  return { status, body };
}

const UNAUTHORIZED = (challenge: boolean): EmuResponse => {
  const e = rancherError(401, 'Unauthorized', 'Unauthorized');
  if (challenge) e.headers = { 'WWW-Authenticate': 'Basic realm="Enter API access key and secret key as username and password"' };
  return e;
};
// plain HTTP errors take code and message from the status text (api/messages.properties)
const NOT_FOUND = () => rancherError(404, 'Not Found', 'Not Found');
const FORBIDDEN = () => rancherError(403, 'Forbidden', 'Forbidden');
const METHOD_NOT_ALLOWED = () => rancherError(405, 'Method not allowed', 'Method not allowed');
const CONFLICT = (state: { conflicts: number }) => {
  state.conflicts++;
  return rancherError(409, 'Conflict', 'Conflict');
};

export class RancherState {
  keys = new Map<string, ApiKey>();
  projects = new Map<string, Project>();
  accounts = new Map<string, Account>();
  /** ms a transitioning state lasts before it settles (registering, deactivating, ...) */
  transitionMs = 0;
  /** ids of keys a running process holds (tests: every action and DELETE on them is 409) */
  held = new Set<string>();
  /** 409s answered so far (tests wait for one) */
  conflicts = 0;
  private nextKey = 1;
  private nextProject = 10;

  seed(seed: RancherSeed): { accessKey: string; secretKey: string; environmentId: string } {
    this.accounts.set(seed.account.id, { id: seed.account.id, name: seed.account.name });
    for (const p of seed.projects) {
      this.projects.set(p.id, {
        id: p.id,
        name: p.name,
        description: p.description ?? '',
        members: [seed.account.id],
        created: new Date().toISOString(),
        uuid: uuid(),
      });
    }
    const key = this.createKey(seed.account.id, 'keyhold demo', 'account key for the demo', seed.accountKey);
    key.state = 'active';
    key.generation++; // the seeded key skips registering: its pending transitions are void
    return { accessKey: key.publicValue, secretKey: key.secretValue, environmentId: seed.projects[0]?.id ?? '' };
  }

  addProject(name: string, memberAccountId: string): Project {
    const id = `1a${this.nextProject++}`;
    const p: Project = { id, name, description: '', members: [memberAccountId], created: new Date().toISOString(), uuid: uuid() };
    this.projects.set(id, p);
    return p;
  }

  /** `at`: a seeded key's creation time (tests of key ages); now by default */
  createKey(
    accountId: string,
    name: string | null,
    description: string | null,
    fixed?: { publicValue: string; secretValue: string },
    at = new Date(),
  ): ApiKey {
    const key: ApiKey = {
      id: `1c${this.nextKey++}`,
      accountId,
      name,
      description,
      publicValue: fixed?.publicValue ?? randomFrom('0123456789ABCDEF', 20),
      secretValue: fixed?.secretValue ?? randomFrom('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 40),
      state: 'registering',
      created: at.toISOString().replace(/\.\d+Z$/, 'Z'),
      createdTS: at.getTime(),
      removed: null,
      uuid: uuid(),
      generation: 0,
    };
    this.keys.set(key.id, key);
    this.settle(key, 'activating', 'active');
    return key;
  }

  /** Moves a transitioning key through `states`, one every transitionMs (a later action wins). */
  settle(key: ApiKey, ...states: ApiKeyState[]): void {
    const generation = ++key.generation;
    const step = (i: number) => {
      const next = () => {
        if (key.generation !== generation) return;
        const state = states[i]!;
        key.state = state;
        if (state === 'removed') key.removed = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
        if (state === 'purged') this.keys.delete(key.id);
        if (i + 1 < states.length) step(i + 1);
      };
      if (this.transitionMs <= 0) setImmediate(next);
      else setTimeout(next, this.transitionMs).unref();
    };
    step(0);
  }

  /** Applies an action, or answers why it cannot run in this state. */
  act(key: ApiKey, action: string): EmuResponse | null {
    if (!(ACTIONS as readonly string[]).includes(action)) return rancherError(422, 'InvalidAction', `Invalid action ${action}`, 'action');
    const a = action as Action;
    if (this.held.has(key.id) || LOCKED.has(key.state)) return CONFLICT(this);
    if (!(ALLOWED[key.state] ?? []).includes(a))
      return rancherError(422, 'ActionNotAvailable', `Action ${a} not available in state ${key.state}`, 'action');
    const [transitioning, final] = TRANSITION[a];
    key.state = transitioning;
    this.settle(key, final);
    return null;
  }
}

interface Caller {
  key: ApiKey;
  /** the account the key belongs to: a user account, or a project for environment keys */
  accountId: string;
}

function authenticate(state: RancherState, req: EmuRequest): Caller | EmuResponse {
  const challenge = String(req.headers['x-api-no-challenge'] ?? '').toLowerCase() !== 'true';
  const auth = req.headers.authorization;
  if (typeof auth !== 'string' || !/^Basic\s+/i.test(auth)) return UNAUTHORIZED(challenge);
  const decoded = Buffer.from(auth.replace(/^Basic\s+/i, ''), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return UNAUTHORIZED(challenge);
  const access = decoded.slice(0, colon);
  const secret = decoded.slice(colon + 1);
  for (const key of state.keys.values()) {
    if (key.publicValue === access && key.secretValue === secret && key.state === 'active') return { key, accountId: key.accountId };
  }
  return UNAUTHORIZED(challenge);
}

function keyBase(base: string, key: ApiKey, projectId: string | null): string {
  return projectId ? `${base}/v2-beta/projects/${projectId}/apikeys/${key.id}` : `${base}/v2-beta/apikeys/${key.id}`;
}

function keyView(base: string, key: ApiKey, projectId: string | null, showSecret: boolean) {
  const self = keyBase(base, key, projectId);
  const actions: Record<string, string> = {};
  for (const a of ALLOWED[key.state] ?? []) actions[a] = `${self}/?action=${a}`;
  const transitioning = ['registering', 'deactivating', 'activating', 'removing', 'purging', 'requested'].includes(key.state)
    ? 'yes'
    : 'no';
  return {
    id: key.id,
    type: 'apiKey',
    links: { self, account: `${base}/v2-beta/accounts/${key.accountId}`, images: `${self}/images`, instances: `${self}/instances` },
    actions,
    baseType: 'credential',
    name: key.name,
    state: key.state,
    accountId: key.accountId,
    created: key.created,
    createdTS: key.createdTS,
    description: key.description,
    kind: 'apiKey',
    publicValue: key.publicValue,
    removed: key.removed,
    secretValue: showSecret ? key.secretValue : null,
    transitioning,
    transitioningMessage: null,
    transitioningProgress: null,
    uuid: key.uuid,
  };
}

function projectView(base: string, p: Project) {
  const self = `${base}/v2-beta/projects/${p.id}`;
  return {
    id: p.id,
    type: 'project',
    links: { self, apiKeys: `${self}/apikeys`, schemas: `${self}/schemas` },
    actions: {},
    baseType: 'account',
    name: p.name,
    state: 'active',
    created: p.created,
    description: p.description,
    healthState: 'healthy',
    kind: 'project',
    orchestration: 'cattle',
    removed: null,
    transitioning: 'no',
    transitioningMessage: null,
    transitioningProgress: null,
    uuid: p.uuid,
    virtualMachine: false,
  };
}

const FILTERS = ['name', 'state', 'publicValue', 'accountId', 'kind', 'description', 'id', 'uuid'] as const;

/** A Rancher collection: filters, sort, order, limit and marker paging. */
function collection<T extends Record<string, unknown>>(
  req: EmuRequest,
  resourceType: string,
  items: T[],
  createDefaults?: Record<string, unknown>,
): EmuResponse {
  let rows = items;
  const filters: Record<string, { modifier: string; value: string }[]> = {};
  for (const f of FILTERS) {
    const v = req.query.get(f);
    if (v === null) continue;
    filters[f] = [{ modifier: 'eq', value: v }];
    rows = rows.filter((r) => String(r[f] ?? '') === v);
  }
  const sort = req.query.get('sort') ?? 'id';
  const order = req.query.get('order') === 'desc' ? 'desc' : 'asc';
  const keyOf = (r: T) => {
    const v = r[sort];
    if (sort === 'id' && typeof v === 'string') return Number(v.replace(/^\d[a-z]/, '')); // 1c12 sorts after 1c9
    return typeof v === 'number' ? v : String(v ?? '');
  };
  rows = [...rows].sort((a, b) => {
    const x = keyOf(a);
    const y = keyOf(b);
    const c = x < y ? -1 : x > y ? 1 : 0;
    return order === 'desc' ? -c : c;
  });
  const limitParam = Number(req.query.get('limit') ?? '100');
  const limit = Number.isInteger(limitParam) && limitParam > 0 ? Math.min(limitParam, 1000) : 100;
  const marker = req.query.get('marker');
  const offset = marker && /^m\d+$/.test(marker) ? Number(marker.slice(1)) : 0;
  const page = rows.slice(offset, offset + limit);
  const url = (off: number) => {
    const q = new URLSearchParams(req.query);
    q.set('limit', String(limit));
    if (off > 0) q.set('marker', `m${off}`);
    else q.delete('marker');
    return `${req.base}${req.path}?${q.toString()}`;
  };
  const partial = offset + limit < rows.length || offset > 0;
  const body: Record<string, unknown> = {
    type: 'collection',
    resourceType,
    links: { self: `${req.base}${req.path}` },
    createTypes: createDefaults ? { [resourceType]: `${req.base}${req.path}` } : {},
    actions: {},
    data: page,
    sortLinks: Object.fromEntries(FILTERS.map((f) => [f, `${req.base}${req.path}?sort=${f}`])),
    pagination: {
      first: url(0),
      previous: offset > 0 ? url(Math.max(0, offset - limit)) : null,
      next: offset + limit < rows.length ? url(offset + limit) : null,
      limit,
      total: rows.length,
      partial,
    },
    sort: { name: sort, order, reverse: `${req.base}${req.path}?order=${order === 'asc' ? 'desc' : 'asc'}&sort=${sort}` },
    filters: Object.fromEntries(FILTERS.map((f) => [f, filters[f] ?? null])),
    createDefaults: createDefaults ?? {},
  };
  return { status: 200, body };
}

interface SchemaFile {
  data: Record<string, unknown>[];
}

function loadSchemas(): SchemaFile {
  const parsed: unknown = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'));
  if (typeof parsed !== 'object' || parsed === null || !Array.isArray((parsed as SchemaFile).data))
    throw new Error('rancher emulator: bad schema file');
  return parsed as SchemaFile;
}

function rebase(value: unknown, base: string): unknown {
  return JSON.parse(JSON.stringify(value).split(CAPTURED_HOST).join(base));
}

function readNameDescription(body: unknown): { name?: string | null; description?: string | null } | EmuResponse {
  if (body === undefined) return {};
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return rancherError(422, 'InvalidBodyContent', 'Invalid body content');
  const b = body as Record<string, unknown>;
  const out: { name?: string | null; description?: string | null } = {};
  for (const [field, max] of [
    ['name', 255],
    ['description', 1024],
  ] as const) {
    const v = b[field];
    if (v === undefined) continue;
    if (v !== null && typeof v !== 'string') return rancherError(422, 'InvalidFormat', `Invalid format for ${field}`, field);
    if (typeof v === 'string' && v.length > max) return rancherError(422, 'MaxLengthExceeded', `${field} is longer than ${max}`, field);
    out[field] = v;
  }
  return out;
}

export function rancherHandler(state: RancherState) {
  const schemas = loadSchemas();
  return (req: EmuRequest): EmuResponse => {
    const caller = authenticate(state, req);
    const answer = route(state, schemas, req, caller);
    answer.headers = {
      ...(answer.headers ?? {}),
      'X-API-Schemas': `${req.base}/v2-beta/schemas`,
      ...(isResponse(caller) ? {} : { 'X-API-Account-Id': caller.accountId, 'X-API-User-Id': caller.key.accountId }),
    };
    return answer;
  };
}

function route(state: RancherState, schemas: SchemaFile, req: EmuRequest, caller: Caller | EmuResponse): EmuResponse {
  const { method } = req;
  const parts = req.path.split('/').filter(Boolean);
  if (parts[0] !== 'v2-beta') return NOT_FOUND();
  const rest = parts.slice(1);

  // the schemas are public, as on a real server
  if (rest[0] === 'schemas') {
    if (method !== 'GET') return METHOD_NOT_ALLOWED();
    const data = rebase(schemas.data, req.base) as Record<string, unknown>[];
    if (rest.length === 1)
      return {
        status: 200,
        body: {
          type: 'collection',
          resourceType: 'schema',
          links: { self: `${req.base}/v2-beta/schemas` },
          createTypes: {},
          actions: {},
          data,
          sortLinks: {},
          pagination: null,
          sort: null,
          filters: {},
          createDefaults: {},
        },
      };
    const found = data.find((s) => String(s.id).toLowerCase() === String(rest[1]).toLowerCase());
    return found && rest.length === 2 ? { status: 200, body: found } : NOT_FOUND();
  }

  if (isResponse(caller)) return caller;
  let body: unknown;
  try {
    body = jsonBody(req);
  } catch {
    return rancherError(422, 'InvalidBodyContent', 'Invalid body content');
  }

  const visibleProjects = () =>
    [...state.projects.values()].filter((p) => p.members.includes(caller.accountId) || p.id === caller.accountId);

  if (rest[0] === 'projects') {
    if (rest.length === 1) {
      if (method !== 'GET') return METHOD_NOT_ALLOWED();
      return collection(
        req,
        'project',
        visibleProjects().map((p) => projectView(req.base, p)),
      );
    }
    if (!state.projects.has(String(rest[1]))) return NOT_FOUND();
    const project = visibleProjects().find((p) => p.id === rest[1]);
    if (!project) return FORBIDDEN(); // a project the key cannot access
    if (rest.length === 2) return method === 'GET' ? { status: 200, body: projectView(req.base, project) } : METHOD_NOT_ALLOWED();
    if (rest[2] === 'apikeys') return apiKeys(state, req, caller, project.id, rest.slice(3), body);
    return NOT_FOUND();
  }
  if (rest[0] === 'apikeys') return apiKeys(state, req, caller, null, rest.slice(1), body);
  if (rest[0] === 'accounts' && rest.length === 2 && method === 'GET') {
    const acct = state.accounts.get(String(rest[1]));
    if (!acct || acct.id !== caller.accountId) return NOT_FOUND();
    return {
      status: 200,
      body: {
        id: acct.id,
        type: 'account',
        name: acct.name,
        kind: 'admin',
        state: 'active',
        links: { self: `${req.base}/v2-beta/accounts/${acct.id}` },
        actions: {},
      },
    };
  }
  return NOT_FOUND();
}

/** Account keys (/v2-beta/apikeys: the caller's account) or environment keys (/projects/<id>/apikeys). */
function apiKeys(
  state: RancherState,
  req: EmuRequest,
  caller: Caller,
  projectId: string | null,
  rest: string[],
  body: unknown,
): EmuResponse {
  const { method } = req;
  const owner = projectId ?? caller.accountId;
  const ownKeys = () => [...state.keys.values()].filter((k) => k.accountId === owner && k.state !== 'purged');
  if (rest.length === 0) {
    if (method === 'GET') {
      // removed keys vanish from collections at once; ?_removed shows them
      const listed = req.query.has('_removed') ? ownKeys() : ownKeys().filter((k) => k.state !== 'removed' && k.state !== 'removing');
      return collection(
        req,
        'apiKey',
        listed.map((k) => keyView(req.base, k, projectId, false)),
        { type: 'apiKey' },
      );
    }
    if (method === 'POST') {
      const input = readNameDescription(body);
      if (isResponse(input)) return input;
      const b = (body ?? {}) as Record<string, unknown>;
      let accountId = owner;
      // POST /v2-beta/apikeys may name a project the caller belongs to: an environment key
      if (projectId === null && typeof b.accountId === 'string' && b.accountId !== caller.accountId) {
        const project = state.projects.get(b.accountId);
        if (!project || !project.members.includes(caller.accountId))
          return rancherError(422, 'InvalidReference', 'Invalid reference', 'accountId');
        accountId = project.id;
      }
      // fields the caller may not set (publicValue, secretValue, state...) are dropped silently
      const key = state.createKey(accountId, input.name ?? null, input.description ?? null);
      // the only answer that carries the secret
      return { status: 201, body: keyView(req.base, key, projectId ?? (accountId !== caller.accountId ? accountId : null), true) };
    }
    return METHOD_NOT_ALLOWED();
  }
  const key = ownKeys().find((k) => k.id === rest[0]);
  if (!key || rest.length > 1) return NOT_FOUND();
  const action = req.query.get('action');
  if (action !== null) {
    if (method !== 'POST') return METHOD_NOT_ALLOWED();
    const refused = state.act(key, action);
    if (refused) return refused;
    return { status: 202, body: keyView(req.base, key, projectId, false) };
  }
  if (method === 'GET') return { status: 200, body: keyView(req.base, key, projectId, false) };
  if (method === 'PUT') {
    const input = readNameDescription(body);
    if (isResponse(input)) return input;
    if (input.name !== undefined) key.name = input.name;
    if (input.description !== undefined) key.description = input.description;
    return { status: 200, body: keyView(req.base, key, projectId, false) };
  }
  if (method === 'DELETE') {
    // DELETE is the remove action, refused outright while the key is (de)activating or active
    if (state.held.has(key.id) || LOCKED.has(key.state)) return CONFLICT(state);
    if (NOT_DELETABLE.has(key.state)) return METHOD_NOT_ALLOWED();
    const refused = state.act(key, 'remove');
    if (refused) return refused;
    return { status: 202, body: keyView(req.base, key, projectId, false) };
  }
  return METHOD_NOT_ALLOWED();
}

export interface RancherEmulator extends EmulatorServer {
  state: RancherState;
  demo: { accessKey: string; secretKey: string; environmentId: string };
}

export async function startRancher(options: StartOptions & { seed?: RancherSeed; transitionMs?: number } = {}): Promise<RancherEmulator> {
  const state = new RancherState();
  state.transitionMs = options.transitionMs ?? 0;
  const demo = state.seed(options.seed ?? RANCHER_DEMO);
  // the seeded key skips registering
  const server = await startEmulator('rancher', rancherHandler(state), {
    faultBody: (status, message) => ({
      id: uuid(),
      type: 'error',
      status,
      code: status === 429 ? 'TooManyRequests' : 'ServerError',
      message,
      detail: null,
    }),
    ...options,
  });
  return Object.assign(server, { state, demo });
}

export type { ApiKey as RancherApiKey, Project as RancherProject };
