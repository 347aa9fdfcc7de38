// The unlocked vault: VaultSession as a small facade over the connection (store/connection.ts)
// and one module per table (tables/). Every public write is one IMMEDIATE transaction (a SAVEPOINT
// when nested in another); before it writes, it catches up with commits of other processes.
import type { Database } from 'better-sqlite3';
import { KeyholdError } from '../errors';
import type { Sealer } from './crypto';
import { dumpVault, loadVault, type VaultDump } from './dump';
import { fromTuple } from './key-tuple';
import { FORMAT_VERSION } from './schema';
import { Connection, type WorkerMeasure } from './store/connection';
import { raiseSeen, rekeyedSeen, type SeenRecords } from './rollback-record';
import { loadIndex, prepareSearch } from './store/index-loader';
import { count } from './store/tx';
import * as audit from './tables/audit';
import * as environments from './tables/environments';
import { LIMITS, checkText, nowIso } from './tables/fields';
import * as keys from './tables/keys';
import * as pending from './tables/pending';
import * as policies from './tables/policies';
import * as settings from './tables/settings';
import * as workspaces from './tables/workspaces';
import {
  AUDIT_ACTIONS,
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
  type NewPolicy,
  type PendingOperation,
  type Policy,
  type Provider,
  type VaultSession,
  type VaultStats,
  type Workspace,
} from './types';

export { LIMITS, checkText, newId } from './tables/fields';
export type { DumpKey, VaultDump } from './dump';

export interface SessionInit {
  db: Database;
  path: string;
  sealer: Sealer;
  kdf: KdfParams;
}

export class VaultStore implements VaultSession {
  readonly path: string;
  private readonly c: Connection;
  private kdf: KdfParams;
  /** this computer's record of the highest write counter (rollback-record.ts), raised at lock */
  seen: { vaultId: string; records: SeenRecords } | undefined;
  /** set when the vault locks, by whoever wants to know (the VaultManager) */
  onLock: (() => void) | undefined;

  constructor(init: SessionInit) {
    this.path = init.path;
    this.c = new Connection(init.db, init.path, init.sealer);
    this.kdf = init.kdf;
  }

  get isLocked(): boolean {
    return this.c.isLocked;
  }

  /** Reads every index segment. */
  loadIndex(): Promise<void> {
    return loadIndex(this.c);
  }

  /** Checks the whole file against its sealed manifest (unlock; INTEGRITY if anything disagrees).
   * `measured`: what a worker measured meanwhile (used only if nothing was committed since). */
  checkManifest(measured?: WorkerMeasure): void {
    this.c.read(() => this.c.checkManifest(measured));
  }

  /** The write counter of the last commit seen (the rollback record keeps the highest). */
  get writeCounter(): number {
    return this.c.writeCounter;
  }

  /** Starts the search index in the background, a moment after unlock. */
  prepareSearch(): void {
    prepareSearch(this.c);
  }

  // ---- vault -----------------------------------------------------------------------------------

  stats(): VaultStats {
    return this.c.read((tx) => ({
      path: this.path,
      formatVersion: FORMAT_VERSION,
      kdf: { ...this.kdf },
      workspaces: count(tx, 'workspaces'),
      environments: count(tx, 'environments'),
      keys: tx.index.size,
    }));
  }

  get kdfParams(): KdfParams {
    return { ...this.kdf };
  }

  /** After passwd: the header now holds these parameters. */
  setKdfParams(kdf: KdfParams): void {
    this.kdf = { ...kdf };
  }

  /** The raw connection for vault-level operations (passwd, migrations, tests) in main/vault only. */
  connection(): Database {
    return this.c.conn;
  }

  /** passwd --rekey (rekey.ts): every sealed value moves to `next` in one transaction. */
  rekeyConnection(next: Sealer, reseal: (db: Database, old: Sealer, next: Sealer) => void): void {
    this.c.rekey(next, reseal, (old) => {
      if (!this.seen) return;
      try {
        rekeyedSeen(this.seen.records, this.seen.vaultId, old, next, this.c.writeCounter);
      } catch {
        /* the config folder is not writable: the rekey itself is done */
      }
    });
  }

  sealerForVault(): Sealer {
    if (this.isLocked) throw new KeyholdError('LOCKED', 'The vault is locked.');
    return this.c.sealer;
  }

  transaction<T>(fn: () => T, options: { bulk?: boolean } = {}): T {
    return this.c.write(() => fn(), Boolean(options.bulk));
  }

  // ---- workspaces and environments -------------------------------------------------------------

  addWorkspace(input: { name: string; provider: Provider; url?: string | null }): Workspace {
    const url = workspaces.checkWorkspaceInput(input);
    return this.c.write((tx) => workspaces.addWorkspace(tx, input, url));
  }

  listWorkspaces(): Workspace[] {
    return this.c.read((tx) => workspaces.readWorkspaces(tx));
  }

  getWorkspace(idOrName: string): Workspace {
    return this.c.read((tx) => workspaces.findWorkspace(tx, idOrName));
  }

  updateWorkspace(id: string, patch: Partial<Pick<Workspace, 'name' | 'url' | 'credentialKeyId'>>): Workspace {
    return this.c.write((tx) => workspaces.updateWorkspace(tx, id, patch));
  }

  removeWorkspace(id: string): void {
    this.c.write((tx) => workspaces.removeWorkspace(tx, id));
  }

