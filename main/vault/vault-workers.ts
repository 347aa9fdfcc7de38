// Worker threads for the vault's heavy, self-contained jobs, so that the main process's event
// loop stays free and both cores work: SQLite's quick_check of the whole file and the manifest's
// keys-rows hashes (both run while Argon2id derives the key), and WAL checkpoints during bulk
// writes (a second connection: a PASSIVE checkpoint never blocks the writer).
//
// The worker is built from worker/entry.ts: beside the bundle as vault-worker.js (electron-vite's
// main build, for the app and the CLI alike), or run from source under tsx (tests, `tsx` scripts).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { KeyholdError } from '../errors';
import { parseClearMeasure } from './manifest';
import type { ClearMeasure } from './manifest-rows';
import { sqliteBindingOptions } from './native-binding';
import type { Reply } from './worker/protocol';

/** The worker's code as the Worker constructor takes it: the built file when this module is
 * bundled; from source (this file is then main/vault/vault-workers.ts), a two-line bootstrap that
 * registers tsx's require hook and loads the TypeScript entry (Node 20 does not apply `--import`
 * loaders to a worker's entry file). */
function workerScript(): { source: string; eval: boolean } {
  if (__filename.endsWith('.ts')) {
    const entry = join(__dirname, 'worker', 'entry.ts');
    return { source: `require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(entry)});`, eval: true };
  }
  // the bundle may put this module in a chunk below out/main
  for (const dir of [__dirname, join(__dirname, '..')]) {
    const file = join(dir, 'vault-worker.js');
    if (existsSync(file)) return { source: file, eval: false };
  }
  throw new Error('vault-worker.js is missing beside the bundle');
}

/** An error from a worker, with SQLite's code kept so mapSqliteError can classify it. */
export class WorkerJobError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

/** One worker thread: jobs run one at a time in the order posted. */
class VaultWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  private nextId = 1;
  private dead: Error | null = null;

  constructor() {
    const script = workerScript();
    const nativeBinding = sqliteBindingOptions().nativeBinding;
    this.worker = new Worker(script.source, { eval: script.eval, workerData: typeof nativeBinding === 'string' ? { nativeBinding } : {} });
    this.worker.unref(); // never what keeps a process (the CLI, a test) alive
    this.worker.on('message', (m: Reply) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.result);
      else p.reject(new WorkerJobError(m.error?.message ?? 'worker job failed', m.error?.code));
    });
    const fail = (e: Error) => {
      this.dead = e;
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', () => fail(new Error('vault worker exited')));
  }

  call(msg: Record<string, unknown>, transfer: ArrayBuffer[] = []): Promise<unknown> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...msg, id }, transfer);
    });
  }

  terminate(): void {
    this.pending.clear();
    void this.worker.terminate();
  }
}

/** A small pool (one worker per core we may use: two here). */
export class VaultWorkers {
  /** started on first use (a thread costs tens of ms to start), or all at once by start() */
  private readonly workers: Array<VaultWorker | undefined>;
  private closed = false;

  constructor(size = 2) {
    this.workers = new Array<VaultWorker | undefined>(Math.max(1, size)).fill(undefined);
  }

  /** Starts every worker now (openVault: while the KDF runs). */
  start(): this {
    for (let i = 0; i < this.workers.length; i++) this.worker(i);
    return this;
  }

  get size(): number {
    return this.workers.length;
  }

  private worker(i: number): VaultWorker {
    if (this.closed) throw new KeyholdError('LOCKED', 'The vault is locked.');
    const at = i % this.workers.length;
    return (this.workers[at] ??= new VaultWorker());
  }

  /** SQLite's quick_check of the file, read-only, on worker 0: 'ok' or SQLite's first complaint. */
  async quickCheck(path: string): Promise<string> {
    return String(await this.worker(0).call({ op: 'check', path }));
  }

  /** What the manifest binds in clear (manifest-rows.ts: the segments' hashes and the keys
   * rows), read-only, on worker 0 after its quick_check: one thread beside the KDF's, which both
   * cores are busy with. */
  async measureClear(path: string): Promise<ClearMeasure> {
    return parseClearMeasure(await this.worker(0).call({ op: 'measure', path }));
  }

  /** A PASSIVE checkpoint on a worker's own connection (never blocks the writer). */
  async checkpoint(path: string): Promise<void> {
    await this.worker(this.workers.length - 1).call({ op: 'checkpoint', path });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const w of this.workers) w?.terminate();
  }
}
