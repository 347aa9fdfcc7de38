// Rancher 1.x API v2-beta (PLATFORMS.md): HTTP Basic with an account API key pair, projects as
// environments, account keys (/v2-beta/apikeys) and environment keys
// (/v2-beta/projects/<id>/apikeys): create (the secret is in that answer only), edit, activate,
// deactivate, delete (only when inactive). Actions move through transitioning states, answered
// before they finish; the provider waits for the state it needs (polling with backoff, bounded)
// and reconciles with a read instead of resending. DELETE is 405 while the key is active,
// activating or deactivating and 409 while a process holds it; a removed key vanishes from lists.
import { z } from 'zod';
import { KeyholdError } from '../errors';
import { HttpClient, hasStatus, isTransient, type PlatformError } from './http';
import { CAPABILITIES, type ProviderOptions, type RemoteEnvironment, type RemoteKey, type RemotePlatform } from './types';

export const RancherKey = z.object({
  id: z.string(),
  type: z.literal('apiKey'),
  accountId: z.string().nullish(),
  name: z.string().nullish(),
  description: z.string().nullish(),
  publicValue: z.string(),
  secretValue: z.string().nullish(),
  state: z.string(),
  transitioning: z.string().nullish(),
  created: z.string().nullish(),
});
export type RancherKey = z.output<typeof RancherKey>;
const Project = z.object({
  id: z.string(),
  type: z.literal('project'),
  name: z.string().nullish(),
  description: z.string().nullish(),
  state: z.string(),
});
const collection = <T extends z.ZodType>(item: T) =>
  z.object({ type: z.literal('collection'), data: z.array(item), pagination: z.object({ next: z.string().nullish() }).nullish() });
// built once: zod compiles each schema on first use, and these parse every answer
const KeyCollection = collection(RancherKey);

/** {type:"error", status, code, message, fieldName?} -> "<message> (<code>)"; NotUnique is a conflict. */
export function rancherError(_status: number, body: unknown): PlatformError | null {
  const parsed = z
    .object({ type: z.literal('error'), code: z.string(), message: z.string().nullish(), fieldName: z.string().nullish() })
    .safeParse(body);
  if (!parsed.success) return null;
  const { code, message, fieldName } = parsed.data;
  const text =
    message && message !== code
      ? `${message} (${code}${fieldName ? ` on ${fieldName}` : ''})`
      : `${code}${fieldName ? ` on ${fieldName}` : ''}`;
  return { message: text, conflict: code === 'NotUnique' };
}

export interface RancherKeyRef {
  id: string;
  /** environment keys live under their project */
  projectId: string | null;
}

const SETTLED = new Set(['active', 'inactive', 'removed', 'purged']);
const GONE = new Set(['removed', 'purged']);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** how long the provider waits for Rancher to finish a transition */
export const RANCHER_WAIT_MS = 15_000;

export function basicAuth(accessKey: string, secretKey: string): string {
  return `Basic ${Buffer.from(`${accessKey}:${secretKey}`).toString('base64')}`;
}

export class RancherProvider implements RemotePlatform {
  readonly provider = 'rancher' as const;
  readonly capabilities = CAPABILITIES.rancher;
  private readonly http: HttpClient;

  constructor(
    readonly baseUrl: string,
    private readonly accessKey: string,
    secretKey: string,
    private readonly options: ProviderOptions = {},
  ) {
    this.http = this.client(accessKey, secretKey);
  }

  private client(accessKey: string, secretKey: string): HttpClient {
    return new HttpClient({
      platform: 'Rancher',
      errorMessage: rancherError,
      ...this.options,
      baseUrl: this.baseUrl,
      headers: () => ({ Authorization: basicAuth(accessKey, secretKey), 'X-API-No-Challenge': 'true' }),
    });
  }

  private keysPath(projectId: string | null): string {
    return projectId ? `/v2-beta/projects/${encodeURIComponent(projectId)}/apikeys` : '/v2-beta/apikeys';
  }

  private keyPath(ref: RancherKeyRef): string {
    return `${this.keysPath(ref.projectId)}/${encodeURIComponent(ref.id)}`;
  }

  private async all<T extends z.ZodType>(path: string, item: T): Promise<z.output<T>[]> {
    const out: z.output<T>[] = [];
    let next: string | null | undefined = path;
    for (let pages = 0; next && pages < 1000; pages++) {
      const res: { data: { data: z.output<T>[]; pagination?: { next?: string | null } | null } } = await this.http.request({
        method: 'GET',
        path: next,
        query: next === path ? { limit: 1000 } : undefined,
        schema: collection(item),
      });
      out.push(...res.data.data);
      next = res.data.pagination?.next;
    }
    return out;
  }

  async check(): Promise<{ identity: string }> {
    await this.http.request({ method: 'GET', path: '/v2-beta/apikeys', query: { limit: 1 }, schema: KeyCollection });
    return { identity: this.accessKey };
  }

