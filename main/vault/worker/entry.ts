// The vault worker thread (see vault-workers.ts for what runs here and why): SQLite's quick_check,
// what the manifest binds in clear (manifest-rows.ts) and PASSIVE WAL checkpoints. Built as its own
// entry (out/main/vault-worker.js); from source it runs under tsx.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { measureClear } from '../manifest-rows';
import { type Job, type Reply, parseWorkerData } from './protocol';

const port = parentPort;
if (!port) throw new Error('the vault worker runs only as a worker thread');
const { nativeBinding } = parseWorkerData(workerData);
const binding = nativeBinding ? { nativeBinding } : {};

function withDb<T>(path: string, readonly: boolean, use: (db: Database.Database) => T): T {
  const db = new Database(path, { ...binding, readonly, fileMustExist: true });
  try {
    return use(db);
  } finally {
    db.close();
  }
}

function run(m: Job): unknown {
  if (m.op === 'check')
    return withDb(m.path, true, (db) => (db.pragma('busy_timeout = 5000'), String(db.pragma('quick_check', { simple: true }))));
  if (m.op === 'measure') return withDb(m.path, true, (db) => (db.pragma('busy_timeout = 5000'), measureClear(db)));
  // a connection per checkpoint: none stays open to keep the vault's last close from
  // checkpointing and removing the WAL
  return withDb(m.path, false, (db) => (db.pragma('busy_timeout = 0'), db.pragma('wal_checkpoint(PASSIVE)')));
}

port.on('message', (m: Job & { id: number }) => {
  let reply: Reply;
  try {
    reply = { id: m.id, ok: true, result: run(m) };
  } catch (e) {
    const code = e instanceof Error && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
    reply = { id: m.id, ok: false, error: { code, message: e instanceof Error ? e.message : String(e) } };
  }
  port.postMessage(reply);
});
