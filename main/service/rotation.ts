// Rotation as a journaled, resumable state machine (pending operations of the vault, sealed on
// disk). Every step is written to the journal before the remote effect it leads to can be lost,
// so that a kill or a network fault at any moment resumes (or rolls back) on the next start and
// the vault always holds a credential that works:
//
//   Rancher  creating -> (POST new key) -> created{new secret} -> stored (addVersion) -> verify
//            with the new pair -> retire the old (deactivate + delete) -> done
//   GitHub   registering{new key pair} -> (POST /user/keys) -> registered -> stored -> verify
//            (GET the new key) -> delete the old -> done
//   Syncano  resetting -> (POST reset_key) -> stored -> verify -> done. Reset IS the rotation and
//            kills the old value at once, so the journal is written before the call, and a
//            resume re-reads the key's value from the platform (API and user keys are readable
//            with the account key). The account key cannot be re-read: if its reset answer is
//            lost, the op waits in 'needs_login' until `workspace connect` logs in again.
import { z } from 'zod';
import { KeyholdError, errorInfo, type ErrorInfo } from '../errors';
import { encodeOpenSshPrivateKey } from '../keys/openssh-private';
import { generateEd25519Async } from '../keys/ed25519';
import { fingerprint } from '../keys/fingerprint';
import { publicKeyLine } from '../keys/public-key';
import { hasStatus, isTransient } from '../providers/http';
import type { RancherProvider } from '../providers/rancher';
import type { KeyPatch, KeyRecord, PendingOperation, VaultSession } from '../vault/types';
import { environmentRemoteId, githubFor, keyWorkspace, rancherFor, syncanoFor, type RemoteOptions, type RemoteWorkspace } from './remote';

export const ROTATION = 'rotation';

/** Where a test may crash the process: after the named point of the journal ('answered': the
 * platform did it, the journal does not know yet). */
export const ROTATION_POINTS = ['journaled', 'answered', 'created', 'stored', 'verified', 'retired', 'recorded'] as const;
export type RotationPoint = (typeof ROTATION_POINTS)[number];

export interface RotationProgress {
  total: number;
  done: number;
  failed: number;
  keyId: string;
  ok: boolean;
}

export interface RotationResult {
  id: string;
  ok: boolean;
  /** the key's current version after the rotation */
  version?: number;
  /** true when an interrupted rotation was finished */
  resumed?: boolean;
  error?: ErrorInfo;
}

export interface RotationOptions extends RemoteOptions {
  /** rotations running at once (default 16) */
  concurrency?: number;
  onProgress?: (p: RotationProgress) => void;
  /** called after each point of the journal (tests crash the process here) */
  hook?: (point: RotationPoint, keyId: string) => void | Promise<void>;
  /** attempts per step on transient failures (default 4) */
  stepAttempts?: number;
}

export const DEFAULT_CONCURRENCY = 16;

const RancherData = z.object({
  provider: z.literal('rancher'),
  projectId: z.string().nullable(),
  oldRemoteId: z.string(),
  oldPublic: z.string(),
  oldSecret: z.string(),
  name: z.string(),
  description: z.string(),
  newRemoteId: z.string().optional(),
  newPublic: z.string().optional(),
  newSecret: z.string().optional(),
});
const SyncanoData = z.object({
  provider: z.literal('syncano'),
  kind: z.enum(['api_key', 'user_key', 'account_key']),
  instance: z.string().nullable(),
  remoteId: z.string().nullable(),
  oldSecret: z.string(),
});
const GithubData = z.object({
  provider: z.literal('github'),
  title: z.string(),
  oldRemoteId: z.string(),
  oldPublic: z.string(),
  oldSecret: z.string(),
  oldFingerprint: z.string().nullable(),
  newPrivate: z.string(),
  newPublic: z.string(),
  newFingerprint: z.string(),
  newRemoteId: z.string().optional(),
});
const RotationData = z.discriminatedUnion('provider', [RancherData, SyncanoData, GithubData]);
type RotationData = z.output<typeof RotationData>;