  async listEnvironments(): Promise<RemoteEnvironment[]> {
    const projects = await this.all('/v2-beta/projects', Project);
    return projects.map((p) => ({ remoteId: p.id, name: p.name || p.id, description: p.description ?? '' }));
  }

  async listKeys(projectId?: string | null): Promise<RemoteKey[]> {
    const keys = await this.listRaw(projectId ?? null);
    return keys.filter((k) => k.state !== 'purged').map((k) => toRemote(k, projectId ?? null));
  }

  listRaw(projectId: string | null): Promise<RancherKey[]> {
    return this.all(this.keysPath(projectId), RancherKey);
  }

  async getKey(ref: RancherKeyRef): Promise<RancherKey> {
    return (await this.http.request({ method: 'GET', path: this.keyPath(ref), schema: RancherKey })).data;
  }

  /** Creates a key; the answer is the only place its secret ever appears. Never resent. */
  async createKey(input: { projectId: string | null; name: string; description?: string }): Promise<{ key: RancherKey; secret: string }> {
    const res = await this.http.request({
      method: 'POST',
      path: this.keysPath(input.projectId),
      body: { type: 'apikey', name: input.name, description: input.description ?? '' },
      schema: RancherKey,
    });
    const secret = res.data.secretValue;
    if (!secret) throw new KeyholdError('REMOTE', 'Rancher: the new key came without its secret.');
    return { key: res.data, secret };
  }

  async editKey(ref: RancherKeyRef, input: { name?: string; description?: string }): Promise<RancherKey> {
    return (await this.http.request({ method: 'PUT', path: this.keyPath(ref), body: input, schema: RancherKey })).data;
  }

  /** Waits while the key is transitioning (registering, deactivating, ...); bounded. Null: 404. */
  async settle(ref: RancherKeyRef, timeoutMs = RANCHER_WAIT_MS): Promise<RancherKey | null> {
    const until = Date.now() + timeoutMs;
    for (let delay = 20; ; delay = Math.min(delay * 2, 500)) {
      let key: RancherKey;
      try {
        key = await this.getKey(ref);
      } catch (e) {
        if (hasStatus(e, 404)) return null;
        throw e;
      }
      if (SETTLED.has(key.state)) return key;
      if (Date.now() > until) throw new KeyholdError('REMOTE', `Rancher: key ${ref.id} is still ${key.state}.`);
      await sleep(delay);
    }
  }

  /**
   * Runs an action until the key is in `target`: an answer lost on the way, or a retry after
   * one, shows up as the state having moved already (422 ActionNotAvailable), so it reads
   * instead of resending blindly.
   */
  private async ensure(
    ref: RancherKeyRef,
    action: 'activate' | 'deactivate',
    target: 'active' | 'inactive',
    wait = true,
  ): Promise<RancherKey> {
    const moving = action === 'activate' ? 'activating' : 'deactivating';
    for (let attempt = 0; attempt < 4; attempt++) {
      try {
        const res = await this.http.request({ method: 'POST', path: this.keyPath(ref), query: { action }, schema: RancherKey });
        if (res.data.state === target || (!wait && res.data.state === moving)) return res.data;
      } catch (e) {
        if (!isTransient(e) && !hasStatus(e, 422, 409)) throw e;
        if (hasStatus(e, 409)) await sleep(50 * 2 ** attempt); // a process holds the key: give it time
      }
      const now = await this.settle(ref);
      if (!now) throw new KeyholdError('NOT_FOUND', `Rancher: key ${ref.id} no longer exists.`, { status: 404 });
      if (now.state === target) return now;
      if (now.state === 'removed')
        throw new KeyholdError(
          'REMOTE',
          `Rancher: key ${ref.id} is removed; it cannot be ${target === 'active' ? 'activated' : 'deactivated'}.`,
        );
    }
    throw new KeyholdError('REMOTE', `Rancher: key ${ref.id} did not become ${target}.`);
  }

  activate(ref: RancherKeyRef): Promise<RancherKey> {
    return this.ensure(ref, 'activate', 'active');
  }

  deactivate(ref: RancherKeyRef): Promise<RancherKey> {
    return this.ensure(ref, 'deactivate', 'inactive');
  }

  /** The action without the reconcile loop: the platform's answer as is (422 in a wrong state). */
  async action(ref: RancherKeyRef, action: 'activate' | 'deactivate' | 'remove' | 'purge'): Promise<RancherKey> {
    return (await this.http.request({ method: 'POST', path: this.keyPath(ref), query: { action }, schema: RancherKey })).data;
  }

