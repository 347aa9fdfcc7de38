// Calls that reach a platform share one rule: an interrupted rotation is finished first. It
// resumes when the vault is unlocked, and before any remote call as a safety net.
import type { RotationProgress, RotationResult } from '../../service/rotation';
import { resumeRotations } from '../../service/rotation';
import type { ServiceContext } from '../../service/context';
import type { VaultManager } from '../../service/vault-manager';
import type { VaultSession } from '../../vault/types';

export interface RemoteSession {
  /** rotation progress goes to the renderer as keys.rotation.progress */
  progress: { onProgress: (p: RotationProgress) => void };
  /** the unlocked session, once any interrupted rotation has had its chance to finish */
  ready(): Promise<VaultSession>;
  /** finishes interrupted rotations now (all, or all but `except`) and answers their results */
  resume(session: VaultSession, except?: string[]): Promise<RotationResult[]>;
}

export function remoteSession(ctx: ServiceContext, vault: VaultManager): RemoteSession {
  const progress = { onProgress: (p: RotationProgress) => ctx.emit('keys.rotation.progress', p) };
  let resumed: Promise<unknown> | null = null;
  const resumeOnce = (session: VaultSession) =>
    (resumed ??= resumeRotations(session, progress)
      .catch(() => undefined)
      .finally(() => (resumed = null)));
  vault.onUnlock((session) => {
    void resumeOnce(session);
  });
  return {
    progress,
    async ready() {
      const session = vault.session();
      await resumeOnce(session);
      return session;
    },
    resume: (session, except) => resumeRotations(session, { ...progress, ...(except ? { except } : {}) }),
  };
}
