// desktop.*: native file dialogs (the renderer cannot browse the disk) and opening an address in
// the user's browser. Without a desktop (CLI, e2e bridge) the dialogs answer null and the
// renderer keeps its typed path fields.
import { externalUrl } from '../../service/external-url';
import type { HandlersFor } from '../router';
import type { HandlerDeps } from './deps';

export function desktopHandlers({ ctx }: HandlerDeps): HandlersFor<'desktop'> {
  const { dialogs } = ctx.platform;
  return {
    'desktop.openFile': async (input) => ({ path: await dialogs.showOpenFile(input) }),
    'desktop.saveFile': async (input) => ({ path: await dialogs.showSaveFile(input) }),
    'desktop.openExternal': async ({ url }) => {
      await ctx.platform.openExternal(externalUrl(url));
      return { opened: true as const };
    },
  };
}
