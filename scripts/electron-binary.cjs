// Where the Electron binary is, without downloading it. From Electron 42 on, `require('electron')`
// fetches the binary on first use; `npm start` and the e2e harness must only look (and never
// download under CI). Mirrors node_modules/electron/index.js: dist/<path.txt>, or
// ELECTRON_OVERRIDE_DIST_PATH. CommonJS so that both node scripts and Playwright's loader take it.
const { existsSync, readFileSync } = require('node:fs');
const { dirname, join } = require('node:path');

/** node_modules/electron, or undefined when the package is not installed. */
function electronPackageDir() {
  try {
    return dirname(require.resolve('electron/package.json'));
  } catch {
    return undefined;
  }
}

/** The installed Electron executable, or undefined when its binary has not been downloaded. */
function installedElectronBinary() {
  const dir = electronPackageDir();
  if (!dir) return undefined;
  const pathFile = join(dir, 'path.txt');
  const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined;
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const full = override ? join(override, executable || 'electron') : executable ? join(dir, 'dist', executable) : undefined;
  return full && existsSync(full) ? full : undefined;
}

module.exports = { electronPackageDir, installedElectronBinary };
