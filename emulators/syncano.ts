// Syncano API v1.1 emulator (PLATFORMS.md "Syncano"): account auth and account key reset,
// instances, instance API keys with flags and reset_key, users with user keys and reset, the
// user endpoint, Django-REST-style error bodies and statuses, {next, prev, objects} paging.
// Instances shared with an account carry its role (full, write, read); api_keys needs full (or
// the owner), so read and write get 403 on every api_keys call. The authenticator never refuses:
// no key is the permission message, an unknown key "No such API Key.", an unknown user key is
// ignored; the instance is looked up before the key.
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

const HEX = '0123456789abcdef';
const FLAGS = ['ignore_acl', 'allow_user_create', 'allow_group_create', 'allow_anonymous_read'] as const;

/** 40 hex characters; the last digit's parity tells the kind (even: account/user, odd: API key). */
export function syncanoKey(kind: 'account' | 'user' | 'api'): string {
  const last = randomFrom(kind === 'api' ? '13579bdf' : '02468ace', 1);
  return randomFrom(HEX, 39) + last;
}

interface Account {
  id: number;
  email: string;
  password: string;
  first_name: string;
  last_name: string;
  is_active: boolean;
  metadata: Record<string, unknown>;
  account_key: string;
}

interface ApiKey {
  id: number;
  description: string;
  api_key: string;
  ignore_acl: boolean;
  allow_user_create: boolean;
  allow_group_create: boolean;
  allow_anonymous_read: boolean;
  created_at: string;
}

interface User {
  id: number;
  username: string;
  password: string;
  profile: Record<string, unknown>;
  user_key: string;
}

export type Role = 'full' | 'write' | 'read';

interface Instance {
  name: string;
  description: string;
  ownerId: number;
  /** other accounts it is shared with, and their role */
  shares: Map<number, Role>;
  created_at: string;
  updated_at: string;
  metadata: Record<string, unknown>;
  apiKeys: Map<number, ApiKey>;
  users: Map<number, User>;
}

interface InstanceSeed {
  name: string;
  description?: string;
  apiKeys?: { description: string; flags?: Partial<Record<(typeof FLAGS)[number], boolean>> }[];
  users?: { username: string; password: string }[];
}

export interface SyncanoSeed {
  email: string;
  password: string;
  first_name?: string;
  last_name?: string;
  instances: InstanceSeed[];
  /** instances another account owns and shares with this one, in a role */
  shared?: { owner: string; instance: InstanceSeed; role: Role }[];
}

export const SYNCANO_DEMO: SyncanoSeed = {
  email: 'admin@keyhold.test',
  password: 'demo-password',
  first_name: 'Demo',
  last_name: 'Admin',
  instances: [
    {
      name: 'demo-instance',
      description: 'Demo instance',
      apiKeys: [
        { description: 'web app', flags: { allow_anonymous_read: true } },
        { description: 'backend', flags: { ignore_acl: true } },
      ],
      users: [
        { username: 'alice', password: 'alice-password' },
        { username: 'bob', password: 'bob-password' },
      ],
    },
    { name: 'staging', description: 'Staging', apiKeys: [{ description: 'signup', flags: { allow_user_create: true } }] },
  ],
  // read-only: listed with role "read", its api_keys answer 403
  shared: [
    {
      owner: 'partner@keyhold.test',
      role: 'read',
      instance: { name: 'partner-reports', description: 'Shared by a partner, read-only', apiKeys: [{ description: 'partner key' }] },
    },
  ],
};

const now = () => new Date().toISOString().replace(/Z$/, '000Z'); // microseconds, as Django prints them

const detail = (status: number, text: string): EmuResponse => ({ status, body: { detail: text } });
const NOT_FOUND = detail(404, 'Not found.');
const NO_SUCH_KEY = detail(403, 'No such API Key.');
const FORBIDDEN = detail(403, 'You do not have permission to perform this action.');
const INSTANCE_NOT_FOUND = detail(404, 'Instance was not found.');
const notAllowed = (method: string) => detail(405, `Method "${method}" not allowed.`);

type Caller = { kind: 'account'; account: Account } | { kind: 'api'; instance: Instance; apiKey: ApiKey; user: User | null };

export class SyncanoState {
  accounts: Account[] = [];
  instances = new Map<string, Instance>();
  private nextId = 1;

