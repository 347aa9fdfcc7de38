// desktop.*: the desktop's own services: native file dialogs and opening a page in the browser.
import { z } from 'zod';
import { def, FileToken, type NamespaceChannels } from './common';

const FileFilter = z
  .object({
    name: z.string().min(1).max(100),
    extensions: z
      .array(z.string().regex(/^(\*|[A-Za-z0-9_-]{1,20})$/))
      .min(1)
      .max(20),
  })
  .strict();
const DialogTitle = z.string().min(1).max(200);
export const DesktopOpenFileInput = z.object({ title: DialogTitle, filters: z.array(FileFilter).max(20).optional() }).strict();
export const DesktopSaveFileInput = z
  .object({ title: DialogTitle, defaultPath: z.string().min(1).max(4096).optional(), filters: z.array(FileFilter).max(20).optional() })
  .strict();
/** null: cancelled, or no desktop (the CLI / e2e bridge): type the path instead */
export const DesktopChosenFile = z.object({ path: z.string().nullable(), token: FileToken.nullable() });
export const DesktopOpenExternalInput = z.object({ url: z.string().min(1).max(2048) }).strict();

export const desktopChannels = {
  'desktop.openFile': def(DesktopOpenFileInput, DesktopChosenFile, []),
  'desktop.saveFile': def(DesktopSaveFileInput, DesktopChosenFile, []),
  'desktop.openExternal': def(DesktopOpenExternalInput, z.object({ opened: z.literal(true) }), ['INVALID_INPUT']),
} as const satisfies NamespaceChannels<'desktop'>;
