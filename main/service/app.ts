import { version, productName } from '../../package.json';
import type { Handlers } from '../ipc/router';
import type { ServiceContext } from './context';
import type { VaultManager } from './vault-manager';

export const APP_VERSION: string = version;
export const APP_NAME: string = productName;

export function appHandlers(ctx: ServiceContext, vault: VaultManager): Pick<Handlers, 'app.info' | 'vault.status'> {
  return {
    'app.info': () => ({ name: APP_NAME, version: APP_VERSION, platform: process.platform, harness: ctx.harness }),
    'vault.status': () => vault.status(),
  };
}