  /** Waits until a new key is active (create answers "registering"); REMOTE if it is not. */
  async waitActive(ref: RancherKeyRef, timeoutMs = RANCHER_WAIT_MS): Promise<RancherKey> {
    const key = await this.settle(ref, timeoutMs);
    if (!key) throw new KeyholdError('REMOTE', `Rancher: key ${ref.id} vanished before it became active.`, { status: 404 });
    if (key.state !== 'active') throw new KeyholdError('REMOTE', `Rancher: key ${ref.id} is ${key.state}, not active.`);
    return key;
  }

  /**
   * Deletes a key and shows that it is gone. Rancher refuses DELETE while the key is active,
   * activating or deactivating (405) and while a process holds it (409); with
   * `deactivateFirst` it deactivates and waits for "inactive" first. After the DELETE, the key is
   * read back until it is removed and looked for in the list: still there is REMOTE.
   */
  async deleteKey(ref: RancherKeyRef, options: { deactivateFirst?: boolean; timeoutMs?: number } = {}): Promise<void> {
    const until = Date.now() + (options.timeoutMs ?? RANCHER_WAIT_MS);
    const first = await this.settle(ref, options.timeoutMs);
    if (!first || GONE.has(first.state)) return;
    if (options.deactivateFirst && first.state !== 'inactive') {
      try {
        await this.ensure(ref, 'deactivate', 'inactive');
      } catch (e) {
        if (e instanceof KeyholdError && (e.code === 'NOT_FOUND' || /is removed/.test(e.message))) return;
        throw e;
      }
    }
    for (let delay = 20; ; delay = Math.min(delay * 2, 500)) {
      try {
        await this.http.request({ method: 'DELETE', path: this.keyPath(ref), schema: z.unknown() });
        break;
      } catch (e) {
        if (hasStatus(e, 404)) return;
        if (!hasStatus(e, 405, 409, 422) || Date.now() > until) throw e;
        const now = await this.settle(ref, Math.max(0, until - Date.now()));
        if (!now || GONE.has(now.state)) return;
        // the platform's own refusal: an active key must be deactivated first
        if (now.state === 'active' && hasStatus(e, 405, 422)) throw e;
        // 409: a process holds the key; 405 while it was still deactivating: wait and try again
        await sleep(delay);
      }
    }
    await this.confirmGone(ref);
  }

  /** The truth check after a delete: GET shows it removed (or 404) and the list no longer has it. */
  private async confirmGone(ref: RancherKeyRef): Promise<void> {
    const after = await this.settle(ref);
    if (after && !GONE.has(after.state))
      throw new KeyholdError('REMOTE', `Rancher accepted the delete of key ${ref.id}, yet still shows it ${after.state}.`);
    const listed = after ? await this.findByPublicValue(ref.projectId, after.publicValue) : null;
    if (listed && listed.id === ref.id && !GONE.has(listed.state))
      throw new KeyholdError('REMOTE', `Rancher still lists key ${ref.id} (${listed.state}) after deleting it.`);
  }

  /** A real call with a key pair: does it authenticate? (a new key may still be registering) */
  async checkKeyPair(accessKey: string, secretKey: string, options: { waitMs?: number } = {}): Promise<void> {
    const http = this.client(accessKey, secretKey);
    const until = Date.now() + (options.waitMs ?? 3_000);
    for (let delay = 20; ; delay = Math.min(delay * 2, 400)) {
      try {
        await http.request({ method: 'GET', path: '/v2-beta/apikeys', query: { limit: 1 }, schema: KeyCollection });
        return;
      } catch (e) {
        if (!hasStatus(e, 401) || Date.now() > until) throw e;
      }
      await sleep(delay);
    }
  }

  /** Finds keys by access key (a lost create answer is found this way) */
  async findByPublicValue(projectId: string | null, publicValue: string): Promise<RancherKey | null> {
    const res = await this.http.request({ method: 'GET', path: this.keysPath(projectId), query: { publicValue }, schema: KeyCollection });
    return res.data.data[0] ?? null;
  }

  /** Finds keys by name (orphans of a create whose answer was lost carry the rotation's marker) */
  async findByName(projectId: string | null, name: string): Promise<RancherKey[]> {
    const res = await this.http.request({ method: 'GET', path: this.keysPath(projectId), query: { name }, schema: KeyCollection });
    return res.data.data;
  }
}

export function rancherState(state: string): RemoteKey['state'] {
  if (state === 'active' || state === 'registering' || state === 'activating' || state === 'requested') return 'active';
  if (state === 'inactive' || state === 'deactivating') return 'inactive';
  return 'revoked';
}

export function toRemote(k: RancherKey, projectId: string | null): RemoteKey {
  return {
    remoteId: k.id,
    kind: 'access_key_pair',
    name: k.name || k.publicValue,
    description: k.description ?? '',
    state: rancherState(k.state),
    environmentRemoteId: projectId,
    publicPart: k.publicValue,
    flags: {},
    secret: null,
    meta: { rancherState: k.state },
    createdAt: k.created ?? null,
  };
}
