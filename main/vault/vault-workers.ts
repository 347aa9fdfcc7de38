// Worker threads for the vault's heavy, self-contained jobs, so that the main process's event
// loop stays free and both cores work: SQLite's quick_check of the whole file (run while Argon2id
// derives the key), opening + inflating the sealed index segments at unlock (tweetnacl is pure JS:
// ~80 MB/s per core), and WAL checkpoints during bulk writes (a second connection: a PASSIVE
// checkpoint never blocks the writer).
//
// The worker's code is plain JavaScript evaluated from a string (`eval: true`): it then runs the
// same under tsx, vitest and the electron-vite bundle, with no extra build entry. It needs only
// node built-ins and the two packages whose resolved paths it is given.
import { Worker } from 'node:worker_threads';
import { KeyholdError } from '../errors';
import { sqliteBindingOptions } from './native-binding';

const WORKER_SOURCE = String.raw`
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { inflateRawSync } = require('node:zlib');
const nacl = require(workerData.nacl);
const Database = require(workerData.sqlite);
const binding = workerData.nativeBinding ? { nativeBinding: workerData.nativeBinding } : {};

function openSegment(key, seg, box) {
  if (box.length < 40) return null;
  const plain = nacl.secretbox.open(box.subarray(24), box.subarray(0, 24), key);
  if (!plain || plain.length < 2) return null;
  const id = Buffer.from(String(seg), 'utf8');
  const idLen = (plain[0] << 8) | plain[1];
  let ok = idLen === id.length && plain.length >= 2 + idLen;
  for (let i = 0; ok && i < idLen; i++) if (plain[2 + i] !== id[i]) ok = false;
  if (!ok) { plain.fill(0); return null; }
  const packed = plain.subarray(2 + idLen);
  try {
    return { plain: inflateRawSync(packed) };
  } catch {
    return { inflateError: true };
  } finally {
    plain.fill(0);
  }
}

// Warm the JIT now (while the KDF runs): tweetnacl's cipher runs 10-50 times slower until V8 has
// optimized it, and the first segments would pay for that.
{
  const key = new Uint8Array(32);
  const nonce = new Uint8Array(24);
  const msg = new Uint8Array(16384);
  for (let i = 0; i < 12; i++) nacl.secretbox.open(nacl.secretbox(msg, nonce, key), nonce, key);
  inflateRawSync(require('node:zlib').deflateRawSync(msg));
}

parentPort.on('message', (m) => {
  try {
    if (m.op === 'check') {
      const db = new Database(m.path, { ...binding, readonly: true, fileMustExist: true });
      try {
        db.pragma('busy_timeout = 5000');
        parentPort.postMessage({ id: m.id, ok: true, result: String(db.pragma('quick_check', { simple: true })) });
      } finally {
        db.close();
      }
    } else if (m.op === 'open') {
      const key = m.key;
      const out = [];
      try {
        for (const s of m.segs) {
          const r = openSegment(key, s.seg, s.data);
          if (r && r.plain) {
            const u = new Uint8Array(r.plain.buffer, r.plain.byteOffset, r.plain.byteLength);
            out.push({ seg: s.seg, plain: u });
          } else {
            out.push({ seg: s.seg, plain: null, inflateError: Boolean(r && r.inflateError) });
          }
        }
      } finally {
        key.fill(0);
      }
      // pooled Buffers share one ArrayBuffer: copy those rather than transfer the pool
      const own = out.map((o) => {
        if (!o.plain || o.plain.byteLength === o.plain.buffer.byteLength) return o;
        const copy = new Uint8Array(o.plain);
        o.plain.fill(0);
        return { ...o, plain: copy };
      });
      const ownTransfer = [];
      for (const o of own) if (o.plain && !ownTransfer.includes(o.plain.buffer)) ownTransfer.push(o.plain.buffer);
      parentPort.postMessage({ id: m.id, ok: true, result: own }, ownTransfer);
    } else if (m.op === 'checkpoint') {
      // a connection per checkpoint: none stays open to keep the vault's last close from
      // checkpointing and removing the WAL
      const db = new Database(m.path, { ...binding, fileMustExist: true });
      try {
        db.pragma('busy_timeout = 0');
        parentPort.postMessage({ id: m.id, ok: true, result: db.pragma('wal_checkpoint(PASSIVE)') });
      } finally {
        db.close();
      }
    }
  } catch (e) {
    parentPort.postMessage({ id: m.id, ok: false, error: { code: e && typeof e.code === 'string' ? e.code : undefined, message: String(e && e.message) } });
  }
});
`;

interface Reply {
  id: number;
  ok: boolean;
  result?: unknown;
  error?: { code?: string; message: string };
}

export interface OpenedSegment {
  seg: number;
  /** the inflated plaintext, or null when the box did not open (MAC or row binding) */
  plain: Uint8Array | null;
  inflateError?: boolean;
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
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { nacl: require.resolve('tweetnacl'), sqlite: require.resolve('better-sqlite3'), nativeBinding: sqliteBindingOptions().nativeBinding },
    });
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

  /**
   * Opens and inflates sealed segments on worker `i` with the segments' subkey (a copy: the worker
   * zeroes it when done). The sealed bytes are copied to the worker, the plaintext transferred back.
   */
  async openSegments(i: number, subkey: Uint8Array, segs: Array<{ seg: number; data: Uint8Array }>): Promise<OpenedSegment[]> {
    const key = new Uint8Array(subkey);
    const result = await this.worker(i).call({ op: 'open', key, segs }, [key.buffer as ArrayBuffer]);
    return result as OpenedSegment[];
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