  seed(seed: SyncanoSeed): Account {
    const account: Account = {
      id: this.nextId++,
      email: seed.email,
      password: seed.password,
      first_name: seed.first_name ?? '',
      last_name: seed.last_name ?? '',
      is_active: true,
      metadata: {},
      account_key: syncanoKey('account'),
    };
    this.accounts.push(account);
    for (const i of seed.instances) this.seedInstance(account, i);
    for (const sh of seed.shared ?? []) {
      let owner = this.accounts.find((a) => a.email === sh.owner);
      if (!owner) {
        owner = {
          id: this.nextId++,
          email: sh.owner,
          password: randomFrom(HEX, 24),
          first_name: '',
          last_name: '',
          is_active: true,
          metadata: {},
          account_key: syncanoKey('account'),
        };
        this.accounts.push(owner);
      }
      this.seedInstance(owner, sh.instance).shares.set(account.id, sh.role);
    }
    return account;
  }

  private seedInstance(owner: Account, i: InstanceSeed): Instance {
    const inst = this.addInstance(owner, i.name, i.description ?? '');
    for (const k of i.apiKeys ?? []) this.addApiKey(inst, { description: k.description, ...(k.flags ?? {}) });
    for (const u of i.users ?? []) this.addUser(inst, u.username, u.password);
    return inst;
  }

  /** The account's role on an instance: its own are "full"; null when it has no access. */
  roleOf(account: Account, inst: Instance): Role | null {
    if (inst.ownerId === account.id) return 'full';
    return inst.shares.get(account.id) ?? null;
  }

  addInstance(owner: Account, name: string, description: string): Instance {
    const inst: Instance = {
      name,
      description,
      ownerId: owner.id,
      shares: new Map(),
      created_at: now(),
      updated_at: now(),
      metadata: {},
      apiKeys: new Map(),
      users: new Map(),
    };
    this.instances.set(name, inst);
    return inst;
  }

  /** `createdAt`: a seeded key's creation time (tests of key ages); now by default */
  addApiKey(inst: Instance, input: Partial<Omit<ApiKey, 'id' | 'api_key' | 'created_at'>>, createdAt?: Date): ApiKey {
    const key: ApiKey = {
      id: this.nextId++,
      description: input.description ?? '',
      api_key: syncanoKey('api'),
      ignore_acl: input.ignore_acl ?? false,
      allow_user_create: input.allow_user_create ?? false,
      allow_group_create: input.allow_group_create ?? false,
      allow_anonymous_read: input.allow_anonymous_read ?? false,
      created_at: createdAt ? createdAt.toISOString().replace(/Z$/, '000Z') : now(),
    };
    inst.apiKeys.set(key.id, key);
    return key;
  }

  addUser(inst: Instance, username: string, password: string, profile: Record<string, unknown> = {}): User {
    const user: User = { id: this.nextId++, username, password, profile, user_key: syncanoKey('user') };
    inst.users.set(user.id, user);
    return user;
  }
}

function bodyField(body: unknown, name: string): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const v = (body as Record<string, unknown>)[name];
  return typeof v === 'string' && v ? v : undefined;
}

/** X-API-KEY, ?api_key=, ?apikey=, `Authorization: <any word> <key>` (exactly two words), or _api_key in the body. */
function keyOf(req: EmuRequest, body: unknown): string | undefined {
  const header = req.headers['x-api-key'];
  if (typeof header === 'string' && header) return header;
  const fromQuery = req.query.get('api_key') || req.query.get('apikey');
  if (fromQuery) return fromQuery;
  const auth = req.headers.authorization;
  const words = typeof auth === 'string' ? auth.trim().split(/\s+/) : [];
  if (words.length === 2) return words[1];
  return bodyField(body, '_api_key');
}

function userKeyOf(req: EmuRequest, body: unknown): string | undefined {
  const header = req.headers['x-user-key'];
  if (typeof header === 'string' && header) return header;
  return req.query.get('user_key') || req.query.get('userkey') || bodyField(body, '_user_key');
}

