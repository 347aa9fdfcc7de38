// The vault worker thread (see vault-workers.ts for what runs here and why): SQLite's quick_check,
// the manifest's keys-rows hashes (manifest-rows.ts), opening + inflating sealed index segments with
// the same openBound the main thread uses, and PASSIVE WAL checkpoints. Built as its own entry (out/main/vault-worker.js); from source it runs
// under tsx.
import { parentPort, workerData } from 'node:worker_threads';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import Database from 'better-sqlite3';
import nacl from 'tweetnacl';
import { measureRows } from '../manifest-rows';
import { openBound } from '../secretbox';
import { type Job, type OpenedSegment, type Reply, parseWorkerData } from './protocol';

const port = parentPort;
if (!port) throw new Error('the vault worker runs only as a worker thread');
const { nativeBinding } = parseWorkerData(workerData);
const binding = nativeBinding ? { nativeBinding } : {};

function openSegment(key: Uint8Array, seg: number, box: Uint8Array): OpenedSegment {
  const packed = openBound(key, String(seg), box);
  if (!packed) return { seg, plain: null };
  try {
    const plain = inflateRawSync(packed);
    return { seg, plain: new Uint8Array(plain.buffer, plain.byteOffset, plain.byteLength) };
  } catch {
    return { seg, plain: null, inflateError: true };
  } finally {
    packed.fill(0);
  }
}

// Warm the JIT now (while the KDF runs): tweetnacl's cipher runs 10-50 times slower until V8 has
// optimized it, and the first segments would pay for that.
{
  const key = new Uint8Array(32);
  const nonce = new Uint8Array(24);
  const msg = new Uint8Array(16384);
  for (let i = 0; i < 12; i++) nacl.secretbox.open(nacl.secretbox(msg, nonce, key), nonce, key);
  inflateRawSync(deflateRawSync(msg));
}

function readOnly<T>(path: string, read: (db: Database.Database) => T): T {
  const db = new Database(path, { ...binding, readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    return read(db);
  } finally {
    db.close();
  }
}

function run(m: Job): { result: unknown; transfer: ArrayBuffer[] } {
  if (m.op === 'check') return { result: readOnly(m.path, (db) => String(db.pragma('quick_check', { simple: true }))), transfer: [] };
  if (m.op === 'rows') return { result: readOnly(m.path, (db) => measureRows(db)), transfer: [] };
  if (m.op === 'open') {
    const out: OpenedSegment[] = [];
    try {
      for (const s of m.segs) out.push(openSegment(m.key, s.seg, s.data));
    } finally {
      m.key.fill(0);
    }
    // pooled Buffers share one ArrayBuffer: copy those rather than transfer the pool
    const own = out.map((o) => {
      if (!o.plain || o.plain.byteLength === o.plain.buffer.byteLength) return o;
      const copy = new Uint8Array(o.plain);
      o.plain.fill(0);
      return { ...o, plain: copy };
    });
    const transfer: ArrayBuffer[] = [];
    for (const o of own) if (o.plain && !transfer.includes(o.plain.buffer as ArrayBuffer)) transfer.push(o.plain.buffer as ArrayBuffer);
    return { result: own, transfer };
  }
  // a connection per checkpoint: none stays open to keep the vault's last close from
  // checkpointing and removing the WAL
  const db = new Database(m.path, { ...binding, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 0');
    return { result: db.pragma('wal_checkpoint(PASSIVE)'), transfer: [] };
  } finally {
    db.close();
  }
}

port.on('message', (m: Job & { id: number }) => {
  let reply: Reply;
  try {
    const { result, transfer } = run(m);
    reply = { id: m.id, ok: true, result };
    port.postMessage(reply, transfer);
  } catch (e) {
    const code = e instanceof Error && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
    reply = { id: m.id, ok: false, error: { code, message: e instanceof Error ? e.message : String(e) } };
    port.postMessage(reply);
  }
});