function parseData(op: PendingOperation): RotationData {
  const parsed = RotationData.safeParse(op.data);
  if (!parsed.success) throw new KeyholdError('INTEGRITY', `The journal of rotation ${op.id} is unreadable.`);
  return parsed.data;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Vault writes of concurrent rotations grouped into one transaction (one fsync) per turn of the
 * event loop. Each write still completes before its caller goes on to the remote call it guards.
 */
export class WriteBatcher {
  private queue: { fn: () => unknown; resolve: (v: unknown) => void; reject: (e: unknown) => void }[] = [];
  private scheduled = false;

  constructor(
    private readonly session: VaultSession,
    private readonly windowMs = 2,
  ) {}

  run<T>(fn: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setTimeout(() => this.flush(), this.windowMs);
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.queue.splice(0);
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      this.session.transaction(() => {
        for (const item of batch) {
          try {
            outcomes.push({ ok: true, value: item.fn() });
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
      });
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    batch.forEach((item, i) => {
      const o = outcomes[i]!;
      if (o.ok) item.resolve(o.value);
      else item.reject(o.error);
    });
  }
}

/** The journal entry that starts a key's rotation, written before anything happens remotely. */
async function journal(session: VaultSession, key: KeyRecord, batcher: WriteBatcher): Promise<PendingOperation> {
  const ws = keyWorkspace(session, key);
  const add = (step: string, data: RotationData) => batcher.run(() => session.addPending({ type: ROTATION, keyId: key.id, step, data }));
  if (ws.provider === 'rancher' && key.kind === 'access_key_pair') {
    if (!key.remoteId || !key.publicPart) throw new KeyholdError('USAGE', `Key ${key.id} is not linked to a Rancher key (sync the workspace first).`);
    return add('creating', {
      provider: 'rancher',
      projectId: environmentRemoteId(session, key),
      oldRemoteId: key.remoteId,
      oldPublic: key.publicPart,
      oldSecret: session.readSecret(key.id),
      name: key.name,
      description: key.description,
    });
  }
  if (ws.provider === 'syncano' && (key.kind === 'api_key' || key.kind === 'user_key' || key.kind === 'account_key')) {
    if (key.kind === 'account_key' && ws.credentialKeyId !== key.id) throw new KeyholdError('USAGE', `Key ${key.id} is not the account key that manages workspace ${ws.name}.`);
    if (key.kind !== 'account_key' && (!key.remoteId || !key.environmentId)) throw new KeyholdError('USAGE', `Key ${key.id} is not linked to a Syncano key (sync the workspace first).`);
    return add('resetting', { provider: 'syncano', kind: key.kind, instance: environmentRemoteId(session, key), remoteId: key.remoteId, oldSecret: session.readSecret(key.id) });
  }
  if (ws.provider === 'github' && key.kind === 'ssh_key_pair') {
    if (!key.remoteId || !key.publicPart) throw new KeyholdError('USAGE', `Key ${key.id} is not registered on GitHub.`);
    const comment = key.meta.comment ?? '';
    const fresh = await generateEd25519Async(comment);
    return add('registering', {
      provider: 'github',
      title: key.name,
      oldRemoteId: key.remoteId,
      oldPublic: key.publicPart,
      oldSecret: session.readSecret(key.id),
      oldFingerprint: key.fingerprint,
      newPrivate: encodeOpenSshPrivateKey(fresh),
      newPublic: publicKeyLine(fresh.publicKey, comment),
      newFingerprint: fingerprint(fresh.publicKey),
    });
  }
  if (ws.provider === 'encord') {
    throw new KeyholdError('USAGE', 'Encord keys are registered by hand: create a new key pair (key create), register it, then revoke the old one.');
  }
  throw new KeyholdError('USAGE', `A ${key.kind} of ${ws.provider} cannot be rotated.`);
}

class Runner {
  /** a step failed in a way that leaves the remote outcome unknown (re-read before redoing) */
  private uncertain: boolean;

  constructor(
    private readonly session: VaultSession,
    private op: PendingOperation,
    private readonly opts: RotationOptions,
    resumed: boolean,
    private readonly batcher: WriteBatcher,
    private readonly shared: { managers: Map<string, RancherProvider> } = { managers: new Map() },
  ) {
    this.uncertain = resumed;
  }

  private get keyId(): string {
    return this.op.keyId!;
  }

  private async hook(point: RotationPoint): Promise<void> {
    await this.opts.hook?.(point, this.keyId);
  }

  private update(step: string, data: RotationData): void {
    this.op = this.session.updatePending(this.op.id, step, data);
  }

  /** The new secret becomes the key's current version and the journal says 'stored', at once. */
  private async store(data: RotationData, secret: string, patch: KeyPatch = {}): Promise<void> {
    await this.batcher.run(() => {
      this.session.addVersion(this.keyId, secret, patch);
      this.update('stored', data);
    });
    if (this.ws && this.ws.credentialKeyId === this.keyId) this.shared.managers.delete(this.ws.id);
  }

  private async finish(detail: string): Promise<void> {
    await this.batcher.run(() => {
      const key = this.session.getKey(this.keyId);
      if (key.remoteMissing || key.state !== 'active') this.session.updateKey(key.id, { remoteMissing: false, state: 'active' });
      this.session.audit({ action: 'rotated', keyId: key.id, workspaceId: key.workspaceId, detail });
      this.session.removePending(this.op.id);
    });
    this.closed = true;
  }

  /** the op left the journal (done, rolled back or refused): nothing to retry */
  private closed = false;

  private abandon(): void {
    this.session.removePending(this.op.id);
    this.closed = true;
  }

  /** Drives the op to its end; transient failures retry the step (each step is safe to redo). */
  async run(): Promise<void> {
    const attempts = this.opts.stepAttempts ?? 4;
    let failures = 0;
    for (;;) {
      try {
        const finished = await this.step();
        if (finished) return;
        failures = 0;
      } catch (e) {
        if (this.closed || !isTransient(e) || ++failures >= attempts) throw e;
        this.uncertain = true;
        await sleep(50 * 2 ** failures + Math.random() * 50);
      }
    }
  }

  /** the key's workspace, read once per runner */
  private ws: RemoteWorkspace | undefined;

  /** One step; true when the rotation is over. */
  private async step(): Promise<boolean> {
    const data = parseData(this.op);
    const ws = (this.ws ??= keyWorkspace(this.session, this.session.getKey(this.keyId)));
    switch (data.provider) {
      case 'rancher':
        return this.rancher(data, ws);
      case 'syncano':
        return this.syncano(data, ws);
      case 'github':
        return this.github(data, ws);
    }
  }

  private async rancher(data: z.output<typeof RancherData>, ws: RemoteWorkspace): Promise<boolean> {
    // one provider per workspace for the whole batch, rebuilt after its credential is rotated
    const rancher = () => {
      let p = this.shared.managers.get(ws.id);
      if (!p) this.shared.managers.set(ws.id, (p = rancherFor(this.session, ws, this.opts)));
      return p;
    };
    switch (this.op.step) {
      case 'creating': {
        if (this.uncertain) {
          // a create whose answer was lost left a key we have no secret for: remove it first
          // (a key that any vault key or journal entry knows is never an orphan)
          const since = Date.parse(this.op.createdAt) - 60_000;
          const candidates = (await rancher().findByName(data.projectId, data.name)).filter(
            (k) => k.id !== data.oldRemoteId && k.state !== 'removed' && k.state !== 'purged' && Boolean(k.created) && Date.parse(k.created!) >= since,
          );
          if (candidates.length) {
            const known = new Set<string>();
            for (const k of this.session.listKeys({ workspaceId: ws.id }).items) if (k.remoteId) known.add(k.remoteId);
            for (const op of this.session.listPending(ROTATION)) {
              const d = RancherData.safeParse(op.data);
              if (d.success && d.data.newRemoteId) known.add(d.data.newRemoteId);
            }
            for (const k of candidates.filter((c) => !known.has(c.id))) await rancher().deleteKey({ id: k.id, projectId: data.projectId }, { deactivateFirst: true });
          }
          this.uncertain = false;
        }
        let created;
        try {
          created = await rancher().createKey({ projectId: data.projectId, name: data.name, description: data.description });
        } catch (e) {
          if (!isTransient(e)) {
            this.abandon(); // refused outright: nothing changed, the old key stays
          }
          throw e;
        }
        await this.hook('answered');
        // the shown-once secret goes into the journal and the vault in one transaction
        const next = { ...data, newRemoteId: created.key.id, newPublic: created.key.publicValue, newSecret: created.secret };
        await this.store(next, created.secret, { publicPart: next.newPublic, remoteId: next.newRemoteId });
        await this.hook('created');
        await this.hook('stored');
        return false;
      }
      case 'created': {
        // journals written before the store and the journal entry were one transaction
        await this.store(data, data.newSecret!, { publicPart: data.newPublic!, remoteId: data.newRemoteId! });
        await this.hook('stored');
        return false;
      }
      case 'stored': {
        try {
          await rancher().checkKeyPair(data.newPublic!, data.newSecret!, { waitMs: 5_000 });
        } catch (e) {
          if (!hasStatus(e, 401)) throw e;
          await this.rollbackRancher(data, ws);
          throw new KeyholdError('REMOTE', 'Rancher: the new key did not authenticate; the old key was kept.', { status: 401 });
        }
        await this.hook('verified');
        // the manager's credential is read now: if this key manages the workspace, it is the new one
        await rancher().deleteKey({ id: data.oldRemoteId, projectId: data.projectId }, { deactivateFirst: true });
        await this.hook('retired');
        await this.finish(`rotated: new access key ${data.newPublic}, old ${data.oldPublic} deactivated and deleted`);
        await this.hook('recorded');
        return true;
      }
      case 'rolling_back':
        await this.rollbackRancher(data, ws);
        throw new KeyholdError('REMOTE', 'Rancher: the rotation was rolled back; the old key was kept.', { status: 401 });
      default:
        throw new KeyholdError('INTEGRITY', `Unknown rotation step ${this.op.step}.`);
    }
  }

  private async rollbackRancher(data: z.output<typeof RancherData>, ws: RemoteWorkspace): Promise<void> {
    if (this.op.step !== 'rolling_back') {
      this.session.transaction(() => {
        this.session.addVersion(this.keyId, data.oldSecret, { publicPart: data.oldPublic, remoteId: data.oldRemoteId });
        this.update('rolling_back', data);
      });
    }
    if (data.newRemoteId) await rancherFor(this.session, ws, this.opts).deleteKey({ id: data.newRemoteId, projectId: data.projectId }, { deactivateFirst: true });
    this.abandon();
  }

  private async syncano(data: z.output<typeof SyncanoData>, ws: RemoteWorkspace): Promise<boolean> {
    const syncano = () => syncanoFor(this.session, ws, this.opts);
    const store = async (value: string) => {
      await this.store(data, value);
      await this.hook('stored');
    };
    /** the key's value on the platform now */
    const remoteValue = async (): Promise<string | null> => {
      if (data.kind === 'api_key') return (await syncano().getApiKey(data.instance!, data.remoteId!)).api_key;
      if (data.kind === 'user_key') return (await syncano().getUser(data.instance!, data.remoteId!)).user_key;
      return null;
    };
    switch (this.op.step) {
      case 'resetting': {
        if (this.uncertain) {
          this.uncertain = false;
          if (data.kind === 'account_key') {
            try {
              await syncano().check();
            } catch (e) {
              if (!hasStatus(e, 403)) throw e;
              // the reset happened and its answer is lost: only a login can fetch the new key
              this.update('needs_login', data);
              throw needsLogin(ws.name);
            }
          } else {
            const now = await remoteValue();
            if (now && now !== data.oldSecret) {
              if (now !== this.storedSecret()) await store(now);
              else {
                this.update('stored', data);
                await this.hook('stored');
              }
              return false;
            }
          }
        }
        let value: string;
        if (data.kind === 'api_key') value = (await syncano().resetApiKey(data.instance!, data.remoteId!)).api_key;
        else if (data.kind === 'user_key') value = (await syncano().resetUserKey(data.instance!, data.remoteId!)).user_key;
        else value = await syncano().resetAccountKey();
        await this.hook('answered');
        await store(value);
        return false;
      }
      case 'stored': {
        const stored = this.storedSecret();
        try {
          if (data.kind === 'api_key') await syncano().checkApiKey(data.instance!, stored);
          else if (data.kind === 'user_key') {
            if ((await remoteValue()) !== stored) throw new KeyholdError('REMOTE', 'Syncano: the user key changed on the platform.', { status: 403 });
          } else await syncano().check();
        } catch (e) {
          if (!hasStatus(e, 403) || data.kind === 'account_key') throw e;
          // the platform has another value than the vault: re-read it
          this.update('resetting', data);
          this.uncertain = true;
          return false;
        }
        await this.hook('verified');
        await this.hook('retired'); // reset already retired the old value
        await this.finish('rotated: key reset on Syncano, the old value no longer works');
        await this.hook('recorded');
        return true;
      }
      case 'needs_login':
        throw needsLogin(ws.name);
      default:
        throw new KeyholdError('INTEGRITY', `Unknown rotation step ${this.op.step}.`);
    }
  }

  private storedSecret(): string {
    return this.session.readSecret(this.keyId);
  }

  private async github(data: z.output<typeof GithubData>, ws: RemoteWorkspace): Promise<boolean> {
    const github = () => githubFor(this.session, ws, this.opts);
    switch (this.op.step) {
      case 'registering': {
        let registered = this.uncertain ? await github().findByKey(data.newPublic) : null;
        this.uncertain = false;
        if (!registered) {
          try {
            registered = await github().registerKey(data.title, data.newPublic);
          } catch (e) {
            if (!isTransient(e)) this.abandon();
            throw e;
          }
          await this.hook('answered');
        }
        const next = { ...data, newRemoteId: String(registered.id) };
        await this.store(next, data.newPrivate, { publicPart: data.newPublic, fingerprint: data.newFingerprint, remoteId: next.newRemoteId });
        await this.hook('created');
        await this.hook('stored');
        return false;
      }
      case 'stored': {
        try {
          await github().getKey(data.newRemoteId!);
        } catch (e) {
          if (!hasStatus(e, 404)) throw e;
          // the new registration is gone: go back to the old key, which is still registered
          this.session.transaction(() => {
            this.session.addVersion(this.keyId, data.oldSecret, { publicPart: data.oldPublic, fingerprint: data.oldFingerprint, remoteId: data.oldRemoteId });
            this.abandon();
          });
          throw new KeyholdError('REMOTE', 'GitHub: the new key vanished after registration; the old key was kept.', { status: 404 });
        }
        await this.hook('verified');
        try {
          await github().deleteKey(data.oldRemoteId);
        } catch (e) {
          if (!hasStatus(e, 404)) throw e;
        }
        await this.hook('retired');
        await this.finish(`rotated: new key ${data.newFingerprint} registered, old ${data.oldFingerprint ?? ''} deleted`);
        await this.hook('recorded');
        return true;
      }
      default:
        throw new KeyholdError('INTEGRITY', `Unknown rotation step ${this.op.step}.`);
    }
  }
}

function needsLogin(workspace: string): KeyholdError {
  return new KeyholdError(
    'REMOTE',
    `Syncano: the account key was reset but the answer was lost; run \`keyhold workspace connect ${workspace} --email ...\` to log in and fetch the new key.`,
    { status: 403 },
  );
}

function errorOf(e: unknown): ErrorInfo {
  return errorInfo(e, 'Keyhold hit an internal error during the rotation.');
}

/** Keys being rotated by this process, per vault session: one runner per key at a time. */
const running = new WeakMap<VaultSession, Set<string>>();

/** Runs tasks with at most `limit` at once. */
async function pool<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await fn(item);
    }
  });
  await Promise.all(workers);
}

