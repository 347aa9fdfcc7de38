// Bench entries bundled with esbuild, as the app's build bundles its main process: a figure then
// measures Keyhold's code in plain Node, not tsx transpiling it (which alone adds ~45 MB of RSS and
// tens of ms of start-up). The vault worker is bundled beside them (vault-workers.ts looks for
// vault-worker.js next to the bundle); native addons stay in node_modules (run with NODE_PATH).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..');

/** NODE_PATH for a bundle outside the project: the native addons it leaves external. */
export const BUNDLE_ENV: NodeJS.ProcessEnv = { ...process.env, NODE_PATH: join(ROOT, 'node_modules') };

/** Bundles `entry` into `dir` as `name`.js, with the vault worker beside it; returns its path. */
export function bundle(entry: string, dir: string, name: string): string {
  const esbuild = join(ROOT, 'node_modules', '.bin', 'esbuild');
  const common = [
    '--bundle',
    '--platform=node',
    '--format=cjs',
    '--target=node20',
    '--external:better-sqlite3',
    '--external:@node-rs/argon2',
    '--external:sodium-native',
    '--log-level=error',
  ];
  execFileSync(esbuild, [entry, ...common, `--outfile=${join(dir, `${name}.js`)}`]);
  execFileSync(esbuild, [join(ROOT, 'main', 'vault', 'worker', 'entry.ts'), ...common, `--outfile=${join(dir, 'vault-worker.js')}`]);
  return join(dir, `${name}.js`);
}
