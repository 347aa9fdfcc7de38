// Keyhold's layers, written once: read by the ESLint layer rule (eslint.config.mjs) and by the
// import test (main/import-directions.test.ts). A file's folder says where it runs and so what it
// may import, as VS Code's layers and Signal's dependency classification do (docs/ARCHITECTURE.md).
import { builtinModules } from 'node:module';

/**
 * Where each package can run. 'node': needs Node (builtins, native code, Buffer, process);
 * 'dom': needs a browser page; 'universal': plain JavaScript that runs anywhere; 'electron': the
 * Electron module. A package missing here fails the import test until it is classified.
 * @type {Readonly<Record<string, 'node' | 'dom' | 'universal' | 'electron'>>}
 */
export const DEPENDENCY_RUNTIMES = {
  // runtime dependencies
  '@node-rs/argon2': 'node',
  '@tanstack/react-virtual': 'dom',
  'bcrypt-pbkdf': 'node',
  'better-sqlite3': 'node',
  commander: 'node',
  'csv-parse': 'node',
  dotenv: 'node',
  react: 'universal',
  'react-dom': 'dom',
  saxes: 'universal',
  sshpk: 'node',
  'sodium-native': 'node',
  tweetnacl: 'universal',
  zod: 'universal',
  electron: 'electron',
  // development: tests, e2e, builds (they all run in Node)
  '@axe-core/playwright': 'node',
  '@playwright/test': 'node',
  '@vitejs/plugin-react': 'node',
  eslint: 'node',
  '@eslint/js': 'node',
  'eslint-plugin-react-hooks': 'node',
  globals: 'universal',
  prettier: 'node',
  'typescript-eslint': 'node',
  'electron-vite': 'node',
  vite: 'node',
  vitest: 'node',
};

/** The package a bare specifier names: 'react-dom/client' -> 'react-dom', '@a/b/c' -> '@a/b'. */
export function packageName(spec) {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** The runtime a bare specifier needs, or undefined when the package is not classified. */
export function runtimeOf(spec) {
  if (spec.startsWith('node:') || builtinModules.includes(spec) || builtinModules.includes(packageName(spec))) return 'node';
  return DEPENDENCY_RUNTIMES[packageName(spec)];
}

const isTest = (file) => /\.(test|testkit|spec)\.tsx?$/.test(file) || file.startsWith('e2e/');

/** Files allowed to import `electron` at all (docs/ARCHITECTURE.md: the Electron glue). */
const ELECTRON_GLUE = ['main/index.ts', 'main/ipc/electron.ts', 'main/platform/electron.ts'];

/**
 * The layer a repository-relative file belongs to, with what it may import:
 * - runtimes: which package runtimes it may use;
 * - allowTarget(target, typeOnly): whether it may import the repository file (or folder) `target`;
 * - why: the rule in words, for messages.
 * @param {string} file repository-relative, with forward slashes
 */
export function layerOf(file) {
  if (file.startsWith('renderer/') && !isTest(file)) {
    return {
      name: 'renderer',
      runtimes: ['dom', 'universal'],
      allowTarget: (t, typeOnly) =>
        t.startsWith('renderer/') || t === 'main/api/constants' || ((t === 'main/api' || t.startsWith('main/api/')) && typeOnly),
      why: 'the renderer is a sandboxed page: it may import only types of main/api, values of main/api/constants, and DOM or universal packages',
    };
  }
  if (file.startsWith('preload/')) {
    return {
      name: 'preload',
      runtimes: ['electron'],
      allowTarget: (t, typeOnly) => t.startsWith('preload/') || ((t === 'main/api' || t.startsWith('main/api/')) && typeOnly),
      why: 'preload may import only electron and types of main/api',
    };
  }
  if (file.startsWith('main/') && !isTest(file)) {
    const electron = ELECTRON_GLUE.includes(file) ? ['electron'] : [];
    const lower = ['main/providers/', 'main/keys/', 'main/export/', 'main/migrate/', 'main/agent/'].some((p) => file.startsWith(p));
    const service = file.startsWith('main/service/');
    return {
      name: lower ? 'main (providers, keys, export, migrate, agent)' : service ? 'main/service' : 'main',
      runtimes: ['node', 'universal', ...electron],
      allowTarget: (t) => {
        if (t === 'package.json') return true; // the app's name and version
        if (!t.startsWith('main/') && t !== 'main') return false; // no emulators, e2e, bench, scripts in the app
        if (/\.testkit(\.tsx?)?$/.test(t)) return false;
        if (lower && /^main\/(vault|service|ipc|cli)(\/|$)/.test(t)) return false;
        if (service && /^main\/ipc(\/|$)/.test(t)) return false;
        return true;
      },
      why: lower
        ? 'providers, keys, export, migrate and agent know nothing of the vault, the service layer, IPC or the CLI; only main/index.ts, main/ipc/electron.ts and main/platform/electron.ts import electron'
        : service
          ? 'main/service knows nothing of main/ipc; only main/index.ts, main/ipc/electron.ts and main/platform/electron.ts import electron'
          : 'main runs in Node; only main/index.ts, main/ipc/electron.ts and main/platform/electron.ts import electron, and no app code imports test support',
    };
  }
  if (file.startsWith('emulators/') && !isTest(file)) {
    return {
      name: 'emulators',
      runtimes: ['node', 'universal'],
      allowTarget: (t) => !/^main\/providers(\/|$)/.test(t),
      why: 'an emulator is an independent reading of the platform docs: it shares no code with main/providers',
    };
  }
  // Tests, e2e, bench, scripts, build configs: Node, anything of the repository. Emulators' tests
  // keep the emulators' rule on main/providers.
  // Only e2e (which launches the app) and scripts (which build for it) may name electron.
  const emulatorTest = file.startsWith('emulators/');
  const launches = file.startsWith('e2e/') || file.startsWith('scripts/');
  return {
    name: 'node tools and tests',
    runtimes: ['node', 'universal', 'dom', ...(launches ? ['electron'] : [])],
    allowTarget: (t) => !(emulatorTest && /^main\/providers(\/|$)/.test(t)),
    why: 'tests and tools run in Node (only e2e and scripts launch Electron); an emulator shares no code with main/providers',
  };
}