function currentVersion(session: VaultSession, keyId: string): number | undefined {
  return session.listVersions(keyId).find((v) => v.current)?.version;
}

/**
 * Rotates keys with bounded concurrency; a key with an interrupted rotation finishes that one
 * instead of starting another. Never throws for one key's failure: each key gets a result.
 */
export async function rotateKeys(session: VaultSession, ids: string[], opts: RotationOptions = {}): Promise<RotationResult[]> {
  const pending = new Map(session.listPending(ROTATION).map((op) => [op.keyId, op]));
  const unique = [...new Set(ids)];
  const results = new Map<string, RotationResult>();
  let done = 0;
  let failed = 0;
  const batcher = new WriteBatcher(session);
  const shared = { managers: new Map<string, RancherProvider>() };
  const busy = running.get(session) ?? new Set<string>();
  running.set(session, busy);

  const rotateOne = async (id: string): Promise<RotationResult> => {
    const key = session.getKey(id);
    const existing = pending.get(key.id);
    const op = existing ?? (await journal(session, key, batcher));
    if (!existing) await opts.hook?.('journaled', key.id);
    await new Runner(session, op, opts, Boolean(existing), batcher, shared).run();
    return { id: key.id, ok: true, version: currentVersion(session, key.id), ...(existing ? { resumed: true } : {}) };
  };

  await pool(unique, opts.concurrency ?? DEFAULT_CONCURRENCY, async (id) => {
    let result: RotationResult;
    if (busy.has(id)) {
      result = { id, ok: false, error: { code: 'CONFLICT', message: `A rotation of key ${id} is already running.` } };
    } else {
      busy.add(id);
      try {
        result = await rotateOne(id);
      } catch (e) {
        result = { id, ok: false, error: errorOf(e) };
      } finally {
        busy.delete(id);
      }
    }
    results.set(id, result);
    done++;
    if (!result.ok) failed++;
    opts.onProgress?.({ total: unique.length, done, failed, keyId: id, ok: result.ok });
  });
  return unique.map((id) => results.get(id)!);
}

