// export.*: the export dialog, preview first, then write. Paths from the renderer must be absolute
// (they come from a file dialog); there is no working directory to resolve against.
import { exportCurlConfig, exportDotenvFile, exportNetrc, previewExport, targetPath } from '../../service/export';
import type { HandlersFor } from '../router';
import type { HandlerDeps } from './deps';

const absolute = (path: string | undefined) => (path === undefined ? undefined : targetPath(path, { requireAbsolute: true }));

export function exportHandlers({ vault, grants }: HandlerDeps): HandlersFor<'export'> {
  // every export writes the file it names: a save dialog's token (file-grants.ts)
  const chosen = (input: { path?: string; token?: string }) => absolute(grants.path(input, 'save'));
  return {
    'export.preview': ({ token, ...input }) => previewExport(vault.session(), { ...input, path: chosen({ ...input, token }) }),
    'export.netrc': ({ token, ...input }) => exportNetrc(vault.session(), { ...input, path: chosen({ ...input, token }) }),
    'export.dotenv': ({ token, ...input }) => exportDotenvFile(vault.session(), { ...input, path: chosen({ ...input, token })! }),
    'export.curl': ({ token, ...input }) => exportCurlConfig(vault.session(), { ...input, path: chosen({ ...input, token })! }),
  };
}
