// export.*: the export dialog, preview first, then write. Paths from the renderer must be absolute
// (they come from a file dialog); there is no working directory to resolve against.
import { exportCurlConfig, exportDotenvFile, exportNetrc, previewExport, targetPath } from '../../service/export';
import type { HandlersFor } from '../router';
import type { HandlerDeps } from './deps';

const absolute = (path: string | undefined) => (path === undefined ? undefined : targetPath(path, { requireAbsolute: true }));

export function exportHandlers({ vault }: HandlerDeps): HandlersFor<'export'> {
  return {
    'export.preview': (input) => previewExport(vault.session(), { ...input, path: absolute(input.path) }),
    'export.netrc': (input) => exportNetrc(vault.session(), { ...input, path: absolute(input.path) }),
    'export.dotenv': (input) => exportDotenvFile(vault.session(), { ...input, path: absolute(input.path)! }),
    'export.curl': (input) => exportCurlConfig(vault.session(), { ...input, path: absolute(input.path)! }),
  };
}