export async function rotateKey(session: VaultSession, id: string, opts: RotationOptions = {}): Promise<RotationResult> {
  return (await rotateKeys(session, [id], opts))[0]!;
}

/** Finishes or rolls back every interrupted rotation (on unlock and before remote commands). */
export async function resumeRotations(session: VaultSession, opts: RotationOptions & { except?: readonly string[] } = {}): Promise<RotationResult[]> {
  const except = new Set(opts.except ?? []);
  const ops = session.listPending(ROTATION).filter((op) => op.keyId && op.step !== 'needs_login' && !except.has(op.keyId));
  if (!ops.length) return [];
  return rotateKeys(
    session,
    ops.map((op) => op.keyId!),
    opts,
  );
}

/** Counts for a batch of results (IPC and CLI print the same). */
export function rotationSummary(results: RotationResult[]): { rotated: number; failed: number; results: RotationResult[] } {
  return { rotated: results.filter((r) => r.ok).length, failed: results.filter((r) => !r.ok).length, results };
}

/** What is waiting in the journal (for the UI and `key rotate` output). */
export function pendingRotations(session: VaultSession): { id: string; keyId: string | null; step: string; createdAt: string }[] {
  return session.listPending(ROTATION).map((op) => ({ id: op.id, keyId: op.keyId, step: op.step, createdAt: op.createdAt }));
}

/** After a Syncano login stored the current account key: an op stuck in needs_login is over. */
export function settleAfterLogin(session: VaultSession, keyId: string): void {
  for (const op of session.listPending(ROTATION)) {
    if (op.keyId !== keyId || (op.step !== 'needs_login' && op.step !== 'resetting')) continue;
    session.transaction(() => {
      session.audit({ action: 'rotated', keyId, workspaceId: session.getKey(keyId).workspaceId, detail: 'rotated: account key reset on Syncano, fetched again by logging in' });
      session.removePending(op.id);
    });
  }
}
