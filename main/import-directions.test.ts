// The layers of scripts/layers.mjs, checked over every source file: each import is either a
// repository file the importer's layer may reach, or a package whose runtime (node, dom, universal,
// electron) that layer runs in. ESLint's keyhold/layers rule reports the same at the line.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEPENDENCY_RUNTIMES, layerOf, packageName, runtimeOf } from '../scripts/layers.mjs';

const ROOT = resolve(__dirname, '..');
const FOLDERS = ['main', 'preload', 'renderer', 'emulators', 'bench', 'e2e', 'scripts'];
const toRepo = (abs: string) => relative(ROOT, abs).split(sep).join('/');

function sourceFiles(): string[] {
  const roots = readdirSync(ROOT).filter((f) => /\.(ts|mjs)$/.test(f));
  const inFolders = FOLDERS.filter((d) => existsSync(join(ROOT, d))).flatMap((dir) =>
    readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
      .filter((e) => e.isFile() && /\.(ts|tsx|mjs)$/.test(e.name) && !e.name.endsWith('.d.mts'))
      .map((e) => toRepo(join(e.parentPath, e.name))),
  );
  return [...roots, ...inFolders];
}

interface Import {
  spec: string;
  typeOnly: boolean;
}

function importsOf(file: string): Import[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const found: Import[] = [];
  const re = /^\s*(?:import|export)\s+(type\s+)?(?:([^'"]*?)\s+from\s+)?['"]([^'"]+)['"]/gm;
  for (const m of text.matchAll(re)) {
    // `import { type A, type B } from` is as type-only as `import type { A, B } from`
    const names = m[2]?.match(/^\{([^}]*)\}$/s)?.[1];
    const inlineTypes = names !== undefined && names.split(',').every((n) => n.trim() === '' || /^type\s/.test(n.trim()));
    found.push({ spec: m[3]!, typeOnly: Boolean(m[1]) || inlineTypes });
  }
  for (const m of text.matchAll(/(?:\brequire|\bimport)\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push({ spec: m[1]!, typeOnly: false });
  return found;
}

/** The repository path a relative import names, without extension or /index: 'main/api'. */
function target(file: string, spec: string): string {
  let t = toRepo(resolve(ROOT, dirname(file), spec));
  if (['.ts', '.tsx', '.js', '.mjs'].includes(extname(t))) t = t.slice(0, -extname(t).length);
  return t.replace(/\/index$/, '');
}

/** Every import that breaks its file's layer, as `file -> spec (why)`. */
function violations(files: string[]): string[] {
  const bad: string[] = [];
  for (const file of files) {
    const layer = layerOf(file);
    for (const imp of importsOf(file)) {
      if (imp.spec.startsWith('.')) {
        if (!layer.allowTarget(target(file, imp.spec), imp.typeOnly)) bad.push(`${file} -> ${imp.spec} (${layer.name})`);
        continue;
      }
      const runtime = runtimeOf(imp.spec);
      if (runtime === undefined) bad.push(`${file} -> ${imp.spec} (unclassified: add it to scripts/layers.mjs)`);
      else if (!layer.runtimes.includes(runtime)) bad.push(`${file} -> ${imp.spec} (${runtime} in ${layer.name})`);
    }
  }
  return bad;
}

describe('import directions', () => {
  it('every import in the repository follows its layer and names a classified package', () => {
    expect(violations(sourceFiles())).toEqual([]);
  });

  it('every dependency in package.json is classified as node, dom, universal or electron', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const unclassified = Object.keys(pkg.dependencies).filter((name) => !(name in DEPENDENCY_RUNTIMES));
    expect(unclassified).toEqual([]);
  });

  it('the renderer may take types from main/api and values from main/api/constants, nothing else of main and no Node', () => {
    const renderer = layerOf('renderer/src/screens/X.tsx');
    expect(renderer.allowTarget('main/api', true)).toBe(true);
    expect(renderer.allowTarget('main/api/keys', true)).toBe(true);
    expect(renderer.allowTarget('main/api/constants', false)).toBe(true);
    expect(renderer.allowTarget('main/api', false)).toBe(false);
    expect(renderer.allowTarget('main/vault/types', true)).toBe(false);
    for (const spec of ['node:fs', 'fs', 'electron', 'better-sqlite3', 'sshpk']) {
      expect(renderer.runtimes).not.toContain(runtimeOf(spec));
    }
    expect(renderer.runtimes).toContain(runtimeOf('react-dom/client'));
  });

  it('only the Electron glue imports electron, lower layers know nothing of the vault, service knows nothing of ipc', () => {
    expect(layerOf('main/index.ts').runtimes).toContain('electron');
    expect(layerOf('main/ipc/electron.ts').runtimes).toContain('electron');
    expect(layerOf('main/platform/electron.ts').runtimes).toContain('electron');
    expect(layerOf('main/ipc/router.ts').runtimes).not.toContain('electron');
    expect(layerOf('main/service/keys.test.ts').runtimes).not.toContain('electron');
    expect(layerOf('preload/index.ts').runtimes).toEqual(['electron']);
    for (const lower of ['main/providers/x.ts', 'main/keys/x.ts', 'main/export/x.ts', 'main/migrate/x.ts', 'main/agent/x.ts']) {
      expect(layerOf(lower).allowTarget('main/vault/session', true)).toBe(false);
      expect(layerOf(lower).allowTarget('main/service/keys', false)).toBe(false);
    }
    expect(layerOf('main/service/keys.ts').allowTarget('main/ipc/router', true)).toBe(false);
    expect(layerOf('main/vault/session.ts').allowTarget('main/export/x.testkit', false)).toBe(false);
    expect(layerOf('emulators/rancher.ts').allowTarget('main/providers/rancher', false)).toBe(false);
    expect(layerOf('emulators/rancher.test.ts').allowTarget('main/providers/rancher', false)).toBe(false);
  });

  it('an unknown package is refused until it is classified', () => {
    expect(runtimeOf('left-pad')).toBeUndefined();
    expect(violations(['main/import-directions.test.ts'])).toEqual([]);
    expect(packageName('@tanstack/react-virtual/x')).toBe('@tanstack/react-virtual');
  });

  it('the checker sees imports at all (it would pass vacuously otherwise)', () => {
    expect(importsOf('main/index.ts').some((i) => i.spec === 'electron')).toBe(true);
    expect(importsOf('renderer/src/api.ts').some((i) => i.spec === '../../main/api' && i.typeOnly)).toBe(true);
    expect(sourceFiles().length).toBeGreaterThan(100);
  });
});
