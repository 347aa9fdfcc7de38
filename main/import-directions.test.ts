// DESIGN.md's layering rule, enforced: the renderer reaches main only through types of
// main/api/; only the Electron glue imports electron; providers, keys and export know nothing
// of the vault; emulators share no code with main/.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|tsx)$/.test(e.name))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)));
}

interface Import {
  spec: string;
  typeOnly: boolean;
}

function importsOf(file: string): Import[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const found: Import[] = [];
  const re = /^\s*(import|export)\s+(type\s+)?(?:[^'"]*?\s+from\s+)?['"]([^'"]+)['"]/gm;
  for (const m of text.matchAll(re)) found.push({ spec: m[3]!, typeOnly: Boolean(m[2]) });
  for (const m of text.matchAll(/(?:require|import)\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push({ spec: m[1]!, typeOnly: false });
  return found;
}

/** The repository-relative path an import points at, or undefined for a package. */
function target(file: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  return relative(ROOT, resolve(ROOT, dirname(file), spec));
}

const ELECTRON_ALLOWED = (f: string) => f === 'main/index.ts' || f === 'main/ipc/electron.ts' || f.startsWith('main/platform/');

describe('import directions', () => {
  it('the renderer imports nothing of main but types from main/api and values from main/api/constants.ts, and no Node modules', () => {
    const bad: string[] = [];
    for (const file of sourceFiles('renderer')) {
      for (const imp of importsOf(file)) {
        const t = target(file, imp.spec);
        if (t?.startsWith('main')) {
          if (!((t === 'main/api' && imp.typeOnly) || t === 'main/api/constants')) bad.push(`${file} -> ${imp.spec}`);
        } else if (!t && (imp.spec.startsWith('node:') || imp.spec === 'electron' || imp.spec === 'better-sqlite3')) {
          bad.push(`${file} -> ${imp.spec}`);
        }
      }
    }
    expect(bad).toEqual([]);
  });

  it('main/api/constants.ts imports nothing, so the renderer may load it as values', () => {
    expect(importsOf('main/api/constants.ts')).toEqual([]);
  });

  it('preload imports only types from main/api and electron', () => {
    const bad = sourceFiles('preload').flatMap((file) =>
      importsOf(file)
        .filter((imp) => {
          const t = target(file, imp.spec);
          if (t === undefined) return imp.spec !== 'electron';
          return !(t === 'main/api' && imp.typeOnly);
        })
        .map((imp) => `${file} -> ${imp.spec}`),
    );
    expect(bad).toEqual([]);
  });

  it('only main/index.ts, main/ipc/electron.ts and main/platform/ import electron', () => {
    const bad = sourceFiles('main')
      .filter((f) => !ELECTRON_ALLOWED(f))
      .filter((f) => importsOf(f).some((imp) => imp.spec === 'electron' && !imp.typeOnly));
    expect(bad).toEqual([]);
  });

  it('providers, keys and export know nothing of the vault or the service layer', () => {
    const bad: string[] = [];
    for (const layer of ['main/providers', 'main/keys', 'main/export']) {
      let files: string[] = [];
      try {
        files = sourceFiles(layer);
      } catch {
        continue; // the layer does not exist yet
      }
      for (const file of files) {
        for (const imp of importsOf(file)) {
          const t = target(file, imp.spec);
          if (t && (t.startsWith('main/vault') || t.startsWith('main/service') || t.startsWith('main/cli'))) bad.push(`${file} -> ${imp.spec}`);
        }
      }
    }
    expect(bad).toEqual([]);
  });

  it('emulators share no code with main/', () => {
    let files: string[] = [];
    try {
      files = sourceFiles('emulators');
    } catch {
      files = [];
    }
    const bad = files.flatMap((file) =>
      importsOf(file)
        .filter((imp) => target(file, imp.spec)?.startsWith('main'))
        .map((imp) => `${file} -> ${imp.spec}`),
    );
    expect(bad).toEqual([]);
  });

  it('the checker sees imports at all (it would pass vacuously otherwise)', () => {
    expect(importsOf('main/index.ts').some((i) => i.spec === 'electron')).toBe(true);
    expect(importsOf('renderer/src/api.ts').some((i) => i.spec === '../../main/api' && i.typeOnly)).toBe(true);
  });
});
