// Syncano API v1.1 (PLATFORMS.md): login for the Account Key, instances as environments, instance
// API keys with their flags (list, create, edit, reset_key, delete), users' keys (list, reset),
// account key reset. The key travels as X-API-KEY. Errors are {"detail"} or {field: [msg]}.
// Instances shared with the account carry a role; api_keys needs role full (or the owner), so
// an instance in role write or read answers 403 to every API key call.
import { z } from 'zod';
import type { SyncanoFlag } from '../api/constants';
import { HttpClient, type PlatformError } from './http';
import {
  CAPABILITIES,
  type CredentialAccess,
  type ProviderOptions,
  type RemoteEnvironment,
  type RemoteKey,
  type RemotePlatform,
} from './types';

export const SYNCANO_URL = 'https://api.syncano.io';
export { SYNCANO_FLAGS, type SyncanoFlag } from '../api/constants';

const Key40 = z.string().regex(/^[0-9a-f]{40}$/i);

const Account = z.object({
  id: z.number(),
  email: z.string(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  is_active: z.boolean().optional(),
});
const AccountWithKey = Account.extend({ account_key: Key40 });
const Instance = z.object({ name: z.string(), description: z.string().nullish(), role: z.string().nullish() });
export const SyncanoApiKey = z.object({
  id: z.number(),
  description: z.string().nullish(),
  api_key: Key40,
  ignore_acl: z.boolean(),
  allow_user_create: z.boolean(),
  allow_group_create: z.boolean().optional(),
  allow_anonymous_read: z.boolean(),
  created_at: z.string().optional(),
});
export type SyncanoApiKey = z.output<typeof SyncanoApiKey>;
export const SyncanoUser = z.object({ id: z.number(), username: z.string(), user_key: Key40 });
export type SyncanoUser = z.output<typeof SyncanoUser>;
const page = <T extends z.ZodType>(item: T) =>
  z.object({ next: z.string().nullable(), prev: z.string().nullable().optional(), objects: z.array(item) });

/** Django REST's error bodies: {"detail": "..."} or {"field": ["message", ...]}. */
export function syncanoError(_status: number, body: unknown): PlatformError | null {
  if (typeof body !== 'object' || body === null) return null;
  const b = body as Record<string, unknown>;
  if (typeof b.detail === 'string') return { message: b.detail };
  const fields = Object.entries(b)
    .filter(([, v]) => Array.isArray(v) && v.every((m) => typeof m === 'string'))
    .map(([k, v]) => `${k}: ${(v as string[]).join(' ')}`);
  if (!fields.length) return null;
  const message = fields.join('; ');
  return { message, conflict: /already exists/i.test(message) };
}

function client(options: ProviderOptions, headers?: () => Record<string, string>): HttpClient {
  return new HttpClient({
    platform: 'Syncano',
    baseUrl: options.baseUrl ?? SYNCANO_URL,
    errorMessage: syncanoError,
    ...options,
    ...(headers ? { headers } : {}),
  });
}

const enc = encodeURIComponent;

/** POST /v1.1/account/auth/: the Account Key for an email and password (401 when wrong). */
export async function syncanoLogin(
  email: string,
  password: string,
  options: ProviderOptions = {},
): Promise<{ accountKey: string; email: string; accountId: number }> {
  const res = await client(options).request({
    method: 'POST',
    path: '/v1.1/account/auth/',
    body: { email, password },
    schema: AccountWithKey,
  });
  return { accountKey: res.data.account_key, email: res.data.email, accountId: res.data.id };
}

export function syncanoFlags(k: Pick<SyncanoApiKey, SyncanoFlag | 'allow_group_create'>): Record<string, boolean> {
  return {
    ignore_acl: k.ignore_acl,
    allow_user_create: k.allow_user_create,
    allow_group_create: k.allow_group_create ?? false,
    allow_anonymous_read: k.allow_anonymous_read,
  };
}

export class SyncanoProvider implements RemotePlatform {
  readonly provider = 'syncano' as const;
  readonly capabilities = CAPABILITIES.syncano;
  private readonly http: HttpClient;

  constructor(
    private readonly accountKey: string,
    private readonly options: ProviderOptions = {},
  ) {
    this.http = client(options, () => ({ 'X-API-KEY': this.accountKey }));
  }

  private async all<T extends z.ZodType>(path: string, item: T): Promise<z.output<T>[]> {
    const out: z.output<T>[] = [];
    let next: string | null = path;
    for (let pages = 0; next && pages < 1000; pages++) {
      const res: { data: { next: string | null; objects: z.output<T>[] } } = await this.http.request({
        method: 'GET',
        path: next,
        query: next === path ? { page_size: 100 } : undefined,
        schema: page(item),
      });
      out.push(...res.data.objects);
      next = res.data.next;
    }
    return out;
  }

  async check(): Promise<{ identity: string }> {
    const res = await this.http.request({ method: 'GET', path: '/v1.1/account/', schema: Account });
    return { identity: res.data.email };
  }

  async listEnvironments(): Promise<RemoteEnvironment[]> {
    const items = await this.all('/v1.1/instances/', Instance);
    return items.map((i) => ({ remoteId: i.name, name: i.name, description: i.description ?? '', ...(i.role ? { role: i.role } : {}) }));
  }

  async listKeys(instance?: string | null): Promise<RemoteKey[]> {
    if (!instance) return [];
    const [apiKeys, users] = await Promise.all([this.listApiKeys(instance), this.listUsers(instance)]);
    return [
      ...apiKeys.map((k) => apiKeyToRemote(instance, k)),
      ...users.map((u): RemoteKey => ({
        remoteId: String(u.id),
        kind: 'user_key',
        name: u.username,
        description: `user key of ${u.username}`,
        state: 'active',
        environmentRemoteId: instance,
        publicPart: null,
        flags: {},
        secret: u.user_key,
        meta: { username: u.username },
      })),
    ];
  }

  listApiKeys(instance: string): Promise<SyncanoApiKey[]> {
    return this.all(`/v1.1/instances/${enc(instance)}/api_keys/`, SyncanoApiKey);
  }

  async getApiKey(instance: string, id: string): Promise<SyncanoApiKey> {
    return (
      await this.http.request({ method: 'GET', path: `/v1.1/instances/${enc(instance)}/api_keys/${enc(id)}/`, schema: SyncanoApiKey })
    ).data;
  }

  async createApiKey(
    instance: string,
    input: { description?: string; flags?: Partial<Record<SyncanoFlag, boolean>> },
  ): Promise<SyncanoApiKey> {
    const body = { ...(input.description !== undefined ? { description: input.description } : {}), ...(input.flags ?? {}) };
    return (await this.http.request({ method: 'POST', path: `/v1.1/instances/${enc(instance)}/api_keys/`, body, schema: SyncanoApiKey }))
      .data;
  }

  async editApiKey(
    instance: string,
    id: string,
    input: { description?: string; flags?: Partial<Record<SyncanoFlag, boolean>> },
  ): Promise<SyncanoApiKey> {
    const body = { ...(input.description !== undefined ? { description: input.description } : {}), ...(input.flags ?? {}) };
    // PATCH with absolute values: sending it twice changes nothing more
    return (
      await this.http.request({
        method: 'PATCH',
        idempotent: true,
        path: `/v1.1/instances/${enc(instance)}/api_keys/${enc(id)}/`,
        body,
        schema: SyncanoApiKey,
      })
    ).data;
  }

  /** Replaces the key's value; the old one stops working at once. Not retried: see the rotation journal. */
  async resetApiKey(instance: string, id: string): Promise<SyncanoApiKey> {
    return (
      await this.http.request({
        method: 'POST',
        path: `/v1.1/instances/${enc(instance)}/api_keys/${enc(id)}/reset_key/`,
        schema: SyncanoApiKey,
      })
    ).data;
  }

  async deleteApiKey(instance: string, id: string): Promise<void> {
    await this.http.request({ method: 'DELETE', path: `/v1.1/instances/${enc(instance)}/api_keys/${enc(id)}/`, schema: z.unknown() });
  }

  listUsers(instance: string): Promise<SyncanoUser[]> {
    return this.all(`/v1.1/instances/${enc(instance)}/users/`, SyncanoUser);
  }

  async getUser(instance: string, id: string): Promise<SyncanoUser> {
    return (await this.http.request({ method: 'GET', path: `/v1.1/instances/${enc(instance)}/users/${enc(id)}/`, schema: SyncanoUser }))
      .data;
  }

  async resetUserKey(instance: string, id: string): Promise<SyncanoUser> {
    return (
      await this.http.request({ method: 'POST', path: `/v1.1/instances/${enc(instance)}/users/${enc(id)}/reset_key/`, schema: SyncanoUser })
    ).data;
  }

  /** POST /v1.1/account/reset_key/: the new Account Key (the one this provider holds stops working). */
  async resetAccountKey(): Promise<string> {
    return (await this.http.request({ method: 'POST', path: '/v1.1/account/reset_key/', schema: AccountWithKey })).data.account_key;
  }

  /** A real call with an instance API key (and a user key): does it work? */
  async checkApiKey(instance: string, apiKey: string, userKey?: string): Promise<void> {
    const http = client(this.options, () => ({ 'X-API-KEY': apiKey, ...(userKey ? { 'X-USER-KEY': userKey } : {}) }));
    const path = userKey ? `/v1.1/instances/${enc(instance)}/user/` : `/v1.1/instances/${enc(instance)}/api_keys/`;
    await http.request({ method: 'GET', path, schema: z.unknown() });
  }
}

/** API keys need role full (or owner) on the instance (apps/apikeys/models.py). */
export const SYNCANO_KEYS_ROLE = 'full';

/** What the account key may do, from its role on each instance (GET /v1.1/instances/). */
export function syncanoAccess(instances: RemoteEnvironment[]): CredentialAccess {
  const limited = instances.filter((i) => i.role && i.role !== SYNCANO_KEYS_ROLE);
  const refuses: CredentialAccess['refuses'] = limited.flatMap((i) =>
    (['list', 'create', 'edit', 'revoke', 'rotate'] as const).map((operation) => ({
      operation,
      environment: i.remoteId,
      reason: `your role on instance ${i.name} is ${i.role}; API keys need role full`,
    })),
  );
  const full = instances.length - limited.length;
  const summary = limited.length
    ? `can manage API keys in ${full} instance(s); cannot read or change them in ${limited.map((i) => `${i.name} (role ${i.role})`).join(', ')}`
    : `can manage API keys in all ${instances.length} instance(s)`;
  return { grants: instances.map((i) => `${i.name}: ${i.role ?? 'full'}`), summary, refuses };
}

export function apiKeyToRemote(instance: string, k: SyncanoApiKey): RemoteKey {
  return {
    remoteId: String(k.id),
    kind: 'api_key',
    name: k.description || `API key ${k.id}`,
    description: k.description ?? '',
    state: 'active',
    environmentRemoteId: instance,
    publicPart: null,
    flags: syncanoFlags(k),
    secret: k.api_key,
    meta: {},
    createdAt: k.created_at ?? null,
  };
}
