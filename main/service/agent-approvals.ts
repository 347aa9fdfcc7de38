// The desktop's answers to the agent: a confirm key's signature waits for the user's choice in a
// dialog (Allow once / Allow until lock / Deny), and a request while locked asks to unlock. Both
// wait a bounded time and then refuse, so a forgotten dialog never holds a client forever.
import { randomUUID } from 'node:crypto';
import type { ApprovalRequest } from '../agent/policy';

export const APPROVAL_CHOICES = ['once', 'untilLock', 'deny'] as const;
export type ApprovalChoice = (typeof APPROVAL_CHOICES)[number];

export interface PendingApproval extends ApprovalRequest {
  id: string;
}

export class AgentApprovals {
  private readonly pending = new Map<string, { request: PendingApproval; answer: (c: ApprovalChoice) => void }>();
  /** "allow until lock" grants: key, program and forwarding, as 1Password remembers per app */
  private readonly granted = new Set<string>();

  constructor(
    private readonly notify: (request: PendingApproval) => void,
    private readonly timeoutMs = 60_000,
    /** the request is settled (answered, timed out, vault locked): its dialog closes */
    private readonly closed: (id: string) => void = () => undefined,
  ) {}

  private static grantKey(r: ApprovalRequest): string {
    return JSON.stringify([r.keyFingerprint, r.program ?? '', r.forwarded]);
  }

  /** The approver the agent calls for a confirm key. */
  readonly approve = (request: ApprovalRequest): Promise<boolean> => {
    if (this.granted.has(AgentApprovals.grantKey(request))) return Promise.resolve(true);
    const id = randomUUID();
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => finish('deny'), this.timeoutMs);
      timer.unref?.();
      const finish = (choice: ApprovalChoice): void => {
        if (!this.pending.delete(id)) return;
        clearTimeout(timer);
        if (choice === 'untilLock') this.granted.add(AgentApprovals.grantKey(request));
        this.closed(id);
        resolve(choice !== 'deny');
      };
      const pending: PendingApproval = { ...request, id };
      this.pending.set(id, { request: pending, answer: finish });
      this.notify(pending);
    });
  };

  /** The user's answer; false when the request is gone (answered, timed out). */
  answer(id: string, choice: ApprovalChoice): boolean {
    const p = this.pending.get(id);
    if (!p) return false;
    p.answer(choice);
    return true;
  }

  /** Requests still waiting (a renderer that reloads asks again). */
  waiting(): PendingApproval[] {
    return [...this.pending.values()].map((p) => p.request);
  }

  /** On lock: the "until lock" grants end and waiting requests are refused. */
  vaultLocked(): void {
    this.granted.clear();
    for (const p of [...this.pending.values()]) p.answer('deny');
  }
}

/** A request while locked waits for an unlock, at most `timeoutMs`. */
export class UnlockWaiter {
  private waiters: Array<() => void> = [];

  constructor(
    private readonly isUnlocked: () => boolean,
    private readonly notify: (request: { keyFingerprint: string; comment: string }) => void,
    private readonly timeoutMs = 30_000,
  ) {}

  readonly request = (request: { keyFingerprint: string; comment: string }): Promise<boolean> => {
    if (this.isUnlocked()) return Promise.resolve(true);
    this.notify(request);
    return new Promise<boolean>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== done);
        resolve(this.isUnlocked());
      };
      const timer = setTimeout(done, this.timeoutMs);
      timer.unref?.();
      this.waiters.push(done);
    });
  };

  /** Call after an unlock: every waiting request goes on. */
  unlocked(): void {
    for (const w of [...this.waiters]) w();
  }
}
