// IPC handlers of the desktop's own services: native file dialogs (the renderer cannot browse the
// disk), opening an address in the user's browser, and the user's presence at the window (which
// keeps auto-lock away). Without a desktop (CLI, e2e bridge) the dialogs answer null and the
// renderer keeps its typed path fields.
import type { Handlers } from '../ipc/router';
import { KeyholdError } from '../errors';
import type { ServiceContext } from './context';
import type { VaultManager } from './vault-manager';

type DesktopChannels = 'desktop.openFile' | 'desktop.saveFile' | 'desktop.openExternal' | 'vault.activity';

/** Only https pages leave the app: no file:, javascript:, custom schemes or plain http. The
 * address is not echoed in the error, as it may carry a token. */
export function externalUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new KeyholdError('INVALID_INPUT', 'That is not a web address.');
  }
  if (url.protocol !== 'https:' || !url.hostname) throw new KeyholdError('INVALID_INPUT', 'Only https:// addresses can be opened.');
  if (url.username || url.password) throw new KeyholdError('INVALID_INPUT', 'Addresses with a user name or password in them are not opened.');
  return url.href;
}

export function desktopHandlers(ctx: ServiceContext, vault: VaultManager): Pick<Handlers, DesktopChannels> {
  const { dialogs } = ctx.platform;
  return {
    'desktop.openFile': async (input) => ({ path: await dialogs.showOpenFile(input) }),
    'desktop.saveFile': async (input) => ({ path: await dialogs.showSaveFile(input) }),
    'desktop.openExternal': async ({ url }) => {
      await ctx.platform.openExternal(externalUrl(url));
      return { opened: true as const };
    },
    'vault.activity': () => {
      vault.activity();
      return {};
    },
  };
}
