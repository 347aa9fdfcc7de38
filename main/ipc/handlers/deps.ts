// What every namespace's handlers are built from.
import type { BridgeApprovals } from '../../service/app-bridge';
import type { DesktopAgent } from '../../service/agent-desktop';
import type { ServiceContext } from '../../service/context';
import type { VaultManager } from '../../service/vault-manager';
import type { FileGrants } from '../file-grants';
import type { RemoteSession } from './remote-session';

export interface HandlerDeps {
  ctx: ServiceContext;
  vault: VaultManager;
  /** the session for calls that reach a platform, once interrupted rotations had their chance */
  remote: RemoteSession;
  /** the CLI callers waiting for the user's answer */
  approvals: BridgeApprovals;
  /** paths main's file dialogs returned (export, backup, restore, key files) */
  grants: FileGrants;
  /** the SSH agent the app runs while open */
  agent: DesktopAgent;
}
