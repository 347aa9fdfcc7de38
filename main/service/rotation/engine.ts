// Rotation as a journaled, resumable state machine (pending operations of the vault, sealed on
// disk). Every step is written to the journal before the remote effect it leads to can be lost,
// so that a kill or a network fault at any moment resumes (or rolls back) on the next start and
// the vault always holds a credential that works. The steps are each platform's (its
// RotationStrategy, registered with the platform in ../platforms); this driver owns the journal,
// retries of transient failures, resume, concurrency and progress.
import { KeyholdError, errorInfo, type ErrorInfo } from '../../errors';
import { isTransient } from '../../providers/http';
import type { KeyPatch, KeyRecord, PendingOperation, VaultSession } from '../../vault/types';
import { PLATFORMS, platformOf } from '../platforms';
import { keyWorkspace, type RemoteWorkspace } from '../remote';
import {
  ROTATION,
  type JournalData,
  type RotationContext,
  type RotationOptions,
  type RotationPoint,
  type RotationResult,
  type RotationStrategy,
} from './journal';
import { WriteBatcher } from './write-batcher';

export const DEFAULT_CONCURRENCY = 16;

/** Steps that wait for the user, whichever platform's (resume leaves them alone). */
const WAITING = new Set(Object.values(PLATFORMS).flatMap((p) => ('waiting' in p.rotation ? p.rotation.waiting : [])));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function strategyOf(ws: RemoteWorkspace): RotationStrategy {
  const rotation = platformOf(ws).rotation;
  if (!('step' in rotation)) throw new KeyholdError('USAGE', rotation.refused);
  return rotation;
}

/** The journal entry that starts a key's rotation, written before anything happens remotely. */
async function journal(session: VaultSession, key: KeyRecord, batcher: WriteBatcher): Promise<PendingOperation> {
  const ws = keyWorkspace(session, key);
  const first = await strategyOf(ws).begin(session, key, ws);
  if (!first) throw new KeyholdError('USAGE', `A ${key.kind} of ${ws.provider} cannot be rotated.`);
  return batcher.run(() => session.addPending({ type: ROTATION, keyId: key.id, step: first.step, data: first.data }));
}

/** One key's rotation driven to its end: the context its strategy's steps run in. */
class Runner implements RotationContext {
  uncertain: boolean;
  readonly ws: RemoteWorkspace;
  private readonly strategy: RotationStrategy;
  /** the op left the journal (done, rolled back or refused): nothing to retry */
  private closed = false;

  constructor(
    readonly session: VaultSession,
    readonly keyId: string,
    public op: PendingOperation,
    readonly opts: RotationOptions,
    resumed: boolean,
    private readonly batcher: WriteBatcher,
    readonly batch: object,
  ) {
    this.uncertain = resumed;
    this.ws = keyWorkspace(session, session.getKey(this.keyId));
    this.strategy = strategyOf(this.ws);
  }

  async hook(point: RotationPoint): Promise<void> {
    await this.opts.hook?.(point, this.keyId);
  }

  update(step: string, data: JournalData): void {
    this.op = this.session.updatePending(this.op.id, step, data);
  }

  async store(step: string, data: JournalData, secret: string, patch: KeyPatch = {}): Promise<void> {
    // one savepoint: a new version is never stored without the journal step that records it
    await this.batcher.run(() =>
      this.session.transaction(() => {
        this.session.addVersion(this.keyId, secret, patch);
        this.update(step, data);
      }),
    );
  }

  async finish(detail: string): Promise<void> {
    await this.batcher.run(() => {
      const key = this.session.getKey(this.keyId);
      if (key.remoteMissing || key.state !== 'active') this.session.updateKey(key.id, { remoteMissing: false, state: 'active' });
      this.session.audit({ action: 'rotated', keyId: key.id, workspaceId: key.workspaceId, detail });
      this.session.removePending(this.op.id);
    });
    this.closed = true;
  }

  abandon(): void {
    this.session.removePending(this.op.id);
    this.closed = true;
  }

  /** Drives the op to its end; transient failures retry the step (each step is safe to redo). */
  async run(): Promise<void> {
    const attempts = this.opts.stepAttempts ?? 4;
    let failures = 0;
    for (;;) {
      try {
        const finished = await this.strategy.step(this);
        if (finished) return;
        failures = 0;
      } catch (e) {
        if (this.closed || !isTransient(e) || ++failures >= attempts) throw e;
        this.uncertain = true;
        await sleep(50 * 2 ** failures + Math.random() * 50);
      }
    }
  }
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
  const batch = {};
  const busy = running.get(session) ?? new Set<string>();
  running.set(session, busy);

  const rotateOne = async (id: string): Promise<RotationResult> => {
    const key = session.getKey(id);
    const existing = pending.get(key.id);
    const op = existing ?? (await journal(session, key, batcher));
    if (!existing) await opts.hook?.('journaled', key.id);
    await new Runner(session, key.id, op, opts, Boolean(existing), batcher, batch).run();
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
export async function resumeRotations(
  session: VaultSession,
  opts: RotationOptions & { except?: readonly string[] } = {},
): Promise<RotationResult[]> {
  const except = new Set(opts.except ?? []);
  const ids = session.listPending(ROTATION).flatMap((op) => (op.keyId && !WAITING.has(op.step) && !except.has(op.keyId) ? [op.keyId] : []));
  if (!ids.length) return [];
  return rotateKeys(session, ids, opts);
}

/** Counts for a batch of results (IPC and CLI print the same). */
export function rotationSummary(results: RotationResult[]): { rotated: number; failed: number; results: RotationResult[] } {
  return { rotated: results.filter((r) => r.ok).length, failed: results.filter((r) => !r.ok).length, results };
}

/** What is waiting in the journal (for the UI and `key rotate` output). */
export function pendingRotations(
  session: VaultSession,
): { id: string; keyId: string | null; step: string; createdAt: string; waiting: boolean }[] {
  return session
    .listPending(ROTATION)
    .map((op) => ({ id: op.id, keyId: op.keyId, step: op.step, createdAt: op.createdAt, waiting: WAITING.has(op.step) }));
}
