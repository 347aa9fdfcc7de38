// IPC handlers of the export dialog (issue 6): preview first, then write. Paths from the renderer
// must be absolute (they come from a file dialog); there is no working directory to resolve against.
import type { Handlers } from '../ipc/router';
import type { ServiceContext } from './context';
import { exportCurlConfig, exportDotenvFile, exportNetrc, previewExport, targetPath } from './export';
import type { VaultManager } from './vault-manager';

type ExportChannels = 'export.preview' | 'export.netrc' | 'export.dotenv' | 'export.curl';

const absolute = (path: string | undefined) => (path === undefined ? undefined : targetPath(path, { requireAbsolute: true }));

export function exportHandlers(_ctx: ServiceContext, vault: VaultManager): Pick<Handlers, ExportChannels> {
  return {
    'export.preview': (input) => previewExport(vault.session(), { ...input, path: absolute(input.path) }),
    'export.netrc': (input) => exportNetrc(vault.session(), { ...input, path: absolute(input.path) }),
    'export.dotenv': (input) => exportDotenvFile(vault.session(), { ...input, path: absolute(input.path)! }),
    'export.curl': (input) => exportCurlConfig(vault.session(), { ...input, path: absolute(input.path)! }),
  };
}
