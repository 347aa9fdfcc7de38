// What the rotation engine and each platform's rotation strategy share: the journal's names, the
// options and results of a run, and the context a strategy drives its steps through. A strategy
// owns its steps (a literal union, checked exhaustively) and its journal data (a zod schema); the
// engine owns the journal itself, retries, resume, concurrency and progress.
import type { z } from 'zod';
import { KeyholdError, type ErrorInfo } from '../../errors';
import { isTransient } from '../../providers/http';
import type { RemoteProvider } from '../../providers/types';
import type { KeyPatch, KeyRecord, PendingOperation, VaultSession } from '../../vault/types';
import type { RemoteOptions, RemoteWorkspace } from '../remote';

/** The pending-operation type of a rotation. */
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

/** A journal entry's data: the platform's own fields, and which platform it is. */
export type JournalData = Record<string, unknown> & { provider: RemoteProvider };

/** What the engine lends a strategy while it drives one key's rotation. */
export interface RotationContext {
  readonly session: VaultSession;
  readonly ws: RemoteWorkspace;
  readonly keyId: string;
  /** the journal entry as it is now */
  readonly op: PendingOperation;
  readonly opts: RotationOptions;
  /** the same object for every key of one run (strategies cache clients per run with it) */
  readonly batch: object;
  /** a step failed in a way that leaves the remote outcome unknown (re-read before redoing) */
  uncertain: boolean;
  hook(point: RotationPoint): Promise<void>;
  /** moves the journal to another step (in the caller's transaction, if any) */
  update(step: string, data: JournalData): void;
  /** the new secret becomes the key's current version and the journal moves to `step`, at once */
  store(step: string, data: JournalData, secret: string, patch?: KeyPatch): Promise<void>;
  /** the rotation is over: audited, journal entry removed */
  finish(detail: string): Promise<void>;
  /** the entry leaves the journal without a rotation (refused or rolled back) */
  abandon(): void;
}

/** A platform's rotation: the entry that starts it, and one step at a time after that. */
export interface RotationStrategy {
  readonly provider: RemoteProvider;
  /** steps that only a user action ends (resume leaves them alone) */
  readonly waiting: readonly string[];
  /** the first journal entry, written before anything happens remotely; null: this kind cannot be rotated */
  begin(session: VaultSession, key: KeyRecord, ws: RemoteWorkspace): Promise<{ step: string; data: JournalData } | null>;
  /** one step; true when the rotation is over */
  step(ctx: RotationContext): Promise<boolean>;
}

/** Reads a journal entry with the strategy's schema; a damaged or unknown entry is INTEGRITY. */
export function readJournal<T>(schema: z.ZodType<T>, provider: RemoteProvider, op: PendingOperation): T {
  const parsed = schema.safeParse({ provider, step: op.step, data: op.data });
  if (!parsed.success) throw new KeyholdError('INTEGRITY', `The journal of rotation ${op.id} is unreadable.`);
  return parsed.data;
}

/** The default of an exhaustive switch over a strategy's steps: a new step is a compile error. */
export function unknownStep(step: never): never {
  throw new KeyholdError('INTEGRITY', `Unknown rotation step ${String(step)}.`);
}

/**
 * The frame of every strategy's "make the new credential" step: after an attempt whose answer was
 * lost, first clear what it may have made (`recover`); then create, and on an outright refusal
 * abandon the rotation (nothing changed on the platform: the old key stays, see docs/ARCHITECTURE.md).
 */
export async function createNew<T>(ctx: RotationContext, recover: () => Promise<void>, create: () => Promise<T>): Promise<T> {
  if (ctx.uncertain) {
    await recover();
    ctx.uncertain = false;
  }
  try {
    return await create();
  } catch (e) {
    if (!isTransient(e)) ctx.abandon();
    throw e;
  }
}