function authenticate(state: SyncanoState, req: EmuRequest, body: unknown): Caller | EmuResponse {
  const key = keyOf(req, body);
  // the authenticator never refuses: no key reaches the permission check
  if (!key) return FORBIDDEN;
  const account = state.accounts.find((a) => a.account_key === key);
  if (account) {
    if (!account.is_active) return FORBIDDEN;
    return { kind: 'account', account };
  }
  for (const instance of state.instances.values()) {
    for (const apiKey of instance.apiKeys.values()) {
      if (apiKey.api_key !== key) continue;
      const userKey = userKeyOf(req, body);
      // an unknown user key is ignored silently, as if none were sent
      const user = userKey ? ([...instance.users.values()].find((u) => u.user_key === userKey) ?? null) : null;
      return { kind: 'api', instance, apiKey, user };
    }
  }
  return NO_SUCH_KEY;
}

function accountView(a: Account, withKey: boolean) {
  const view = {
    id: a.id,
    email: a.email,
    first_name: a.first_name,
    last_name: a.last_name,
    is_active: a.is_active,
    has_password: true,
    metadata: a.metadata,
  };
  return withKey ? { ...view, account_key: a.account_key } : view;
}

function instanceView(i: Instance, state: SyncanoState, role: Role) {
  const owner = state.accounts.find((a) => a.id === i.ownerId);
  const self = `/v1.1/instances/${i.name}/`;
  return {
    name: i.name,
    description: i.description,
    owner: owner ? accountView(owner, false) : null,
    created_at: i.created_at,
    updated_at: i.updated_at,
    role,
    location: 'us1',
    metadata: i.metadata,
    links: { self, api_keys: `${self}api_keys/`, users: `${self}users/` },
  };
}

function apiKeyView(inst: Instance, k: ApiKey) {
  const self = `/v1.1/instances/${inst.name}/api_keys/${k.id}/`;
  return { ...k, links: { self, reset_key: `${self}reset_key/` } };
}

function userView(inst: Instance, u: User) {
  const self = `/v1.1/instances/${inst.name}/users/${u.id}/`;
  return {
    id: u.id,
    username: u.username,
    profile: u.profile,
    groups: [],
    user_key: u.user_key,
    links: {
      self,
      groups: `${self}groups/`,
      'reset-key': `${self}reset_key/`,
      profile: `/v1.1/instances/${inst.name}/classes/user_profile/objects/${u.id}/`,
    },
  };
}

/** Django REST framework's cursor paging as Syncano serves it: ordered by id, page_size <= 100. */
function paginate<T extends { id: number }>(req: EmuRequest, items: T[], view: (t: T) => unknown): EmuResponse {
  const sizeParam = Number(req.query.get('page_size') ?? '100');
  const pageSize = Number.isInteger(sizeParam) && sizeParam > 0 ? Math.min(sizeParam, 100) : 100;
  const direction = req.query.get('direction') === '0' ? 0 : 1;
  const lastPk = req.query.get('last_pk');
  const sorted = [...items].sort((a, b) => a.id - b.id);
  let window: T[];
  if (lastPk === null) window = sorted.slice(0, pageSize);
  else if (direction === 1) window = sorted.filter((t) => t.id > Number(lastPk)).slice(0, pageSize);
  else window = sorted.filter((t) => t.id < Number(lastPk)).slice(-pageSize);
  const link = (dir: number, pk: number) => `${req.path}?direction=${dir}&last_pk=${pk}&page_size=${pageSize}`;
  const last = window[window.length - 1];
  const first = window[0];
  // set whenever the page is full (apps/core/pagination.py): the last page may be an empty one
  const next = last && (window.length === pageSize || sorted.some((t) => t.id > last.id)) ? link(1, last.id) : null;
  const prev = first && sorted.some((t) => t.id < first.id) ? link(0, first.id) : null;
  return { status: 200, body: { next, prev, objects: window.map(view) } };
}

/** Reads the documented boolean flags and description; Django REST validation errors on bad types. */
function parseApiKeyInput(body: unknown): Partial<Omit<ApiKey, 'id' | 'api_key' | 'created_at'>> | EmuResponse {
  if (body === undefined) return {};
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return { status: 400, body: { detail: 'Invalid data. Expected a dictionary.' } };
  const b = body as Record<string, unknown>;
  const errors: Record<string, string[]> = {};
  const out: Partial<Omit<ApiKey, 'id' | 'api_key' | 'created_at'>> = {};
  if (b.description !== undefined) {
    if (typeof b.description !== 'string') errors.description = ['Not a valid string.'];
    else if (b.description.length > 256) errors.description = ['Ensure this field has no more than 256 characters.'];
    else out.description = b.description;
  }
  for (const f of FLAGS) {
    if (b[f] === undefined) continue;
    if (typeof b[f] !== 'boolean') errors[f] = ['Must be a valid boolean.'];
    else out[f] = b[f] as boolean;
  }
  return Object.keys(errors).length ? { status: 400, body: errors } : out;
}

