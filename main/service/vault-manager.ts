// The desktop app's one vault: locked or unlocked, auto-locked after an idle time (setting
// autoLockMinutes, default 10), on system suspend / screen lock, and on request. Every call
// through the manager counts as activity.
import { existsSync } from 'node:fs';
import type { LockReason, VaultStateName as VaultState } from '../api/constants';
import { KeyholdError } from '../errors';
import { createVault, openVault, type CreateVaultOptions, type SeenRecords } from '../vault';
import type { VaultSession } from '../vault/types';
import type { ServiceContext } from './context';
import { autoLockMinutes } from './vault-settings';

export type { LockReason, VaultState };

export class VaultManager {
  private current: VaultSession | null = null;
  private idleTimer: NodeJS.Timeout | undefined;
  private readonly unsubscribe: () => void;
  private readonly unlockHooks: Array<(s: VaultSession) => void | Promise<void>> = [];
  private readonly lockHooks: Array<(closing: VaultSession) => (() => void) | void> = [];
  private readonly disposeHooks: Array<() => void> = [];
  /** an unlock in progress, so two clicks do not derive twice */
  private opening: Promise<VaultSession> | null = null;

  constructor(private readonly ctx: ServiceContext) {
    this.unsubscribe = ctx.platform.system.onSystemLock((reason) => this.lock(reason));
  }

  get path(): string {
    return this.ctx.vaultPath;
  }

  status(): { state: VaultState; path: string } {
    const state: VaultState = this.current ? 'unlocked' : existsSync(this.ctx.vaultPath) ? 'locked' : 'absent';
    return { state, path: this.ctx.vaultPath };
  }

  async create(password: string, options: CreateVaultOptions = {}): Promise<VaultSession> {
    if (this.current) throw new KeyholdError('CONFLICT', 'A vault is already open.');
    return this.adopt(createVault(this.ctx.vaultPath, password, { ...options, seen: this.seen() }));
  }

  async unlock(password: string, options: { acceptRollback?: boolean } = {}): Promise<VaultSession> {
    if (this.current) {
      this.activity();
      return this.current;
    }
    return this.adopt(openVault(this.ctx.vaultPath, password, {}, this.seen(options.acceptRollback)));
  }

  /** This computer's rollback records (rollback-record.ts), when the app has a config folder. */
  private seen(acceptRollback = false): SeenRecords | undefined {
    return this.ctx.configDir === undefined ? undefined : { dir: this.ctx.configDir, acceptRollback };
  }

  private async adopt(opening: Promise<VaultSession>): Promise<VaultSession> {
    if (this.opening) throw new KeyholdError('CONFLICT', 'The vault is already being opened.');
    this.opening = opening;
    try {
      const session = await opening;
      this.current = session;
      try {
        session.audit({ action: 'unlocked' });
      } catch {
        /* an audit failure must not keep the user out */
      }
      this.activity();
      // follow-up work of other domains (resuming rotations) runs after the unlock answers and
      // never undoes it
      for (const hook of this.unlockHooks)
        void Promise.resolve()
          .then(() => hook(session))
          .catch(() => undefined);
      return session;
    } finally {
      this.opening = null;
    }
  }

  /** Runs after every unlock and create (e.g. resuming pending rotations). Returns an unsubscribe. */
  onUnlock(fn: (s: VaultSession) => void | Promise<void>): () => void {
    this.unlockHooks.push(fn);
    return () => {
      const i = this.unlockHooks.indexOf(fn);
      if (i >= 0) this.unlockHooks.splice(i, 1);
    };
  }

  /**
   * Runs at every lock with the session still open (to keep what may outlive it, nothing secret);
   * the function it may return runs once the session is closed. Returns an unsubscribe.
   */
  onLock(fn: (closing: VaultSession) => (() => void) | void): () => void {
    this.lockHooks.push(fn);
    return () => {
      const i = this.lockHooks.indexOf(fn);
      if (i >= 0) this.lockHooks.splice(i, 1);
    };
  }

  /** The unlocked session without counting as activity (the SSH agent's requests keep no vault open), or null. */
  peek(): VaultSession | null {
    return this.current;
  }

  /** The unlocked session (counts as activity), or LOCKED. */
  session(): VaultSession {
    if (!this.current) throw new KeyholdError('LOCKED', 'The vault is locked.');
    this.activity();
    return this.current;
  }

  /** Restarts the idle timer (also after the auto-lock setting changes). */
  activity(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    if (!this.current) return;
    const minutes = autoLockMinutes(this.current);
    if (minutes <= 0) return; // 0 = never
    this.idleTimer = setTimeout(() => this.lock('idle'), Math.min(minutes * 60_000, 2 ** 31 - 1));
    this.idleTimer.unref?.();
  }

  lock(reason: LockReason = 'explicit'): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    const s = this.current;
    this.current = null;
    if (!s) return;
    const after: Array<() => void> = [];
    for (const hook of this.lockHooks) {
      try {
        const then = hook(s);
        if (then) after.push(then);
      } catch {
        /* a hook failing must not keep the vault open */
      }
    }
    s.lock();
    for (const then of after) {
      try {
        then();
      } catch {
        /* as above */
      }
    }
    this.ctx.emit('vault.locked', { reason });
  }

  /** Locks and stops listening (app quit, tests). */
  /** Runs once when the manager is disposed (the app or a harness closing): servers it feeds stop. */
  onDispose(fn: () => void): void {
    this.disposeHooks.push(fn);
  }

  dispose(): void {
    this.lock('explicit');
    this.unsubscribe();
    for (const hook of this.disposeHooks.splice(0)) hook();
  }
}
