// V8's compiled code of the CLI's chunks kept between runs, so that a command does not compile
// the same JavaScript at every start. Node 22.1+ (and an Electron whose Node has it) does this
// itself (module.enableCompileCache); on older Node, this hook compiles each chunk below
// out/main/chunks with vm.Script and the cached data saved by an earlier run, and saves fresh data
// when there was none or V8 rejected it (a new Node, other V8 flags). Only our own chunks are
// cached; a cache that cannot be read or written only costs start-up time, never a failure.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { homedir } from 'node:os';
import { basename, dirname, join, sep } from 'node:path';
import { Script } from 'node:vm';

interface CjsModule {
  filename: string;
  require(id: string): unknown;
  exports: unknown;
}
interface ModuleStatics {
  prototype: { _compile(this: CjsModule, content: string, filename: string): unknown };
  wrap(content: string): string;
  _resolveFilename(request: string, parent: CjsModule, isMain: boolean, options?: unknown): string;
  _cache: Record<string, unknown>;
  enableCompileCache?: (dir?: string) => unknown;
}

/** Whether a chunk may call import(): vm.Script has no loader for it (but through an experimental
 * option that prints a warning), so such a chunk compiles as usual. A JSDoc type import (in braces)
 * is no call; anything else that looks like one counts (it only costs the cache). */
function callsImport(content: string): boolean {
  return (content.match(/\bimport\s*\(/g)?.length ?? 0) > (content.match(/\{ ?import\(/g)?.length ?? 0);
}

/** The user's own cache folder for `keyhold` (never a shared temp dir). */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'keyhold');
}

/**
 * Turns the compile cache on for the chunks in `chunksDir`: Node's own where it exists, else the
 * vm.Script hook. Off with NODE_DISABLE_COMPILE_CACHE (Node's own switch), as Node's is.
 */
export function enableCompileCache(chunksDir: string, env: NodeJS.ProcessEnv = process.env): 'node' | 'hook' | 'off' {
  if (env.NODE_DISABLE_COMPILE_CACHE) return 'off';
  const M = nodeModule.Module as unknown as ModuleStatics;
  const root = cacheRoot(env);
  if (typeof M.enableCompileCache === 'function') {
    try {
      M.enableCompileCache(join(root, 'v8'));
      return 'node';
    } catch {
      return 'off';
    }
  }
  // cached data is only valid for this V8 (V8 also checks it, and rejects what does not fit)
  const dir = join(root, `v8-${process.versions.v8}-${process.arch}`);
  const prefix = chunksDir.endsWith(sep) ? chunksDir : chunksDir + sep;
  const original = M.prototype._compile;
  const toSave: Array<{ file: string; script: Script }> = [];
  M.prototype._compile = function compile(this: CjsModule, content: string, filename: string): unknown {
    if (!filename.startsWith(prefix) || !filename.endsWith('.js') || callsImport(content)) return original.call(this, content, filename);
    // a chunk's name carries the hash of its content (the build's); V8 checks the source it was made for too
    const file = join(dir, `${basename(filename, '.js')}-${content.length}.bin`);
    let cachedData: Buffer | undefined;
    try {
      cachedData = readFileSync(file);
    } catch {
      cachedData = undefined;
    }
    const script = new Script(M.wrap(content), { filename, cachedData });
    if (cachedData === undefined || script.cachedDataRejected) toSave.push({ file, script });
    const fn = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    const req = Object.assign((id: string) => this.require(id), {
      resolve: (request: string, options?: unknown) => M._resolveFilename(request, this, false, options),
      cache: M._cache,
    });
    return fn.call(this.exports, this.exports, req, this, filename, dirname(filename));
  };
  // saved at exit: by then the functions the command ran are compiled and go into the cache too
  process.once('exit', () => {
    if (toSave.length === 0) return;
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      for (const { file, script } of toSave) {
        const tmp = `${file}.${process.pid}.tmp`;
        writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
        renameSync(tmp, file); // whole or not at all: another run may read it meanwhile
      }
    } catch {
      // an unwritable cache: the next run compiles again
    }
  });
  return 'hook';
}
