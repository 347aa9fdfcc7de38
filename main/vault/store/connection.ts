// The vault's one read-write SQLite connection: read transactions (DEFERRED, a consistent snapshot),
// write transactions (IMMEDIATE; a nested write is a SAVEPOINT, so a failed inner write leaves
// nothing behind while the outer one goes on), catch-up with other processes' commits (PRAGMA
// data_version + segment revs), the flush of dirty index segments at commit, and checkpoints.
import { statSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import type { Database, Statement } from 'better-sqlite3';
import { z } from 'zod';
import { KeyholdError } from '../../errors';
import type { Sealer } from '../crypto';
import { KeyIndex } from '../key-index';
import { checkManifest, segmentRowsHash, sha256, writeManifest, type Manifest } from '../manifest';
import type { ClearMeasure } from '../manifest-rows';
import type { KeyTuple } from '../key-tuple';
import { mapSqliteError } from '../sqlite-errors';
import { VaultWorkers } from '../vault-workers';
import { SEGMENT_LABEL, loadSegmentRow, SegmentRow } from './index-loader';
import { CountRow, row, type ReadTx, type WriteTx } from './tx';

/** SQLite's default: pages in the WAL before a commit checkpoints */
const WAL_AUTOCHECKPOINT = 1000;

const RevRow = z.object({ seg: z.number(), rev: z.number() });
const HeadRow = z.object({ audit_head_seq: z.number(), audit_head_hash: z.instanceof(Buffer).nullable() });

function walBytes(path: string): number {
  try {
    return statSync(`${path}-wal`).size;
  } catch {
    return 0;
  }
}

/** How to put one key back as it was before a savepoint (undefined tuple: it did not exist). */
interface Undo {
  id: string;
  seg: number | undefined;
  tuple: KeyTuple | undefined;
}

/** What a vault worker measured while the KDF ran, after this connection read `since`. */
export interface WorkerMeasure {
  since: number;
  clear: ClearMeasure;
}

export class Connection {
  readonly index = new KeyIndex();
  private db: Database | null;
  private readonly statements = new Map<string, Statement>();
  private dataVersion = -1;
  private depth = 0;
  private dirty: Set<number> | null = null;
  /** the index changes since the innermost open savepoint began (null outside savepoints) */
  private undo: Undo[] | null = null;
  private checkpointer: VaultWorkers | null = null;
  /** the sealed manifest as of the last commit (null until checkManifest at unlock) */
  private manifest: Manifest | null = null;
  private checkpointing = false;
  readonly reader: ReadTx;
  private readonly writer: WriteTx;

  constructor(
    db: Database,
    readonly path: string,
    private current: Sealer,
  ) {
    this.db = db;
    const stmt = (sql: string) => this.statement(sql);
    const base = {
      index: this.index,
      get: (sql: string, ...p: unknown[]) => stmt(sql).get(...p),
      all: (sql: string, ...p: unknown[]) => stmt(sql).all(...p),
      column: (sql: string, ...p: unknown[]) => this.statement(sql, true).all(...p),
      // a fresh statement: the caller may run other statements while it iterates
      iterate: (sql: string, ...p: unknown[]) => this.conn.prepare(sql).iterate(...p) as IterableIterator<unknown>,
    };
    this.reader = base as unknown as ReadTx;
    this.writer = {
      ...base,
      run: (sql: string, ...p: unknown[]) => void stmt(sql).run(...p),
      putTuple: (t: KeyTuple, seg?: number) => this.putTuple(t, seg),
      removeTuple: (id: string) => this.removeTuple(id),
      segmentForNew: () => this.index.segmentForNew(),
    } as unknown as WriteTx;
    // the sealer in use (passwd --rekey replaces it)
    for (const tx of [this.reader, this.writer]) Object.defineProperty(tx, 'sealer', { get: () => this.current, enumerable: true });
  }

  get sealer(): Sealer {
    return this.current;
  }

  /**
   * passwd --rekey, in one write transaction: `reseal` moves every sealed row to `next` (it gets
   * the old sealer), then the index segments and the manifest are sealed under `next` at commit.
   * The old sealer is zeroed once the commit is through; on failure `next` is.
   */
  rekey(next: Sealer, reseal: (db: Database, old: Sealer, next: Sealer) => void, committed: (old: Sealer) => void): void {
    const old = this.current;
    try {
      this.write(() => {
        reseal(this.conn, old, next);
        this.current = next;
        // each segment decoded and marked: sealed again under `next` at commit
        for (const seg of this.index.segmentIds()) for (const t of this.index.segmentTuples(seg)) this.putTuple(t, seg);
      });
    } catch (e) {
      this.current = old;
      next.zero();
      // the rollback left the file as it was: the index again as it is on disk, under the old key
      for (const seg of this.index.segmentIds()) this.index.dropSegment(seg);
      for (const seg of this.reader.column('SELECT seg FROM index_segments')) this.reloadSegment(Number(seg));
      throw e;
    }
    try {
      committed(old);
    } finally {
      old.zero();
    }
  }

  get isLocked(): boolean {
    return this.db === null;
  }

  get conn(): Database {
    if (!this.db || this.current.isZeroed) throw new KeyholdError('LOCKED', 'The vault is locked.');
    return this.db;
  }

  private statement(sql: string, pluck = false): Statement {
    const key = pluck ? `pluck:${sql}` : sql;
    let s = this.statements.get(key);
    if (!s) {
      s = this.conn.prepare(sql);
      if (pluck) s.pluck();
      this.statements.set(key, s);
    }
    return s;
  }

  readDataVersion(): number {
    return Number(this.conn.pragma('data_version', { simple: true }));
  }

  /** Records the data_version the loaded index reflects (after loading it). */
  markLoaded(version: number): void {
    this.dataVersion = version;
  }

  /** Catches up with commits of other connections (the CLI while the app is open, and back). */
  private sync(): void {
    const v = this.readDataVersion();
    if (v === this.dataVersion) return;
    const stored = new Map<number, number>();
    for (const r of this.reader.all('SELECT seg, rev FROM index_segments')) {
      const { seg, rev } = row(RevRow, r, 'index_segments');
      stored.set(seg, rev);
    }
    for (const seg of this.index.segmentIds()) if (!stored.has(seg)) this.index.dropSegment(seg);
    for (const [seg, rev] of stored) if (this.index.revs.get(seg) !== rev) this.reloadSegment(seg);
    if (this.manifest) {
      // another process wrote: the whole file must still agree with its manifest, and the
      // manifest cannot have gone back (a file replaced under us by an older copy)
      const before = this.manifest.counter;
      const m = this.checkManifest();
      if (m.counter < before) throw new KeyholdError('INTEGRITY', 'The vault file was replaced by an older copy while it was open.');
    }
    // only once everything agreed: a failed check fails every call until the vault is locked
    this.dataVersion = v;
  }

  /** Checks the whole file against its sealed manifest (INTEGRITY if anything disagrees) and keeps
   * it as the base of the next write. Reads only. */
  checkManifest(measured?: WorkerMeasure): Manifest {
    const vaultId = String(this.statement('SELECT vault_id FROM header WHERE id = 1', true).get());
    // what a worker measured after `since` counts only if this connection has seen no commit since
    // `since` (docs/ARCHITECTURE.md "Unlock"): then the index was read from that same state
    const known = measured?.since === this.dataVersion ? measured.clear : undefined;
    const m = checkManifest(this.conn, this.sealer, vaultId, known);
    if (m.keys !== this.index.size)
      throw new KeyholdError(
        'INTEGRITY',
        `The vault is damaged or tampered with: ${m.keys} keys sealed but ${this.index.size} in the index.`,
      );
    this.manifest = m;
    return m;
  }

  /** The write counter of the last commit this connection saw. */
  get writeCounter(): number {
    if (!this.manifest) throw new Error('no manifest loaded');
    return this.manifest.counter;
  }

  /** The manifest after this transaction's changes, sealed into its row (inside the transaction). */
  private nextManifest(changed: Map<number, string | null>): Manifest {
    const cur = this.manifest;
    if (!cur) throw new Error('write before the manifest was checked');
    const segments = new Map(cur.segments);
    for (const [seg, dataHash] of changed) {
      if (dataHash === null) segments.delete(seg);
      else segments.set(seg, { rev: this.index.revs.get(seg)!, data: dataHash, rows: segmentRowsHash(this.conn, seg) });
    }
    const head = row(HeadRow, this.reader.get('SELECT audit_head_seq, audit_head_hash FROM header WHERE id = 1'), 'header');
    const next: Manifest = {
      vaultId: cur.vaultId,
      counter: cur.counter + 1,
      keys: this.index.size,
      workspaces: row(CountRow, this.reader.get('SELECT count(*) AS n FROM workspaces'), 'workspaces').n,
      environments: row(CountRow, this.reader.get('SELECT count(*) AS n FROM environments'), 'environments').n,
      auditSeq: head.audit_head_seq,
      auditHash: head.audit_head_hash ? head.audit_head_hash.toString('hex') : null,
      segments,
    };
    writeManifest(this.conn, this.sealer, next);
    return next;
  }

  /** One segment again as it is on disk. */
  private reloadSegment(seg: number): void {
    const r = this.reader.get('SELECT seg, rev, data FROM index_segments WHERE seg = ?', seg);
    if (r !== undefined) loadSegmentRow(this.index, this.sealer, row(SegmentRow, r, 'index_segments'));
  }

  /** Reads run in one (deferred) transaction: a consistent snapshot while another process writes. */
  read<T>(fn: (tx: ReadTx) => T): T {
    try {
      if (this.depth > 0) return fn(this.reader);
      return this.conn
        .transaction(() => {
          this.sync();
          return fn(this.reader);
        })
        .deferred();
    } catch (e) {
      throw mapSqliteError(e);
    }
  }

  /**
   * One IMMEDIATE transaction, or inside one a SAVEPOINT. `bulk` commits with synchronous=NORMAL:
   * durable against a killed process (WAL), not against power loss until the next FULL commit;
   * every single write is FULL.
   */
  write<T>(fn: (tx: WriteTx) => T, bulk = false): T {
    const db = this.conn;
    if (this.depth > 0) return this.savepoint(db, fn);
    if (bulk) {
      db.pragma('synchronous = NORMAL');
      // no checkpoint inside a bulk commit (it would copy the WAL into the file on this thread):
      // a worker checkpoints in the background instead (checkpointSoon)
      db.pragma('wal_autocheckpoint = 0');
    }
    this.depth++;
    const dirty = new Set<number>();
    this.dirty = dirty;
    try {
      let next: Manifest | null = null;
      const r = db
        .transaction(() => {
          this.sync();
          const r = fn(this.writer);
          next = this.nextManifest(this.flush(dirty));
          return r;
        })
        .immediate();
      this.manifest = next;
      return r;
    } catch (e) {
      // the transaction rolled back: put the touched segments back as they are on disk
      try {
        for (const seg of dirty) {
          this.index.dropSegment(seg);
          this.reloadSegment(seg);
        }
      } catch {
        /* the original error matters more */
      }
      throw mapSqliteError(e);
    } finally {
      this.depth--;
      this.dirty = null;
      if (bulk) {
        db.pragma('synchronous = FULL');
        db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT}`);
        this.checkpointSoon();
      }
    }
  }

  /** A nested write: its SQL and its index changes are undone together when it throws. */
  private savepoint<T>(db: Database, fn: (tx: WriteTx) => T): T {
    const name = `w${this.depth}`;
    const outer = this.undo;
    const undo: Undo[] = [];
    db.exec(`SAVEPOINT ${name}`);
    this.depth++;
    this.undo = undo;
    try {
      const r = fn(this.writer);
      db.exec(`RELEASE ${name}`);
      // the outer savepoint (if any) must be able to undo these changes too
      if (outer) outer.push(...undo);
      return r;
    } catch (e) {
      db.exec(`ROLLBACK TO ${name}`);
      db.exec(`RELEASE ${name}`);
      for (let i = undo.length - 1; i >= 0; i--) {
        const u = undo[i]!;
        if (u.tuple === undefined) this.index.remove(u.id);
        else this.index.put(u.tuple, u.seg!);
      }
      throw e;
    } finally {
      this.depth--;
      this.undo = outer;
    }
  }

  private remember(id: string): void {
    if (this.undo) this.undo.push({ id, seg: this.index.segmentOf(id), tuple: this.index.tuple(id) });
  }

  private touch(seg: number): void {
    if (!this.dirty) throw new Error('index change outside a write transaction');
    this.dirty.add(seg);
  }

  private putTuple(t: KeyTuple, seg?: number): void {
    const s = seg ?? this.index.segmentOf(t[0]);
    if (s === undefined) throw new Error('putTuple without a segment');
    const old = this.index.segmentOf(t[0]);
    this.remember(t[0]);
    this.index.put(t, s);
    this.touch(s);
    if (old !== undefined && old !== s) this.touch(old);
  }

  private removeTuple(id: string): void {
    this.remember(id);
    const seg = this.index.remove(id);
    if (seg !== undefined) this.touch(seg);
  }

  /** Seals the dirty segments into their rows; returns each one's sealed hash (null: deleted). */
  private flush(dirty: Set<number>): Map<number, string | null> {
    const changed = new Map<number, string | null>();
    for (const seg of dirty) {
      const plain = this.index.encodeSegment(seg);
      if (plain === null) {
        this.writer.run('DELETE FROM index_segments WHERE seg = ?', seg);
        this.index.dropSegment(seg);
        changed.set(seg, null);
        continue;
      }
      const rev = (this.index.revs.get(seg) ?? 0) + 1;
      // deflated before sealing: a fraction of the bytes for secretbox to open at unlock
      const packed = deflateRawSync(plain, { level: 6 });
      plain.fill(0);
      const sealed = this.sealer.sealBytes(SEGMENT_LABEL, String(seg), packed);
      this.writer.run(
        'INSERT INTO index_segments (seg, rev, data) VALUES (?, ?, ?) ON CONFLICT(seg) DO UPDATE SET rev = excluded.rev, data = excluded.data',
        seg,
        rev,
        sealed,
      );
      packed.fill(0);
      this.index.revs.set(seg, rev);
      changed.set(seg, sha256(sealed));
    }
    return changed;
  }

  /** A PASSIVE checkpoint on a worker's own connection, one at a time (bulk writes). */
  private checkpointSoon(): void {
    if (this.checkpointing || this.isLocked) return;
    // nothing to do until the WAL holds what SQLite would have checkpointed by itself (a small
    // bulk write never starts the worker)
    if (!this.checkpointer && walBytes(this.path) < WAL_AUTOCHECKPOINT * 4096) return;
    this.checkpointer ??= new VaultWorkers(1);
    this.checkpointing = true;
    this.checkpointer
      .checkpoint(this.path)
      .catch(() => undefined) // best effort: SQLite checkpoints by itself at the next ordinary commit
      .finally(() => (this.checkpointing = false));
  }

  /** Wipes the key and the decrypted index and closes the file. */
  close(): void {
    if (this.db === null) return;
    this.sealer.zero();
    this.index.clear();
    this.manifest = null;
    this.checkpointer?.close();
    this.checkpointer = null;
    this.statements.clear();
    try {
      this.db.close();
    } finally {
      this.db = null;
    }
  }
}
