// Every channel's handler, one factory per namespace of main/api, each typed as HandlersFor<its
// namespace> (derived from the channel names): a channel without its handler, or a namespace left
// out here, fails the type check. No channel list is written by hand.
import { createBridgeApprovals, type BridgeApprovals } from '../../service/app-bridge';
import { DesktopAgent } from '../../service/agent-desktop';
import type { ServiceContext } from '../../service/context';
import { VaultManager } from '../../service/vault-manager';
import { FileGrants } from '../file-grants';
import type { Handlers } from '../router';
import { agentHandlers } from './agent';
import { appHandlers } from './app';
import { attentionHandlers } from './attention';
import { auditHandlers } from './audit';
import { bridgeHandlers } from './bridge';
import type { HandlerDeps } from './deps';
import { desktopHandlers } from './desktop';
import { environmentsHandlers } from './environments';
import { exportHandlers } from './export';
import { keysHandlers } from './keys';
import { migrateHandlers } from './migrate';
import { policiesHandlers } from './policies';
import { remoteHandlers } from './remote';
import { remoteSession } from './remote-session';
import { vaultHandlers } from './vault';
import { workspacesHandlers } from './workspaces';

export function createHandlers(
  ctx: ServiceContext,
  vault: VaultManager = new VaultManager(ctx),
  approvals: BridgeApprovals = createBridgeApprovals(ctx),
): Handlers {
  const deps: HandlerDeps = {
    ctx,
    vault,
    remote: remoteSession(ctx, vault),
    approvals,
    agent: new DesktopAgent(ctx, vault),
    grants: new FileGrants(ctx.harness, () => vault.peek()),
  };
  return {
    ...appHandlers(deps),
    ...vaultHandlers(deps),
    ...workspacesHandlers(deps),
    ...environmentsHandlers(deps),
    ...keysHandlers(deps),
    ...auditHandlers(deps),
    ...remoteHandlers(deps),
    ...exportHandlers(deps),
    ...migrateHandlers(deps),
    ...desktopHandlers(deps),
    ...bridgeHandlers(deps),
    ...agentHandlers(deps),
    ...policiesHandlers(deps),
    ...attentionHandlers(deps),
  };
}
