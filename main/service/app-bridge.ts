// The desktop app's side of the CLI socket (docs/SECURITY.md "The CLI through the running app"):
// the socket (main/bridge/server.ts) runs while the app is open, on the app's own VaultManager,
// and each new calling program is put to the user: main sends `bridge.approval.requested` to the
// renderer, brings the window to the front, and waits for `bridge.answer`. No answer within the
// time limit is a refusal; a lock refuses every question still open. No electron here: it runs in
// Node tests with a fake renderer.
import { randomUUID } from 'node:crypto';
import type { BridgeApprovalRequest } from '../api/bridge';
import { maskedCommandLine } from '../bridge/command-line';
import { startAppBridge, type AppBridge, type Approval, type ApprovalRequest } from '../bridge/server';
import { appSocketPath } from '../bridge/socket-path';
import type { CommandModule } from '../cli/program';
import type { ServiceContext } from './context';
import type { VaultManager } from './vault-manager';

/** How long a question waits for the user before it counts as "deny". */
export const APPROVAL_TIMEOUT_MS = 60_000;

type CloseReason = 'answered' | 'timeout' | 'locked';

export interface BridgeApprovals {
  /** puts the request to the user; resolves with the answer, or 'deny' after the time limit */
  approve(request: ApprovalRequest): Promise<Approval>;
  /** the renderer's answer; false when that question is no longer open */
  answer(id: string, answer: Approval): boolean;
  /** refuses every open question (the vault locked, the app quits) */
  refuseAll(reason: Exclude<CloseReason, 'answered'>): void;
}

export function createBridgeApprovals(ctx: ServiceContext, options: { timeoutMs?: number } = {}): BridgeApprovals {
  const timeoutMs = options.timeoutMs ?? APPROVAL_TIMEOUT_MS;
  const open = new Map<string, { settle: (a: Approval) => void; timer: NodeJS.Timeout }>();

  const close = (id: string, answer: Approval, reason: CloseReason): boolean => {
    const q = open.get(id);
    if (!q) return false;
    open.delete(id);
    clearTimeout(q.timer);
    q.settle(answer);
    ctx.emit('bridge.approval.closed', { id, reason });
    return true;
  };

  return {
    approve(request) {
      const id = randomUUID();
      const { caller } = request;
      const payload: BridgeApprovalRequest = {
        id,
        caller: { pid: caller.pid, program: caller.program, script: caller.script },
        parent: caller.parent ? { pid: caller.parent.pid, program: caller.parent.program, script: caller.parent.script } : null,
        commandLine: maskedCommandLine(request.argv),
        command: request.command,
        expiresAt: Date.now() + timeoutMs,
      };
      return new Promise<Approval>((settle) => {
        const timer = setTimeout(() => close(id, 'deny', 'timeout'), timeoutMs);
        timer.unref?.();
        open.set(id, { settle, timer });
        ctx.emit('bridge.approval.requested', payload);
        ctx.platform.bringToFront?.();
      });
    },
    answer: (id, answer) => close(id, answer, 'answered'),
    refuseAll(reason) {
      for (const id of [...open.keys()]) close(id, 'deny', reason);
    },
  };
}

export interface DesktopBridgeOptions {
  vault: VaultManager;
  approvals: BridgeApprovals;
  /** default: where the CLI looks (main/bridge/socket-path.ts) */
  socketPath?: string;
  /** default: the CLI's registry (main/cli/commands.ts) */
  modules?: readonly CommandModule[];
}

/** Starts the socket for the app's lifetime; close() on quit. Grants end at every lock (the
 * server clears them on the next unlock and never serves a locked vault); open questions are
 * refused at the lock itself. */
export async function startDesktopBridge({
  vault,
  approvals,
  socketPath = appSocketPath(),
  modules,
}: DesktopBridgeOptions): Promise<AppBridge> {
  const offLock = vault.onLock(() => approvals.refuseAll('locked'));
  let bridge: AppBridge;
  try {
    bridge = await startAppBridge({ socketPath, vault, approve: (r) => approvals.approve(r), ...(modules ? { modules } : {}) });
  } catch (e) {
    offLock();
    throw e;
  }
  return {
    path: bridge.path,
    async close() {
      offLock();
      approvals.refuseAll('locked');
      await bridge.close();
    },
  };
}
