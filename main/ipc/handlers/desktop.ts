// desktop.*: native file dialogs (the renderer cannot browse the disk) and opening an address in
// the user's browser. Without a desktop (CLI, e2e bridge) the dialogs answer null and the
// renderer keeps its typed path fields.
import { externalUrl } from '../../service/external-url';
import type { HandlersFor } from '../router';
import type { HandlerDeps } from './deps';

export function desktopHandlers({ ctx, grants }: HandlerDeps): HandlersFor<'desktop'> {
  const { dialogs } = ctx.platform;
  // the chosen path with its capability (file-grants.ts): only such a path is read or written
  const chosen = (path: string | null, purpose: 'open' | 'save') => ({ path, token: path === null ? null : grants.grant(path, purpose) });
  return {
    'desktop.openFile': async (input) => chosen(await dialogs.showOpenFile(input), 'open'),
    'desktop.saveFile': async (input) => chosen(await dialogs.showSaveFile(input), 'save'),
    'desktop.openExternal': async ({ url }) => {
      await ctx.platform.openExternal(externalUrl(url));
      return { opened: true as const };
    },
  };
}
