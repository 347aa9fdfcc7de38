// Before `npm start`: build better-sqlite3 for Electron's ABI into .electron-native/, leaving the
// Node build in node_modules for `npm test` and the CLI. Both work from one checkout, no flip-flop.
// Skips the work when the stamp says this Electron + better-sqlite3 pair is already built.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { electronPackageDir, installedElectronBinary } = require('./electron-binary.cjs');
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, '.electron-native');
const target = join(outDir, 'better_sqlite3.node');
const stampFile = join(outDir, 'stamp.json');

/** Says what is missing and how to get it, then stops (no stack trace: this is not a bug). */
function missingElectron(reason) {
  console.error(
    `keyhold: ${reason}, so the desktop app cannot start here.\n` +
      'Electron fetches its binary on first use, not during npm install. To get it:\n' +
      "  - allow access to Electron's download host (github.com/electron/electron/releases) and run `npx install-electron`, or\n" +
      '  - set ELECTRON_MIRROR to a mirror you can reach and run `npx install-electron`.\n' +
      'The CLI (`npm run build`, then `npx keyhold`) and `npm test` do not need Electron.',
  );
  process.exit(1);
}

if (!electronPackageDir()) missingElectron('the electron package is not installed (run `npm install`)');
if (!installedElectronBinary()) {
  if (process.env.CI === 'true') missingElectron('no Electron binary is installed and nothing is downloaded under CI=true');
  // Electron's own lazy downloader (`npx install-electron`), run directly so that npx resolves nothing.
  console.log('keyhold: fetching the Electron binary (once)...');
  const install = spawnSync(process.execPath, [join(electronPackageDir(), 'install.js')], {
    stdio: ['ignore', 'inherit', 'pipe'],
    encoding: 'utf8',
  });
  if (install.status !== 0 || !installedElectronBinary()) {
    // install.js prints a stack; its first line is the reason (host unreachable, checksum...).
    const why = (install.stderr ?? '').split('\n').find((l) => l.trim()) ?? install.error?.message ?? 'unknown error';
    missingElectron(`the Electron binary could not be downloaded (${why.trim()})`);
  }
}

// The ABI to build for is the installed Electron's (45 today): read from its package.json.
const electronVersion = require('electron/package.json').version;
const sqliteDir = dirname(require.resolve('better-sqlite3/package.json'));
const sqliteVersion = JSON.parse(readFileSync(join(sqliteDir, 'package.json'), 'utf8')).version;
const wanted = { electron: electronVersion, betterSqlite3: sqliteVersion, platform: process.platform, arch: process.arch };

if (existsSync(target) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === JSON.stringify(wanted)) {
  process.exit(0);
}

console.log(`keyhold: building better-sqlite3 ${sqliteVersion} for Electron ${electronVersion} (once)...`);
const work = join(outDir, 'app');
rmSync(work, { recursive: true, force: true });
mkdirSync(join(work, 'node_modules'), { recursive: true });
writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'keyhold-native', dependencies: { 'better-sqlite3': sqliteVersion } }));
cpSync(sqliteDir, join(work, 'node_modules', 'better-sqlite3'), {
  recursive: true,
  filter: (src) => !src.includes(`${join(sqliteDir, 'build')}`),
});

// A machine-wide nodedir (npm_config_nodedir=/usr) would build against Node's headers instead
// of Electron's: drop it for this build.
const env = { ...process.env };
for (const k of Object.keys(env)) if (k.toLowerCase() === 'npm_config_nodedir') delete env[k];

// Electron's documented recipe: a prebuilt binary for this Electron when one is published,
// else node-gyp against Electron's headers.
const moduleDir = join(work, 'node_modules', 'better-sqlite3');
const bin = (name) => join(root, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name);
const run = (cmd, args) =>
  spawnSync(cmd, args, { cwd: moduleDir, env, stdio: 'inherit', shell: process.platform === 'win32' }).status === 0;
const built =
  run(bin('prebuild-install'), ['--runtime=electron', `--target=${electronVersion}`, `--arch=${process.arch}`, '--verbose']) ||
  run(bin('node-gyp'), [
    'rebuild',
    '--release',
    `--target=${electronVersion}`,
    `--arch=${process.arch}`,
    '--dist-url=https://electronjs.org/headers',
  ]);
if (!built) {
  console.error('keyhold: could not build better-sqlite3 for Electron (see the output above).');
  process.exit(1);
}
copyFileSync(join(work, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'), target);
writeFileSync(stampFile, JSON.stringify(wanted));
rmSync(work, { recursive: true, force: true });
console.log('keyhold: Electron build of better-sqlite3 ready.');