function parseBody(req: EmuRequest): unknown | EmuResponse {
  try {
    return jsonBody(req);
  } catch {
    return { status: 400, body: { detail: 'JSON parse error - Expecting value: line 1 column 1 (char 0)' } } satisfies EmuResponse;
  }
}

export function syncanoHandler(state: SyncanoState) {
  return (req: EmuRequest): EmuResponse => {
    const { method, path } = req;
    if (!path.startsWith('/v1.1/') || !path.endsWith('/')) return NOT_FOUND;
    const parts = path.split('/').filter(Boolean).slice(1); // drop "v1.1"
    const body = parseBody(req);
    if (isResponse(body)) return body;

    // login: the only 401s
    if (parts.join('/') === 'account/auth') {
      if (method !== 'POST') return notAllowed(method);
      const b = (body ?? {}) as Record<string, unknown>;
      const errors: Record<string, string[]> = {};
      if (typeof b.email !== 'string' || !b.email) errors.email = ['This field is required.'];
      if (typeof b.password !== 'string' || !b.password) errors.password = ['This field is required.'];
      if (Object.keys(errors).length) return { status: 400, body: errors };
      const account = state.accounts.find((a) => a.email.toLowerCase() === String(b.email).toLowerCase());
      if (!account) return detail(401, 'Invalid email.');
      if (account.password !== b.password) return detail(401, 'Invalid password.');
      return { status: 200, body: accountView(account, true) };
    }

    // the instance comes first: unknown is 404 whatever the key (apps/instances/mixins.py)
    if (parts[0] === 'instances' && parts.length > 1 && !state.instances.has(decodeURIComponent(parts[1] ?? ''))) return INSTANCE_NOT_FOUND;
    const caller = authenticate(state, req, body);
    if (isResponse(caller)) return caller;

    if (parts[0] === 'account') {
      if (caller.kind !== 'account') return FORBIDDEN;
      if (parts.length === 1) {
        if (method === 'GET') return { status: 200, body: accountView(caller.account, false) };
        if (method === 'PUT' || method === 'PATCH') {
          const b = (body ?? {}) as Record<string, unknown>;
          if (typeof b.first_name === 'string') caller.account.first_name = b.first_name;
          if (typeof b.last_name === 'string') caller.account.last_name = b.last_name;
          return { status: 200, body: accountView(caller.account, false) };
        }
        return notAllowed(method);
      }
      if (parts.length === 2 && parts[1] === 'reset_key') {
        if (method !== 'POST') return notAllowed(method);
        caller.account.account_key = syncanoKey('account');
        return { status: 200, body: accountView(caller.account, true) };
      }
      return NOT_FOUND;
    }

    if (parts[0] !== 'instances') return NOT_FOUND;
    if (parts.length === 1) {
      if (method === 'GET') {
        // owned and shared instances, each with the caller's role
        const visible =
          caller.kind === 'account'
            ? [...state.instances.values()].flatMap((i) => (state.roleOf(caller.account, i) ? [i] : []))
            : [caller.instance];
        // instances page by name; give them a stable numeric order for the cursor
        const indexed = visible.map((inst, idx) => ({ id: idx + 1, inst }));
        return paginate(req, indexed, (x) =>
          instanceView(x.inst, state, caller.kind === 'account' ? (state.roleOf(caller.account, x.inst) ?? 'read') : 'full'),
        );
      }
      if (method === 'POST') {
        if (caller.kind !== 'account') return FORBIDDEN;
        const b = (body ?? {}) as Record<string, unknown>;
        if (typeof b.name !== 'string' || !/^[a-z0-9][a-z0-9-]{4,63}$/i.test(b.name))
          return { status: 400, body: { name: ['Enter a valid name (5-64 letters, digits or hyphens).'] } };
        if (state.instances.has(b.name)) return { status: 400, body: { name: ['Instance with this name already exists.'] } };
        const inst = state.addInstance(caller.account, b.name, typeof b.description === 'string' ? b.description : '');
        return { status: 201, body: instanceView(inst, state, 'full') };
      }
      return notAllowed(method);
    }

    const inst = state.instances.get(decodeURIComponent(parts[1] ?? ''));
    if (!inst) return INSTANCE_NOT_FOUND;
    const role = caller.kind === 'account' ? state.roleOf(caller.account, inst) : 'full';
    if (!role) return FORBIDDEN;
    if (caller.kind === 'api' && caller.instance !== inst) return NO_SUCH_KEY; // a key is looked up within its instance
    const rest = parts.slice(2);

    if (rest.length === 0) {
      if (method === 'GET') return { status: 200, body: instanceView(inst, state, role) };
      return caller.kind === 'account' ? notAllowed(method) : FORBIDDEN;
    }

    // api_keys needs role full (or owner): read and write get 403 on every call, the list too
    if (rest[0] === 'api_keys') return role === 'full' ? apiKeys(state, req, caller, inst, rest.slice(1), body) : FORBIDDEN;
    if (rest[0] === 'users') {
      if (role === 'read' && req.method !== 'GET') return FORBIDDEN;
      return users(state, req, caller, inst, rest.slice(1), body);
    }
    if (rest[0] === 'user') return userEndpoint(req, caller, inst, rest.slice(1), body);
    return NOT_FOUND;
  };
}

