// The unlocked vault: VaultSession over one read-write SQLite connection, the vault key (in a
// Sealer) and the decrypted key index. Every public write is one IMMEDIATE transaction; before
// it writes, it catches up with commits of other processes (PRAGMA data_version + segment revs).
import { statSync } from 'node:fs';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Database, Statement } from 'better-sqlite3';
import { z } from 'zod';
import { KeyholdError } from '../errors';
import { pooledRandom, type Sealer } from './crypto';
import { KeyIndex, decodeSegment } from './key-index';
import { VaultWorkers, type OpenedSegment } from './vault-workers';
import {
  AuditData,
  EnvironmentData,
  PendingData,
  VersionData,
  WorkspaceData,
  fromTuple,
  parseSealed,
  toTuple,
  type KeyTuple,
} from './records';
import { FORMAT_VERSION } from './schema';
import { mapSqliteError } from './sqlite-errors';
import {
  AUDIT_ACTIONS,
  KEY_KINDS,
  KEY_STATES,
  PROVIDERS,
  type AuditEvent,
  type AuditInput,
  type Environment,
  type KdfParams,
  type KeyPage,
  type KeyPatch,
  type KeyQuery,
  type KeyRecord,
  type KeyVersion,
  type NewKey,
  type PendingOperation,
  type Provider,
  type VaultSession,
  type VaultStats,
  type Workspace,
} from './types';

export const LIMITS = {
  name: 1024,
  description: 64 * 1024,
  secret: 4 * 1024 * 1024,
  publicPart: 64 * 1024,
  detail: 4096,
} as const;

const SEGMENT_LABEL = 'index_segments.data';
/** SQLite's default: pages in the WAL before a commit checkpoints */
const WAL_AUTOCHECKPOINT = 1000;

/**
 * A new row id: 48 bits of time (ms) then 48 random bits, in hex. Time first so that new rows go to
 * the end of every B-tree keyed by id (keys, key_versions): a bulk insert then writes a few pages
 * per commit instead of one random page per key. It tells no more than key_versions.created_at,
 * which is in clear already.
 */
export function newId(): string {
  return Date.now().toString(16).padStart(12, '0') + Buffer.from(pooledRandom(6)).toString('hex');
}

function walBytes(path: string): number {
  try {
    return statSync(`${path}-wal`).size;
  } catch {
    return 0;
  }
}

function nowIso(): string {
  return new Date().toISOString();
}

/** String#isWellFormed (Node 20+; ES2024, beyond this project's lib typings): native, and much
 * faster than the regex below on the bulk path */
const isWellFormed = (String.prototype as { isWellFormed?: (this: string) => boolean }).isWellFormed;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Text fields: well-formed Unicode (a lone surrogate would not survive UTF-8) within a limit. */
export function checkText(value: string, what: string, max: number, opts: { allowEmpty?: boolean } = {}): string {
  if (typeof value !== 'string') throw new KeyholdError('INVALID_INPUT', `The ${what} must be text.`);
  if (!opts.allowEmpty && value.trim() === '') throw new KeyholdError('INVALID_INPUT', `The ${what} must not be empty.`);
  if (value.length > max) throw new KeyholdError('INVALID_INPUT', `The ${what} is too long (at most ${max} characters).`);
  if (!(isWellFormed ? isWellFormed.call(value) : !LONE_SURROGATE.test(value))) throw new KeyholdError('INVALID_INPUT', `The ${what} is not valid Unicode text.`);
  return value;
}

const SegmentRow = z.object({ seg: z.number(), rev: z.number(), data: z.instanceof(Buffer) });
const RevRow = z.object({ seg: z.number(), rev: z.number() });
const IdData = z.object({ id: z.string(), data: z.instanceof(Buffer) });
const EnvRow = z.object({ id: z.string(), workspace_id: z.string(), data: z.instanceof(Buffer) });
const VersionRow = z.object({ version: z.number(), created_at: z.string(), data: z.instanceof(Buffer) });
const AuditRow = z.object({ seq: z.number(), at: z.string(), data: z.instanceof(Buffer), hash: z.instanceof(Buffer) });
const HeadRow = z.object({ audit_head_seq: z.number(), audit_head_hash: z.instanceof(Buffer).nullable() });
const SecretRow = z.object({ secret: z.instanceof(Buffer).nullable() });
const CountRow = z.object({ n: z.number() });

const WorkspaceSealed = WorkspaceData.extend({ createdAt: z.string() });
const EnvironmentSealed = EnvironmentData.extend({ workspaceId: z.string(), createdAt: z.string() });
const PendingSealed = PendingData.extend({ createdAt: z.string(), updatedAt: z.string() });
const AuditSealed = AuditData.extend({ at: z.string() });

function row<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new KeyholdError('INTEGRITY', `The vault is damaged: an unexpected row in ${where}.`);
  return r.data;
}

function seqBytes(seq: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(seq));
  return b;
}

export interface DumpKey {
  record: KeyRecord;
  currentVersion: number;
  versions: Array<{ version: number; createdAt: string; publicPart: string | null; remoteId: string | null; secret: string | null }>;
}

/** A whole vault in the clear (only ever inside an encrypted backup). */
export interface VaultDump {
  workspaces: Workspace[];
  environments: Environment[];
  keys: DumpKey[];
  settings: Record<string, string>;
  pending: PendingOperation[];
  audit: AuditEvent[];
}

export interface SessionInit {
  db: Database;
  path: string;
  sealer: Sealer;
  kdf: KdfParams;
}

export class VaultStore implements VaultSession {
  readonly path: string;
  private db: Database | null;
  private readonly sealer: Sealer;
  private readonly index = new KeyIndex();
  private kdf: KdfParams;
  private dataVersion = -1;
  private depth = 0;
  private dirty: Set<number> | null = null;
  private checkpointer: VaultWorkers | null = null;
  private checkpointing = false;
  /** set when the vault locks, by whoever wants to know (the VaultManager) */
  onLock: (() => void) | undefined;