  addEnvironment(input: { workspaceId: string; name: string; remoteId?: string | null }): Environment {
    return this.c.write((tx) => environments.addEnvironment(tx, input));
  }

  listEnvironments(workspaceId?: string): Environment[] {
    return this.c.read((tx) =>
      environments.readEnvironments(tx, workspaceId === undefined ? undefined : workspaces.findWorkspace(tx, workspaceId).id),
    );
  }

  getEnvironment(idOrName: string, workspaceId?: string): Environment {
    return this.c.read((tx) => environments.findEnvironment(tx, idOrName, workspaceId));
  }

  removeEnvironment(id: string): void {
    this.c.write((tx) => environments.removeEnvironment(tx, id));
  }

  // ---- keys ------------------------------------------------------------------------------------

  addKey(input: NewKey): KeyRecord {
    return this.addKeys([input])[0]!;
  }

  addKeys(inputs: NewKey[]): KeyRecord[] {
    return this.c.write((tx) => keys.addKeys(tx, inputs), inputs.length > 1);
  }

  getKey(id: string): KeyRecord {
    return this.c.read((tx) => fromTuple(keys.requireTuple(tx, id)));
  }

  listKeys(query: KeyQuery = {}): KeyPage {
    return this.c.read((tx) => {
      let wsOfProvider: ((p: string) => Set<string>) | undefined;
      if (query.provider) {
        const ws = workspaces.readWorkspaces(tx);
        wsOfProvider = (p) => new Set(ws.filter((w) => w.provider === p).map((w) => w.id));
      }
      return tx.index.query(query, wsOfProvider);
    });
  }

  updateKey(id: string, patch: KeyPatch): KeyRecord {
    return this.c.write((tx) => keys.patchKey(tx, id, patch, false));
  }

  removeKey(id: string): void {
    this.c.write((tx) => keys.removeKey(tx, id));
  }

  readSecret(id: string): string {
    return this.c.read((tx) => keys.readSecret(tx, id));
  }

  addVersion(id: string, secret: string, patch: KeyPatch = {}): KeyRecord {
    checkText(secret, 'secret', LIMITS.secret);
    return this.c.write((tx) => keys.addVersion(tx, id, secret, patch));
  }

  listVersions(id: string): KeyVersion[] {
    return this.c.read((tx) => keys.listVersions(tx, id));
  }

  // ---- audit, pending operations, settings -----------------------------------------------------

  audit(event: AuditInput): void {
    if (!AUDIT_ACTIONS.includes(event.action)) throw new KeyholdError('INVALID_INPUT', 'Unknown audit action.');
    const detail = checkText(event.detail ?? '', 'audit detail', LIMITS.detail, { allowEmpty: true });
    this.c.write((tx) => audit.appendAudit(tx, { ...event, detail }, nowIso()));
  }

  listAudit(filter: { keyId?: string; limit?: number } = {}): AuditEvent[] {
    return this.c.read((tx) => audit.listAudit(tx, filter));
  }

  verifyAudit(): { events: number } {
    return this.c.read((tx) => audit.verifyAudit(tx));
  }

  addPending(op: { type: string; keyId?: string | null; step: string; data: Record<string, unknown> }): PendingOperation {
    return this.c.write((tx) => pending.addPending(tx, op));
  }

  updatePending(id: string, step: string, data?: Record<string, unknown>): PendingOperation {
    return this.c.write((tx) => pending.updatePending(tx, id, step, data));
  }

  listPending(type?: string): PendingOperation[] {
    return this.c.read((tx) => pending.listPending(tx, type));
  }

  removePending(id: string): void {
    this.c.write((tx) => pending.removePending(tx, id));
  }

  derivedKey(purpose: string): Buffer {
    checkText(purpose, 'key purpose', 200);
    return Buffer.from(this.sealerForVault().subkeyCopy(`derived/${purpose}`));
  }

  getSetting(name: string): string | null {
    return this.c.read((tx) => settings.getSetting(tx, name));
  }

  setSetting(name: string, value: string): void {
    checkText(name, 'setting name', 200);
    checkText(value, 'setting value', LIMITS.description, { allowEmpty: true });
    this.c.write((tx) => settings.setSetting(tx, name, value));
  }

  // ---- rotation policies -----------------------------------------------------------------------

  setPolicy(input: NewPolicy): Policy {
    return this.c.write((tx) => policies.setPolicy(tx, input));
  }

  listPolicies(): Policy[] {
    return this.c.read((tx) => policies.readPolicies(tx));
  }

  removePolicy(id: string): void {
    this.c.write((tx) => policies.removePolicy(tx, id));
  }

  // ---- whole-vault dump (backup / restore) -------------------------------------------------------

  /** Everything the vault holds, decrypted, for an encrypted backup. */
  dump(): VaultDump {
    return this.c.read((tx) => dumpVault(tx));
  }

  /** Writes a dump into this (new, empty) vault. */
  load(d: VaultDump): void {
    this.c.write((tx) => loadVault(tx, d));
  }

  lock(): void {
    if (this.c.isLocked) return;
    try {
      if (this.seen) {
        try {
          raiseSeen(this.seen.records, this.seen.vaultId, this.c.sealer, this.c.writeCounter);
        } catch {
          /* the config folder is not writable: the lock must still happen */
        }
      }
      this.c.close();
    } finally {
      this.onLock?.();
    }
  }
}