function apiKeys(state: SyncanoState, req: EmuRequest, caller: Caller, inst: Instance, rest: string[], body: unknown): EmuResponse {
  const { method } = req;
  const isAccount = caller.kind === 'account';
  if (rest.length === 0) {
    if (method === 'GET') {
      const visible = isAccount ? [...inst.apiKeys.values()] : [caller.apiKey];
      return paginate(req, visible, (k) => apiKeyView(inst, k));
    }
    if (method === 'POST') {
      if (!isAccount) return FORBIDDEN;
      const input = parseApiKeyInput(body);
      if (isResponse(input)) return input;
      return { status: 201, body: apiKeyView(inst, state.addApiKey(inst, input)) };
    }
    return notAllowed(method);
  }
  const id = Number(rest[0]);
  const key = Number.isInteger(id) ? inst.apiKeys.get(id) : undefined;
  // an instance API key sees only itself: another id is 404, not 403
  if (!key || (!isAccount && caller.apiKey.id !== key.id)) return NOT_FOUND;
  if (rest.length === 1) {
    if (method === 'GET') return { status: 200, body: apiKeyView(inst, key) };
    if (!isAccount) return FORBIDDEN;
    if (method === 'PUT' || method === 'PATCH') {
      const input = parseApiKeyInput(body);
      if (isResponse(input)) return input;
      Object.assign(key, input);
      return { status: 200, body: apiKeyView(inst, key) };
    }
    if (method === 'DELETE') {
      inst.apiKeys.delete(key.id);
      return { status: 204 };
    }
    return notAllowed(method);
  }
  if (rest.length === 2 && rest[1] === 'reset_key') {
    if (method !== 'POST') return notAllowed(method);
    if (!isAccount) return FORBIDDEN;
    key.api_key = syncanoKey('api');
    return { status: 200, body: apiKeyView(inst, key) };
  }
  return NOT_FOUND;
}