  constructor(init: SessionInit) {
    this.db = init.db;
    this.path = init.path;
    this.sealer = init.sealer;
    this.kdf = init.kdf;
  }

  // ---- plumbing ------------------------------------------------------------------------------

  private get conn(): Database {
    if (!this.db || this.sealer.isZeroed) throw new KeyholdError('LOCKED', 'The vault is locked.');
    return this.db;
  }

  get isLocked(): boolean {
    return this.db === null;
  }

  /**
   * Reads every index segment. With workers, they open and inflate the sealed segments (both
   * cores) while this thread parses what they send back; either way the event loop gets a turn
   * every few milliseconds.
   */
  async loadIndex(workers?: VaultWorkers): Promise<void> {
    const rows = this.conn.prepare('SELECT seg, rev, data FROM index_segments ORDER BY seg').all().map((r) => row(SegmentRow, r, 'index_segments'));
    this.dataVersion = this.readDataVersion();
    let last = performance.now();
    const breathe = async (): Promise<boolean> => {
      if (performance.now() - last <= 8) return true;
      await new Promise<void>((resolve) => setImmediate(resolve));
      last = performance.now();
      return !this.isLocked;
    };
    if (!workers || rows.length < 4) {
      for (const r of rows) {
        this.loadSegmentRow(r);
        this.index.warmSegment(r.seg);
        if (!(await breathe())) return;
      }
      return;
    }
    // The workers pull small jobs from the queue (each opens and inflates, already warmed up while
    // the KDF ran); this thread only decodes what they send back. (Opening segments here too was
    // measured: no faster on two cores, as this thread's tweetnacl is still cold, and the event
    // loop waited longer.)
    const queue = rows.slice();
    const opened: OpenedSegment[] = [];
    const revOf = new Map(rows.map((r) => [r.seg, r.rev]));
    let inFlight = 0;
    let failure: unknown = null;
    let wake: (() => void) | null = null;
    const subkey = this.sealer.subkeyCopy(SEGMENT_LABEL);
    const pump = (w: number): void => {
      if (queue.length === 0 || failure !== null || this.isLocked) return;
      const job = queue.splice(0, 4).map((r) => ({ seg: r.seg, data: r.data }));
      inFlight++;
      workers
        .openSegments(w, subkey, job)
        .then(
          (r) => void opened.push(...r),
          (e: unknown) => void (failure ??= e),
        )
        .finally(() => {
          inFlight--;
          wake?.();
          pump(w);
        });
    };
    try {
      // two jobs in flight per worker: no idle gap while a result travels back
      for (let round = 0; round < 2; round++) for (let w = 0; w < workers.size; w++) pump(w);
      while (queue.length > 0 || inFlight > 0 || opened.length > 0) {
        if (failure !== null) throw failure;
        const o = opened.shift();
        if (o) this.loadOpenedSegment(o.seg, revOf.get(o.seg)!, o.plain, Boolean(o.inflateError));
        else {
          await new Promise<void>((resolve) => (wake = resolve));
          wake = null;
        }
        if (!(await breathe())) return;
      }
      if (failure !== null) throw failure;
    } finally {
      subkey.fill(0);
    }
  }

