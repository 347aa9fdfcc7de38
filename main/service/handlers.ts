import type { Handlers } from '../ipc/router';
import { appHandlers } from './app';
import type { ServiceContext } from './context';
import { desktopHandlers } from './desktop-handlers';
import { exportHandlers } from './export-handlers';
import { keyPairHandlers } from './keypair-handlers';
import { remoteHandlers } from './remote-handlers';
import { vaultHandlers } from './vault-handlers';
import { VaultManager } from './vault-manager';

/** Every channel's handler, gathered from the use-case modules. */
export function createHandlers(ctx: ServiceContext, vault: VaultManager = new VaultManager(ctx)): Handlers {
  return {
    ...appHandlers(ctx, vault),
    ...vaultHandlers(ctx, vault),
    ...keyPairHandlers(ctx, vault),
    ...exportHandlers(ctx, vault),
    ...remoteHandlers(ctx, vault),
    ...desktopHandlers(ctx, vault),
  };
}
