import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as nodeModule from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The hook replaces Module.prototype._compile: it runs in a child process, never in the test's own.
function loadChunk(chunks: string, cacheHome: string, env: NodeJS.ProcessEnv = {}): { mode: string; result: unknown } {
  const script = `
    require(${JSON.stringify(require.resolve('tsx/cjs'))});
    const { enableCompileCache } = require(${JSON.stringify(join(__dirname, 'compile-cache.ts'))});
    const mode = enableCompileCache(${JSON.stringify(chunks)});
    const result = require(${JSON.stringify(join(chunks, 'a-Hash1.js'))});
    process.stdout.write(JSON.stringify({ mode, result }));`;
  const out = execFileSync(process.execPath, ['-e', script], { env: { PATH: process.env.PATH, XDG_CACHE_HOME: cacheHome, ...env } });
  return JSON.parse(out.toString()) as { mode: string; result: unknown };
}

function cacheFiles(cacheHome: string): string[] {
  const root = join(cacheHome, 'keyhold');
  try {
    return readdirSync(root).flatMap((d) => readdirSync(join(root, d)).map((f) => `${d}/${f}`));
  } catch {
    return [];
  }
}

describe('compile cache of the CLI chunks', () => {
  const hasNodeCache = 'enableCompileCache' in nodeModule;

  it('a chunk runs as with require (its require, module, __dirname), and its compiled code is kept for the next run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'keyhold-compile-cache-'));
    const chunks = join(dir, 'chunks');
    mkdirSync(chunks);
    writeFileSync(join(chunks, 'b-Hash2.js'), 'exports.twice = (n) => 2 * n;\n');
    writeFileSync(
      join(chunks, 'a-Hash1.js'),
      `const { twice } = require("./b-Hash2.js");
       const path = require("node:path");
       module.exports = { four: twice(2), dir: path.basename(__dirname), file: path.basename(__filename), self: typeof require.resolve("./b-Hash2.js") };`,
    );
    const cacheHome = join(dir, 'cache');
    const expected = { four: 4, dir: 'chunks', file: 'a-Hash1.js', self: 'string' };

    const first = loadChunk(chunks, cacheHome);
    expect(first).toEqual({ mode: hasNodeCache ? 'node' : 'hook', result: expected });
    expect(cacheFiles(cacheHome).length).toBeGreaterThan(0);
    if (!hasNodeCache)
      expect(cacheFiles(cacheHome).sort()).toEqual([
        expect.stringMatching(/a-Hash1-\d+\.bin$/),
        expect.stringMatching(/b-Hash2-\d+\.bin$/),
      ]);

    // from the cache (accepted: not written again), and from a damaged cache (V8 rejects it; it is written afresh)
    const at = (f: string) => join(cacheHome, 'keyhold', f);
    const written = new Map(cacheFiles(cacheHome).map((f) => [f, statSync(at(f)).mtimeMs]));
    expect(loadChunk(chunks, cacheHome).result).toEqual(expected);
    if (!hasNodeCache) {
      for (const [f, mtime] of written) expect(statSync(at(f)).mtimeMs, f).toBe(mtime);
      for (const f of written.keys()) writeFileSync(at(f), 'not V8 data');
      expect(loadChunk(chunks, cacheHome).result).toEqual(expected);
      for (const f of written.keys()) expect(readFileSync(at(f)).toString('latin1')).not.toBe('not V8 data');
    }
  });

  it('a chunk that calls import() compiles as usual (vm.Script could not load it) and is not cached', () => {
    const dir = mkdtempSync(join(tmpdir(), 'keyhold-compile-cache-'));
    const chunks = join(dir, 'chunks');
    mkdirSync(chunks);
    writeFileSync(join(dir, 'm.mjs'), 'export const x = 42;\n');
    writeFileSync(join(chunks, 'a-Hash1.js'), 'module.exports = { later: () => import("../m.mjs").then((m) => m.x) };\n');
    const cacheHome = join(dir, 'cache');
    const script = `
      require(${JSON.stringify(require.resolve('tsx/cjs'))});
      require(${JSON.stringify(join(__dirname, 'compile-cache.ts'))}).enableCompileCache(${JSON.stringify(chunks)});
      require(${JSON.stringify(join(chunks, 'a-Hash1.js'))}).later().then((x) => process.stdout.write(String(x)));`;
    const out = execFileSync(process.execPath, ['-e', script], { env: { PATH: process.env.PATH, XDG_CACHE_HOME: cacheHome } });
    expect(out.toString()).toBe('42');
    if (!hasNodeCache) expect(cacheFiles(cacheHome)).toEqual([]);
  });

  it('NODE_DISABLE_COMPILE_CACHE turns it off: nothing is written', () => {
    const dir = mkdtempSync(join(tmpdir(), 'keyhold-compile-cache-'));
    const chunks = join(dir, 'chunks');
    mkdirSync(chunks);
    writeFileSync(join(chunks, 'a-Hash1.js'), 'module.exports = 1;\n');
    const cacheHome = join(dir, 'cache');
    expect(loadChunk(chunks, cacheHome, { NODE_DISABLE_COMPILE_CACHE: '1' })).toEqual({ mode: 'off', result: 1 });
    expect(cacheFiles(cacheHome)).toEqual([]);
  });

  it('an unwritable cache folder costs nothing but the cache', () => {
    const dir = mkdtempSync(join(tmpdir(), 'keyhold-compile-cache-'));
    const chunks = join(dir, 'chunks');
    mkdirSync(chunks);
    writeFileSync(join(chunks, 'a-Hash1.js'), 'module.exports = 2;\n');
    const notADir = join(dir, 'file');
    writeFileSync(notADir, 'x');
    expect(loadChunk(chunks, notADir).result).toBe(2);
  });
});