  /**
   * Builds every segment's search haystack in small slices after unlock, so that the first
   * keystroke of a search finds them ready and the event loop is never held for long.
   */
  async warmSearch(): Promise<void> {
    let last = performance.now();
    for (const seg of this.index.segmentIds()) {
      if (this.isLocked) return;
      this.index.warmSearch(seg);
      if (performance.now() - last > 8) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        last = performance.now();
      }
    }
  }

  private loadSegmentRow({ seg, rev, data }: z.output<typeof SegmentRow>): void {
    const sealed = this.sealer.openBytes(SEGMENT_LABEL, String(seg), data);
    let plain: Buffer | null = null;
    let inflateError = false;
    try {
      plain = inflateRawSync(sealed);
    } catch {
      inflateError = true;
    } finally {
      sealed.fill(0);
    }
    this.loadOpenedSegment(seg, rev, plain, inflateError);
  }

  /** One segment again as it is on disk; `get` selects seg, rev, data by seg. */
  private reloadSegment(get: Statement, seg: number): void {
    const r = get.get(seg);
    if (r !== undefined) this.loadSegmentRow(row(SegmentRow, r, 'index_segments'));
  }

  private loadOpenedSegment(seg: number, rev: number, plain: Uint8Array | null, inflateError: boolean): void {
    if (inflateError) throw new KeyholdError('INTEGRITY', `The vault is damaged: index segment ${seg} does not inflate.`);
    if (!plain) throw new KeyholdError('INTEGRITY', `The vault is damaged or tampered with: a sealed value in ${SEGMENT_LABEL} (row ${seg}) does not open.`);
    try {
      this.index.loadSegment(seg, rev, decodeSegment(plain, seg));
    } finally {
      plain.fill(0);
    }
  }

  private readDataVersion(): number {
    return Number(this.conn.pragma('data_version', { simple: true }));
  }

  /** Catches up with commits of other connections (the CLI while the app is open, and back). */
  private sync(): void {
    const v = this.readDataVersion();
    if (v === this.dataVersion) return;
    this.dataVersion = v;
    const stored = new Map<number, number>();
    for (const r of this.conn.prepare('SELECT seg, rev FROM index_segments').all()) {
      const { seg, rev } = row(RevRow, r, 'index_segments');
      stored.set(seg, rev);
    }
    for (const seg of this.index.segmentIds()) if (!stored.has(seg)) this.index.dropSegment(seg);
    const get = this.conn.prepare('SELECT seg, rev, data FROM index_segments WHERE seg = ?');
    for (const [seg, rev] of stored) if (this.index.revs.get(seg) !== rev) this.reloadSegment(get, seg);
  }

  /** Reads run in one (deferred) transaction: a consistent snapshot while another process writes. */
  private read<T>(fn: () => T): T {
    try {
      if (this.depth > 0) return fn();
      return this.conn
        .transaction(() => {
          this.sync();
          return fn();
        })
        .deferred();
    } catch (e) {
      throw mapSqliteError(e);
    }
  }

  /**
   * One IMMEDIATE transaction. `bulk` commits with synchronous=NORMAL: durable against a killed
   * process (WAL), not against power loss until the next FULL commit; every single write is FULL.
   */
  private write<T>(fn: () => T, bulk = false): T {
    const db = this.conn;
    if (this.depth > 0) return fn();
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
      const result = db
        .transaction(() => {
          this.sync();
          const r = fn();
          this.flush(dirty);
          return r;
        })
        .immediate();
      return result;
    } catch (e) {
      // the transaction rolled back: put the touched segments back as they are on disk
      try {
        const get = db.prepare('SELECT seg, rev, data FROM index_segments WHERE seg = ?');
        for (const seg of dirty) {
          this.index.dropSegment(seg);
          this.reloadSegment(get, seg);
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

  private touch(seg: number): void {
    if (!this.dirty) throw new Error('index change outside a write transaction');
    this.dirty.add(seg);
  }

  private flush(dirty: Set<number>): void {
    const db = this.conn;
    const upsert = db.prepare(
      'INSERT INTO index_segments (seg, rev, data) VALUES (?, ?, ?) ON CONFLICT(seg) DO UPDATE SET rev = excluded.rev, data = excluded.data',
    );
    const del = db.prepare('DELETE FROM index_segments WHERE seg = ?');
    for (const seg of dirty) {
      const plain = this.index.encodeSegment(seg);
      if (plain === null) {
        del.run(seg);
        this.index.dropSegment(seg);
        continue;
      }
      const rev = (this.index.revs.get(seg) ?? 0) + 1;
      // deflated before sealing: a fraction of the bytes for secretbox to open at unlock
      const packed = deflateRawSync(plain, { level: 6 });
      plain.fill(0);
      upsert.run(seg, rev, this.sealer.sealBytes(SEGMENT_LABEL, String(seg), packed));
      packed.fill(0);
      this.index.revs.set(seg, rev);
    }
  }

  // ---- vault -----------------------------------------------------------------------------------

  stats(): VaultStats {
    return this.read(() => {
      const count = (table: string) => row(CountRow, this.conn.prepare(`SELECT count(*) AS n FROM ${table}`).get(), table).n;
      return {
        path: this.path,
        formatVersion: FORMAT_VERSION,
        kdf: { ...this.kdf },
        workspaces: count('workspaces'),
        environments: count('environments'),
        keys: this.index.size,
      };
    });
  }

  get kdfParams(): KdfParams {
    return { ...this.kdf };
  }

  /** After passwd: the header now holds these parameters. */
  setKdfParams(kdf: KdfParams): void {
    this.kdf = { ...kdf };
  }

  /** The raw connection for vault-level operations (passwd, backup) in main/vault only. */
  connection(): Database {
    return this.conn;
  }

  sealerForVault(): Sealer {
    if (this.isLocked) throw new KeyholdError('LOCKED', 'The vault is locked.');
    return this.sealer;
  }

  transaction<T>(fn: () => T, options: { bulk?: boolean } = {}): T {
    return this.write(fn, Boolean(options.bulk));
  }

  // ---- workspaces ------------------------------------------------------------------------------

  private readWorkspaces(): Workspace[] {
    return this.conn
      .prepare('SELECT id, data FROM workspaces ORDER BY created_at, id')
      .all()
      .map((raw) => {
        const { id, data } = row(IdData, raw, 'workspaces');
        const w = parseSealed(WorkspaceSealed, this.sealer.openJson('workspaces.data', id, data), 'workspaces');
        return { id, name: w.name, provider: w.provider, url: w.url, credentialKeyId: w.credentialKeyId, createdAt: w.createdAt };
      });
  }

  private writeWorkspace(w: Workspace): void {
    const data = this.sealer.sealJson('workspaces.data', w.id, {
      name: w.name,
      provider: w.provider,
      url: w.url,
      credentialKeyId: w.credentialKeyId,
      createdAt: w.createdAt,
    });
    this.conn
      .prepare('INSERT INTO workspaces (id, created_at, data) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET data = excluded.data')
      .run(w.id, w.createdAt, data);
  }

  private checkWorkspaceName(name: string, exceptId?: string): string {
    const n = checkText(name, 'workspace name', LIMITS.name).trim();
    if (this.readWorkspaces().some((w) => w.id !== exceptId && w.name.toLowerCase() === n.toLowerCase())) {
      throw new KeyholdError('CONFLICT', `A workspace named "${n.slice(0, 80)}" already exists.`);
    }
    return n;
  }

  addWorkspace(input: { name: string; provider: Provider; url?: string | null }): Workspace {
    if (!PROVIDERS.includes(input.provider)) throw new KeyholdError('INVALID_INPUT', `Unknown provider; use one of ${PROVIDERS.join(', ')}.`);
    const url = input.url == null ? null : checkText(input.url, 'workspace URL', 2048);
    return this.write(() => {
      const w: Workspace = {
        id: newId(),
        name: this.checkWorkspaceName(input.name),
        provider: input.provider,
        url,
        credentialKeyId: null,
        createdAt: nowIso(),
      };
      this.writeWorkspace(w);
      return w;
    });
  }

  listWorkspaces(): Workspace[] {
    return this.read(() => this.readWorkspaces());
  }

  getWorkspace(idOrName: string): Workspace {
    return this.read(() => this.findWorkspace(idOrName));
  }

  private findWorkspace(idOrName: string): Workspace {
    const all = this.readWorkspaces();
    const w = all.find((x) => x.id === idOrName) ?? all.find((x) => x.name.toLowerCase() === idOrName.trim().toLowerCase());
    if (!w) throw new KeyholdError('NOT_FOUND', `No workspace "${idOrName.slice(0, 80)}".`);
    return w;
  }

  updateWorkspace(id: string, patch: Partial<Pick<Workspace, 'name' | 'url' | 'credentialKeyId'>>): Workspace {
    return this.write(() => {
      const w = this.findWorkspace(id);
      const next: Workspace = { ...w };
      if (patch.name !== undefined) next.name = this.checkWorkspaceName(patch.name, w.id);
      if (patch.url !== undefined) next.url = patch.url === null ? null : checkText(patch.url, 'workspace URL', 2048);
      if (patch.credentialKeyId !== undefined) {
        if (patch.credentialKeyId !== null && !this.index.has(patch.credentialKeyId)) throw new KeyholdError('NOT_FOUND', 'No such key.');
        next.credentialKeyId = patch.credentialKeyId;
      }
      this.writeWorkspace(next);
      return next;
    });
  }

  removeWorkspace(id: string): void {
    this.write(() => {
      const w = this.findWorkspace(id);
      const n = row(CountRow, this.conn.prepare('SELECT count(*) AS n FROM keys WHERE workspace_id = ?').get(w.id), 'keys').n;
      if (n > 0) throw new KeyholdError('CONFLICT', `The workspace "${w.name.slice(0, 80)}" still holds ${n} key(s): remove them first.`);
      this.conn.prepare('DELETE FROM workspaces WHERE id = ?').run(w.id);
    });
  }

  // ---- environments ----------------------------------------------------------------------------

  private readEnvironments(workspaceId?: string): Environment[] {
    const rows =
      workspaceId === undefined
        ? this.conn.prepare('SELECT id, workspace_id, data FROM environments ORDER BY created_at, id').all()
        : this.conn.prepare('SELECT id, workspace_id, data FROM environments WHERE workspace_id = ? ORDER BY created_at, id').all(workspaceId);
    return rows.map((raw) => {
      const { id, workspace_id, data } = row(EnvRow, raw, 'environments');
      const e = parseSealed(EnvironmentSealed, this.sealer.openJson('environments.data', id, data), 'environments');
      if (e.workspaceId !== workspace_id) throw new KeyholdError('INTEGRITY', 'The vault is damaged or tampered with: an environment was moved.');
      return { id, workspaceId: e.workspaceId, name: e.name, remoteId: e.remoteId, createdAt: e.createdAt };
    });
  }

  addEnvironment(input: { workspaceId: string; name: string; remoteId?: string | null }): Environment {
    return this.write(() => {
      const ws = this.findWorkspace(input.workspaceId);
      const name = checkText(input.name, 'environment name', LIMITS.name).trim();
      if (this.readEnvironments(ws.id).some((e) => e.name.toLowerCase() === name.toLowerCase())) {
        throw new KeyholdError('CONFLICT', `The workspace already has an environment named "${name.slice(0, 80)}".`);
      }
      const env: Environment = {
        id: newId(),
        workspaceId: ws.id,
        name,
        remoteId: input.remoteId == null ? null : checkText(input.remoteId, 'remote id', LIMITS.name),
        createdAt: nowIso(),
      };
      const data = this.sealer.sealJson('environments.data', env.id, {
        name: env.name,
        remoteId: env.remoteId,
        workspaceId: env.workspaceId,
        createdAt: env.createdAt,
      });
      this.conn.prepare('INSERT INTO environments (id, workspace_id, created_at, data) VALUES (?, ?, ?, ?)').run(env.id, env.workspaceId, env.createdAt, data);
      return env;
    });
  }

  listEnvironments(workspaceId?: string): Environment[] {
    return this.read(() => this.readEnvironments(workspaceId === undefined ? undefined : this.findWorkspace(workspaceId).id));
  }

  private findEnvironment(idOrName: string, workspaceId?: string): Environment {
    const all = this.readEnvironments(workspaceId === undefined ? undefined : this.findWorkspace(workspaceId).id);
    const byId = all.find((e) => e.id === idOrName);
    if (byId) return byId;
    const byName = all.filter((e) => e.name.toLowerCase() === idOrName.trim().toLowerCase());
    if (byName.length > 1) throw new KeyholdError('USAGE', `More than one environment is named "${idOrName.slice(0, 80)}": give its workspace or its id.`);
    if (!byName[0]) throw new KeyholdError('NOT_FOUND', `No environment "${idOrName.slice(0, 80)}".`);
    return byName[0];
  }

  getEnvironment(idOrName: string, workspaceId?: string): Environment {
    return this.read(() => this.findEnvironment(idOrName, workspaceId));
  }

  removeEnvironment(id: string): void {
    this.write(() => {
      const env = this.findEnvironment(id);
      // its keys stay in the workspace, without an environment
      for (const t of this.tuplesWhere((t) => t[2] === env.id)) {
        this.putTuple([t[0], t[1], null, ...t.slice(3)] as unknown as KeyTuple);
      }
      this.conn.prepare('UPDATE keys SET environment_id = NULL WHERE environment_id = ?').run(env.id);
      this.conn.prepare('DELETE FROM environments WHERE id = ?').run(env.id);
    });
  }

  // ---- keys ------------------------------------------------------------------------------------

  private tuplesWhere(pred: (t: KeyTuple) => boolean): KeyTuple[] {
    const out: KeyTuple[] = [];
    for (const seg of this.index.segmentIds()) for (const t of this.index.segmentTuples(seg)) if (pred(t)) out.push(t);
    return out;
  }

  private putTuple(t: KeyTuple, seg?: number): void {
    const s = seg ?? this.index.segmentOf(t[0]);
    if (s === undefined) throw new Error('putTuple without a segment');
    this.index.put(t, s);
    this.touch(s);
  }

  private requireTuple(id: string): KeyTuple {
    const t = typeof id === 'string' ? this.index.tuple(id) : undefined;
    if (!t) throw new KeyholdError('NOT_FOUND', `No key "${String(id).slice(0, 80)}".`);
    return t;
  }

  private validateNewKey(input: NewKey, ctx: { workspaces: Set<string>; envWorkspace: Map<string, string> }): void {
    if (!KEY_KINDS.includes(input.kind)) throw new KeyholdError('INVALID_INPUT', `Unknown key kind; use one of ${KEY_KINDS.join(', ')}.`);
    if (input.state !== undefined && !KEY_STATES.includes(input.state)) throw new KeyholdError('INVALID_INPUT', 'Unknown key state.');
    checkText(input.name, 'key name', LIMITS.name);
    if (input.description !== undefined) checkText(input.description, 'description', LIMITS.description, { allowEmpty: true });
    if (input.publicPart != null) checkText(input.publicPart, 'public part', LIMITS.publicPart);
    if (input.fingerprint != null) checkText(input.fingerprint, 'fingerprint', LIMITS.name);
    if (input.remoteId != null) checkText(input.remoteId, 'remote id', LIMITS.name);
    if (input.role != null) checkText(input.role, 'role', LIMITS.name);
    if (input.secret != null) checkText(input.secret, 'secret', LIMITS.secret);
    if (input.workspaceId != null && !ctx.workspaces.has(input.workspaceId)) throw new KeyholdError('NOT_FOUND', 'No such workspace.');
    if (input.environmentId != null) {
      const ws = ctx.envWorkspace.get(input.environmentId);
      if (ws === undefined) throw new KeyholdError('NOT_FOUND', 'No such environment.');
      if (input.workspaceId != null && ws !== input.workspaceId) throw new KeyholdError('INVALID_INPUT', 'The environment belongs to another workspace.');
    }
  }

  addKey(input: NewKey): KeyRecord {
    return this.addKeys([input])[0]!;
  }

  addKeys(inputs: NewKey[]): KeyRecord[] {
    return this.write(() => {
      const db = this.conn;
      const workspaces = new Set(db.prepare('SELECT id FROM workspaces').pluck().all().map(String));
      const envWorkspace = new Map<string, string>();
      for (const r of db.prepare('SELECT id, workspace_id FROM environments').all()) {
        const e = row(z.object({ id: z.string(), workspace_id: z.string() }), r, 'environments');
        envWorkspace.set(e.id, e.workspace_id);
      }
      for (const input of inputs) this.validateNewKey(input, { workspaces, envWorkspace });
      const insKey = db.prepare('INSERT INTO keys (id, workspace_id, environment_id, seg, current_version) VALUES (?, ?, ?, ?, 1)');
      const insVer = db.prepare('INSERT INTO key_versions (key_id, version, created_at, data, secret) VALUES (?, 1, ?, ?, ?)');
      const now = nowIso();
      const out: KeyRecord[] = [];
      for (const input of inputs) {
        const id = newId();
        const environmentId = input.environmentId ?? null;
        const workspaceId = input.workspaceId ?? (environmentId ? envWorkspace.get(environmentId)! : null);
        const rec: KeyRecord = {
          id,
          workspaceId,
          environmentId,
          kind: input.kind,
          name: input.name,
          description: input.description ?? '',
          state: input.state ?? 'active',
          remoteId: input.remoteId ?? null,
          flags: { ...(input.flags ?? {}) },
          role: input.role ?? null,
          publicPart: input.publicPart ?? null,
          fingerprint: input.fingerprint ?? null,
          meta: { ...(input.meta ?? {}) },
          remoteMissing: false,
          createdAt: now,
          updatedAt: now,
          rotatedAt: null,
          hasSecret: input.secret != null,
        };
        const seg = this.index.segmentForNew();
        insKey.run(id, workspaceId, environmentId, seg);
        const vid = `${id}/1`;
        insVer.run(
          id,
          now,
          this.sealer.sealJson('key_versions.data', vid, { publicPart: rec.publicPart, remoteId: rec.remoteId, createdAt: now }),
          input.secret == null ? null : this.sealer.seal('key_versions.secret', vid, input.secret),
        );
        this.putTuple(toTuple(rec), seg);
        out.push(rec);
      }
      return out;
    }, inputs.length > 1);
  }

  getKey(id: string): KeyRecord {
    return this.read(() => fromTuple(this.requireTuple(id)));
  }

  listKeys(query: KeyQuery = {}): KeyPage {
    return this.read(() => {
      let wsOfProvider: ((p: string) => Set<string>) | undefined;
      if (query.provider) {
        const ws = this.readWorkspaces();
        wsOfProvider = (p) => new Set(ws.filter((w) => w.provider === p).map((w) => w.id));
      }
      return this.index.query(query, wsOfProvider);
    });
  }

  updateKey(id: string, patch: KeyPatch): KeyRecord {
    return this.write(() => this.patchKey(id, patch, false));
  }

  private patchKey(id: string, patch: KeyPatch, rotated: boolean): KeyRecord {
    const rec = fromTuple(this.requireTuple(id));
    if (patch.name !== undefined) rec.name = checkText(patch.name, 'key name', LIMITS.name);
    if (patch.description !== undefined) rec.description = checkText(patch.description, 'description', LIMITS.description, { allowEmpty: true });
    if (patch.state !== undefined) {
      if (!KEY_STATES.includes(patch.state)) throw new KeyholdError('INVALID_INPUT', 'Unknown key state.');
      rec.state = patch.state;
    }
    if (patch.remoteId !== undefined) rec.remoteId = patch.remoteId === null ? null : checkText(patch.remoteId, 'remote id', LIMITS.name);
    if (patch.flags !== undefined) rec.flags = { ...patch.flags };
    if (patch.role !== undefined) rec.role = patch.role === null ? null : checkText(patch.role, 'role', LIMITS.name);
    if (patch.publicPart !== undefined) rec.publicPart = patch.publicPart === null ? null : checkText(patch.publicPart, 'public part', LIMITS.publicPart);
    if (patch.fingerprint !== undefined) rec.fingerprint = patch.fingerprint === null ? null : checkText(patch.fingerprint, 'fingerprint', LIMITS.name);
    if (patch.meta !== undefined) rec.meta = { ...patch.meta };
    if (patch.remoteMissing !== undefined) rec.remoteMissing = patch.remoteMissing;
    if (patch.environmentId !== undefined) {
      if (patch.environmentId !== null) {
        const env = this.readEnvironments().find((e) => e.id === patch.environmentId);
        if (!env) throw new KeyholdError('NOT_FOUND', 'No such environment.');
        if (rec.workspaceId !== null && env.workspaceId !== rec.workspaceId) throw new KeyholdError('INVALID_INPUT', 'The environment belongs to another workspace.');
        if (rec.workspaceId === null) rec.workspaceId = env.workspaceId;
      }
      rec.environmentId = patch.environmentId;
      this.conn.prepare('UPDATE keys SET environment_id = ?, workspace_id = ? WHERE id = ?').run(rec.environmentId, rec.workspaceId, id);
    }
    const now = nowIso();
    rec.updatedAt = now;
    if (rotated) rec.rotatedAt = now;
    this.putTuple(toTuple(rec));
    return rec;
  }

  removeKey(id: string): void {
    this.write(() => {
      this.requireTuple(id);
      const refs = this.readWorkspaces().filter((w) => w.credentialKeyId === id);
      for (const w of refs) this.writeWorkspace({ ...w, credentialKeyId: null });
      this.conn.prepare('DELETE FROM key_versions WHERE key_id = ?').run(id);
      this.conn.prepare('DELETE FROM keys WHERE id = ?').run(id);
      const seg = this.index.remove(id);
      if (seg !== undefined) this.touch(seg);
    });
  }

  readSecret(id: string): string {
    return this.read(() => {
      this.requireTuple(id);
      const raw = this.conn
        .prepare('SELECT v.secret AS secret FROM keys k JOIN key_versions v ON v.key_id = k.id AND v.version = k.current_version WHERE k.id = ?')
        .get(id);
      if (raw === undefined) throw new KeyholdError('INTEGRITY', 'The vault is damaged: a key has lost its current version.');
      const { secret } = row(SecretRow, raw, 'key_versions');
      if (secret === null) throw new KeyholdError('NOT_FOUND', 'This key has no stored secret (public part only).');
      const v = row(z.object({ current_version: z.number() }), this.conn.prepare('SELECT current_version FROM keys WHERE id = ?').get(id), 'keys');
      return this.sealer.open('key_versions.secret', `${id}/${v.current_version}`, secret);
    });
  }

  addVersion(id: string, secret: string, patch: KeyPatch = {}): KeyRecord {
    checkText(secret, 'secret', LIMITS.secret);
    return this.write(() => {
      this.requireTuple(id);
      const cur = row(z.object({ current_version: z.number() }), this.conn.prepare('SELECT current_version FROM keys WHERE id = ?').get(id), 'keys');
      const version = cur.current_version + 1;
      const rec = this.patchKey(id, patch, true);
      rec.hasSecret = true;
      this.putTuple(toTuple(rec));
      const vid = `${id}/${version}`;
      this.conn
        .prepare('INSERT INTO key_versions (key_id, version, created_at, data, secret) VALUES (?, ?, ?, ?, ?)')
        .run(
          id,
          version,
          rec.updatedAt,
          this.sealer.sealJson('key_versions.data', vid, { publicPart: rec.publicPart, remoteId: rec.remoteId, createdAt: rec.updatedAt }),
          this.sealer.seal('key_versions.secret', vid, secret),
        );
      this.conn.prepare('UPDATE keys SET current_version = ? WHERE id = ?').run(version, id);
      return rec;
    });
  }

  /** A version's sealed data; its sealed copy of created_at (rows written since it is there) must
   * match the clear column, so an edited time is INTEGRITY, not a wrong date. */
  private openVersionData(vid: string, r: { created_at: string; data: Buffer }): { publicPart: string | null; remoteId: string | null } {
    const d = parseSealed(VersionData, this.sealer.openJson('key_versions.data', vid, r.data), 'key_versions');
    if (d.createdAt !== undefined && d.createdAt !== r.created_at) throw new KeyholdError('INTEGRITY', 'The vault is damaged or tampered with: a key version\'s time was changed.');
    return d;
  }

  listVersions(id: string): KeyVersion[] {
    return this.read(() => {
      this.requireTuple(id);
      const cur = row(z.object({ current_version: z.number() }), this.conn.prepare('SELECT current_version FROM keys WHERE id = ?').get(id), 'keys');
      return this.conn
        .prepare('SELECT version, created_at, data FROM key_versions WHERE key_id = ? ORDER BY version')
        .all(id)
        .map((raw) => {
          const r = row(VersionRow, raw, 'key_versions');
          const d = this.openVersionData(`${id}/${r.version}`, r);
          return { version: r.version, createdAt: r.created_at, publicPart: d.publicPart, remoteId: d.remoteId, current: r.version === cur.current_version };
        });
    });
  }

  // ---- audit -----------------------------------------------------------------------------------

  private chainHash(prev: Buffer | null, seq: number, at: string, data: Buffer): Buffer {
    return this.sealer.mac('audit', prev ?? Buffer.alloc(32), seqBytes(seq), Buffer.from(at), data);
  }

  audit(event: AuditInput): void {
    if (!AUDIT_ACTIONS.includes(event.action)) throw new KeyholdError('INVALID_INPUT', 'Unknown audit action.');
    const detail = checkText(event.detail ?? '', 'audit detail', LIMITS.detail, { allowEmpty: true });
    this.write(() => this.appendAudit({ ...event, detail }, nowIso()));
  }

  private appendAudit(event: AuditInput, at: string): void {
    const head = row(HeadRow, this.conn.prepare('SELECT audit_head_seq, audit_head_hash FROM header WHERE id = 1').get(), 'header');
    const seq = head.audit_head_seq + 1;
    const data = this.sealer.sealJson('audit_events.data', String(seq), {
      action: event.action,
      keyId: event.keyId ?? null,
      workspaceId: event.workspaceId ?? null,
      detail: event.detail ?? '',
      at,
    });
    const hash = this.chainHash(head.audit_head_hash, seq, at, data);
    this.conn.prepare('INSERT INTO audit_events (seq, at, data, hash) VALUES (?, ?, ?, ?)').run(seq, at, data, hash);
    this.conn.prepare('UPDATE header SET audit_head_seq = ?, audit_head_hash = ? WHERE id = 1').run(seq, hash);
  }

  private openAuditRow(raw: unknown): AuditEvent {
    const r = row(AuditRow, raw, 'audit_events');
    const d = parseSealed(AuditSealed, this.sealer.openJson('audit_events.data', String(r.seq), r.data), 'audit_events');
    const action = AUDIT_ACTIONS.find((a) => a === d.action);
    if (!action || d.at !== r.at) throw new KeyholdError('INTEGRITY', `The audit trail is damaged at event ${r.seq}.`);
    return { seq: r.seq, at: r.at, action, keyId: d.keyId, workspaceId: d.workspaceId, detail: d.detail };
  }

  listAudit(filter: { keyId?: string; limit?: number } = {}): AuditEvent[] {
    return this.read(() => {
      const out: AuditEvent[] = [];
      const limit = filter.limit ?? Number.POSITIVE_INFINITY;
      for (const raw of this.conn.prepare('SELECT seq, at, data, hash FROM audit_events ORDER BY seq DESC').iterate()) {
        const e = this.openAuditRow(raw);
        if (filter.keyId !== undefined && e.keyId !== filter.keyId) continue;
        out.push(e);
        if (out.length >= limit) break;
      }
      return out.reverse();
    });
  }

  verifyAudit(): { events: number } {
    return this.read(() => {
      let prev: Buffer | null = null;
      let expected = 1;
      for (const raw of this.conn.prepare('SELECT seq, at, data, hash FROM audit_events ORDER BY seq').iterate()) {
        const r = row(AuditRow, raw, 'audit_events');
        if (r.seq !== expected) throw new KeyholdError('INTEGRITY', `The audit trail is broken: event ${expected} is missing.`);
        const want = this.chainHash(prev, r.seq, r.at, r.data);
        if (!want.equals(r.hash)) throw new KeyholdError('INTEGRITY', `The audit trail is broken at event ${r.seq}: it was edited, moved or removed.`);
        try {
          this.openAuditRow(raw);
        } catch {
          throw new KeyholdError('INTEGRITY', `The audit trail is broken at event ${r.seq}: its content does not open.`);
        }
        prev = r.hash;
        expected++;
      }
      const head = row(HeadRow, this.conn.prepare('SELECT audit_head_seq, audit_head_hash FROM header WHERE id = 1').get(), 'header');
      const events = expected - 1;
      if (head.audit_head_seq !== events || (events > 0 && (!head.audit_head_hash || !prev || !head.audit_head_hash.equals(prev)))) {
        throw new KeyholdError('INTEGRITY', `The audit trail is broken: events after ${events} were removed.`);
      }
      return { events };
    });
  }

  // ---- pending operations ----------------------------------------------------------------------

  private readPending(id: string): PendingOperation | undefined {
    const raw = this.conn.prepare('SELECT id, data FROM pending_operations WHERE id = ?').get(id);
    if (raw === undefined) return undefined;
    const { data } = row(IdData, raw, 'pending_operations');
    const p = parseSealed(PendingSealed, this.sealer.openJson('pending_operations.data', id, data), 'pending_operations');
    return { id, type: p.type, keyId: p.keyId, step: p.step, data: p.data, createdAt: p.createdAt, updatedAt: p.updatedAt };
  }

  private writePending(op: PendingOperation): void {
    const data = this.sealer.sealJson('pending_operations.data', op.id, {
      type: op.type,
      keyId: op.keyId,
      step: op.step,
      data: op.data,
      createdAt: op.createdAt,
      updatedAt: op.updatedAt,
    });
    this.conn
      .prepare(
        'INSERT INTO pending_operations (id, created_at, updated_at, data) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET updated_at = excluded.updated_at, data = excluded.data',
      )
      .run(op.id, op.createdAt, op.updatedAt, data);
  }

  addPending(op: { type: string; keyId?: string | null; step: string; data: Record<string, unknown> }): PendingOperation {
    return this.write(() => {
      const now = nowIso();
      const p: PendingOperation = { id: newId(), type: op.type, keyId: op.keyId ?? null, step: op.step, data: op.data, createdAt: now, updatedAt: now };
      this.writePending(p);
      return p;
    });
  }

  updatePending(id: string, step: string, data?: Record<string, unknown>): PendingOperation {
    return this.write(() => {
      const p = this.readPending(id);
      if (!p) throw new KeyholdError('NOT_FOUND', 'No such pending operation.');
      const next = { ...p, step, data: data ?? p.data, updatedAt: nowIso() };
      this.writePending(next);
      return next;
    });
  }

  listPending(type?: string): PendingOperation[] {
    return this.read(() =>
      this.conn
        .prepare('SELECT id FROM pending_operations ORDER BY created_at, id')
        .pluck()
        .all()
        .map((id) => this.readPending(String(id))!)
        .filter((p) => type === undefined || p.type === type),
    );
  }

  removePending(id: string): void {
    this.write(() => {
      this.conn.prepare('DELETE FROM pending_operations WHERE id = ?').run(id);
    });
  }

  // ---- settings --------------------------------------------------------------------------------

  getSetting(name: string): string | null {
    return this.read(() => {
      const raw = this.conn.prepare('SELECT value FROM settings WHERE name = ?').get(name);
      if (raw === undefined) return null;
      const { value } = row(z.object({ value: z.instanceof(Buffer) }), raw, 'settings');
      return this.sealer.open('settings.value', name, value);
    });
  }

  setSetting(name: string, value: string): void {
    checkText(name, 'setting name', 200);
    checkText(value, 'setting value', LIMITS.description, { allowEmpty: true });
    this.write(() => {
      this.conn
        .prepare('INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value')
        .run(name, this.sealer.seal('settings.value', name, value));
    });
  }

  // ---- whole-vault dump (backup / restore) -------------------------------------------------------

  /** Everything the vault holds, decrypted, for an encrypted backup. */
  dump(): VaultDump {
    return this.read(() => {
      const db = this.conn;
      const keys: DumpKey[] = [];
      const versions = db.prepare('SELECT version, created_at, data, secret FROM key_versions WHERE key_id = ? ORDER BY version');
      const current = db.prepare('SELECT current_version FROM keys WHERE id = ?').pluck();
      for (const seg of this.index.segmentIds()) {
        for (const t of this.index.segmentTuples(seg)) {
          const id = t[0];
          keys.push({
            record: fromTuple(t),
            currentVersion: Number(current.get(id)),
            versions: versions.all(id).map((raw) => {
              const r = row(VersionRow.extend({ secret: z.instanceof(Buffer).nullable() }), raw, 'key_versions');
              const vid = `${id}/${r.version}`;
              const d = this.openVersionData(vid, r);
              return { version: r.version, createdAt: r.created_at, publicPart: d.publicPart, remoteId: d.remoteId, secret: r.secret === null ? null : this.sealer.open('key_versions.secret', vid, r.secret) };
            }),
          });
        }
      }
      const settings: Record<string, string> = {};
      for (const name of db.prepare('SELECT name FROM settings').pluck().all()) settings[String(name)] = this.getSetting(String(name)) ?? '';
      const audit = [];
      for (const raw of db.prepare('SELECT seq, at, data, hash FROM audit_events ORDER BY seq').iterate()) audit.push(this.openAuditRow(raw));
      return {
        workspaces: this.readWorkspaces(),
        environments: this.readEnvironments(),
        keys,
        settings,
        pending: db.prepare('SELECT id FROM pending_operations ORDER BY created_at, id').pluck().all().map((id) => this.readPending(String(id))!),
        audit,
      };
    });
  }

  /** Writes a dump into this (new, empty) vault, keeping ids and times; the audit trail is
   * re-chained under this vault's key in its original order. */
  load(d: VaultDump): void {
    this.write(() => {
      const db = this.conn;
      if (this.index.size > 0 || this.readWorkspaces().length > 0) throw new KeyholdError('CONFLICT', 'The vault to restore into is not empty.');
      for (const w of d.workspaces) this.writeWorkspace(w);
      const insEnv = db.prepare('INSERT INTO environments (id, workspace_id, created_at, data) VALUES (?, ?, ?, ?)');
      for (const e of d.environments) {
        insEnv.run(e.id, e.workspaceId, e.createdAt, this.sealer.sealJson('environments.data', e.id, { name: e.name, remoteId: e.remoteId, workspaceId: e.workspaceId, createdAt: e.createdAt }));
      }
      const insKey = db.prepare('INSERT INTO keys (id, workspace_id, environment_id, seg, current_version) VALUES (?, ?, ?, ?, ?)');
      const insVer = db.prepare('INSERT INTO key_versions (key_id, version, created_at, data, secret) VALUES (?, ?, ?, ?, ?)');
      for (const k of d.keys) {
        const seg = this.index.segmentForNew();
        const r = k.record;
        insKey.run(r.id, r.workspaceId, r.environmentId, seg, k.currentVersion);
        for (const v of k.versions) {
          const vid = `${r.id}/${v.version}`;
          insVer.run(r.id, v.version, v.createdAt, this.sealer.sealJson('key_versions.data', vid, { publicPart: v.publicPart, remoteId: v.remoteId, createdAt: v.createdAt }), v.secret === null ? null : this.sealer.seal('key_versions.secret', vid, v.secret));
        }
        this.putTuple(toTuple(r), seg);
      }
      for (const [name, value] of Object.entries(d.settings)) {
        db.prepare('INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value').run(name, this.sealer.seal('settings.value', name, value));
      }
      for (const p of d.pending) this.writePending(p);
      db.prepare('DELETE FROM audit_events').run();
      db.prepare('UPDATE header SET audit_head_seq = 0, audit_head_hash = NULL WHERE id = 1').run();
      for (const e of d.audit) this.appendAudit(e, e.at);
    });
  }

  // ---- lock ------------------------------------------------------------------------------------

  lock(): void {
    if (this.db === null) return;
    this.sealer.zero();
    this.index.clear();
    this.checkpointer?.close();
    this.checkpointer = null;
    try {
      this.db.close();
    } finally {
      this.db = null;
      this.onLock?.();
    }
  }
}