function users(state: SyncanoState, req: EmuRequest, caller: Caller, inst: Instance, rest: string[], body: unknown): EmuResponse {
  const { method } = req;
  const full = caller.kind === 'account' || caller.apiKey.ignore_acl;
  const ownUser = caller.kind === 'api' ? caller.user : null;
  if (rest.length === 0) {
    if (method === 'GET') {
      if (full) return paginate(req, [...inst.users.values()], (u) => userView(inst, u));
      if (ownUser) return paginate(req, [ownUser], (u) => userView(inst, u));
      return FORBIDDEN;
    }
    if (method === 'POST') {
      if (!full && !(caller.kind === 'api' && caller.apiKey.allow_user_create)) return FORBIDDEN;
      const b = (body ?? {}) as Record<string, unknown>;
      const errors: Record<string, string[]> = {};
      if (typeof b.username !== 'string' || !b.username) errors.username = ['This field is required.'];
      if (typeof b.password !== 'string' || !b.password) errors.password = ['This field is required.'];
      if (Object.keys(errors).length) return { status: 400, body: errors };
      if ([...inst.users.values()].some((u) => u.username === b.username))
        return { status: 400, body: { username: ['User with this username already exists.'] } };
      const profile = typeof b.profile === 'object' && b.profile !== null ? (b.profile as Record<string, unknown>) : {};
      return { status: 201, body: userView(inst, state.addUser(inst, String(b.username), String(b.password), profile)) };
    }
    return notAllowed(method);
  }
  const id = Number(rest[0]);
  const user = Number.isInteger(id) ? inst.users.get(id) : undefined;
  if (!user) return NOT_FOUND;
  const allowed = full || ownUser?.id === user.id;
  if (!allowed) return FORBIDDEN;
  if (rest.length === 1) {
    if (method === 'GET') return { status: 200, body: userView(inst, user) };
    if (method === 'PUT' || method === 'PATCH') {
      const b = (body ?? {}) as Record<string, unknown>;
      if (typeof b.username === 'string' && b.username) user.username = b.username;
      if (typeof b.password === 'string' && b.password) user.password = b.password;
      return { status: 200, body: userView(inst, user) };
    }
    if (method === 'DELETE') {
      // a user key may read, update and reset its own user, never delete it
      if (caller.kind === 'api' && !full) return FORBIDDEN;
      inst.users.delete(user.id);
      return { status: 204 };
    }
    return notAllowed(method);
  }
  if (rest.length === 2 && rest[1] === 'reset_key') {
    if (method !== 'POST') return notAllowed(method);
    user.user_key = syncanoKey('user');
    return { status: 200, body: userView(inst, user) };
  }
  return NOT_FOUND;
}

function userEndpoint(req: EmuRequest, caller: Caller, inst: Instance, rest: string[], body: unknown): EmuResponse {
  const { method } = req;
  if (rest.length === 1 && rest[0] === 'auth') {
    if (method !== 'POST') return notAllowed(method);
    const b = (body ?? {}) as Record<string, unknown>;
    const errors: Record<string, string[]> = {};
    if (typeof b.username !== 'string' || !b.username) errors.username = ['This field is required.'];
    if (typeof b.password !== 'string' || !b.password) errors.password = ['This field is required.'];
    if (Object.keys(errors).length) return { status: 400, body: errors };
    const user = [...inst.users.values()].find((u) => u.username === b.username);
    if (!user) return detail(401, 'Invalid username.');
    if (user.password !== b.password) return detail(401, 'Invalid password.');
    return { status: 200, body: userView(inst, user) };
  }
  if (rest.length !== 0) return NOT_FOUND;
  // API key + user key only; an account key with a user key does not work here
  if (caller.kind !== 'api' || !caller.user) return FORBIDDEN;
  if (method === 'GET') return { status: 200, body: userView(inst, caller.user) };
  if (method === 'PUT' || method === 'PATCH') {
    const b = (body ?? {}) as Record<string, unknown>;
    if (typeof b.username === 'string' && b.username) caller.user.username = b.username;
    if (typeof b.password === 'string' && b.password) caller.user.password = b.password;
    return { status: 200, body: userView(inst, caller.user) };
  }
  return notAllowed(method);
}

export interface SyncanoEmulator extends EmulatorServer {
  state: SyncanoState;
  /** readOnlyInstance: shared with the demo account in role read (its api_keys answer 403) */
  demo: { email: string; password: string; readOnlyInstance: string };
}

export async function startSyncano(options: StartOptions & { seed?: SyncanoSeed } = {}): Promise<SyncanoEmulator> {
  const state = new SyncanoState();
  const seed = options.seed ?? SYNCANO_DEMO;
  state.seed(seed);
  const server = await startEmulator('syncano', syncanoHandler(state), { faultBody: (_s, message) => ({ detail: message }), ...options });
  return Object.assign(server, {
    state,
    demo: {
      email: seed.email,
      password: seed.password,
      readOnlyInstance: seed.shared?.find((x) => x.role !== 'full')?.instance.name ?? '',
    },
  });
}
