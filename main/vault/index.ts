// Creating and opening vault files. Opening checks the file read-only first (SQLite header, quick
// check, Keyhold header, KDF floor, password) so a damaged, foreign or newer file is refused with
// INTEGRITY and never written to.
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, linkSync, mkdirSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { setImmediate } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { KeyholdError } from '../errors';
import {
  KDF_FLOOR,
  Sealer,
  calibrateKdf,
  deriveKey,
  newVaultKey,
  unwrapKey,
  warmSealingInBackground,
  wrapKey,
  type StoredKdf,
} from './crypto';
import { openBackup, sealBackup } from './backup';
import { measure, refuseLoweredFormat, writeManifest } from './manifest';
import { insertHeader, readHeader, writeKeyWrap, type Header } from './header';
import { sqliteBindingOptions } from './native-binding';
import { loadedNativeSecretboxOpen, nativeSecretboxOpen } from './native-secretbox';
import { FORMAT_VERSION, migrate } from './schema';
import { VaultStore, checkText, newId } from './session';
import type { WorkerMeasure } from './store/connection';
import { rekey } from './rekey';
import { checkSeen, type SeenRecords } from './rollback-record';
import { mapSqliteError } from './sqlite-errors';
import type { KdfParams, VaultSession } from './types';
import { VaultWorkers } from './vault-workers';

export type { VaultSession } from './types';
export { VaultStore } from './session';
export { ROLLBACK_MESSAGE, type SeenRecords } from './rollback-record';

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

export interface CreateVaultOptions {
  /** explicit Argon2id parameters (tests, `init --kdf-*`); default: calibrated to ~500 ms */
  kdf?: Omit<KdfParams, 'algorithm'> & { algorithm?: 'argon2id' };
  /** where this computer records the write counters it has seen (rollback-record.ts) */
  seen?: SeenRecords;
}

interface CreateInternal {
  /** restore writes its own audit trail */
  auditCreated?: boolean;
}

function checkPassword(password: string, what = 'master password'): void {
  if (typeof password !== 'string' || password.length === 0) throw new KeyholdError('INVALID_INPUT', `The ${what} must not be empty.`);
  checkText(password, what, 4096);
}

export function normalizeKdf(k: CreateVaultOptions['kdf']): KdfParams {
  if (!k) throw new Error('no kdf');
  const kdf: KdfParams = { algorithm: 'argon2id', memoryKiB: k.memoryKiB, iterations: k.iterations, parallelism: k.parallelism };
  if (
    !Number.isInteger(kdf.memoryKiB) ||
    !Number.isInteger(kdf.iterations) ||
    !Number.isInteger(kdf.parallelism) ||
    kdf.parallelism < 1 ||
    kdf.parallelism > 255
  ) {
    throw new KeyholdError('USAGE', 'The KDF parameters must be whole numbers (parallelism 1 to 255).');
  }
  if (kdf.memoryKiB < KDF_FLOOR.memoryKiB || kdf.iterations < KDF_FLOOR.iterations) {
    throw new KeyholdError('USAGE', 'The KDF parameters are below the floor of 64 MiB and 3 iterations.');
  }
  if (kdf.memoryKiB > 4 * 1024 * 1024) throw new KeyholdError('USAGE', 'The KDF memory is above 4 GiB.');
  return kdf;
}

function openDb(path: string, readonly: boolean): Database.Database {
  const db = new Database(path, { ...sqliteBindingOptions(), readonly, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  if (!readonly) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
  }
  db.pragma('foreign_keys = ON');
  return db;
}

/** Creates a new vault file (CONFLICT if one exists) and returns it unlocked. */
export async function createVault(path: string, password: string, options: CreateVaultOptions = {}): Promise<VaultSession> {
  return createStore(path, password, options, {});
}

async function createStore(path: string, password: string, options: CreateVaultOptions, internal: CreateInternal): Promise<VaultStore> {
  checkPassword(password);
  warmSealingInBackground();
  const kdfParams = options.kdf ? normalizeKdf(options.kdf) : await calibrateKdf();
  if (exists(path)) throw new KeyholdError('CONFLICT', `A file already exists at ${path}.`);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const salt = randomBytes(16);
  const kdf: StoredKdf = { ...kdfParams, salt: salt.toString('base64') };
  const kek = await deriveKey(password, kdfParams, salt);
  const vaultKey = newVaultKey();
  const vaultId = newId();
  // Built under a temporary name and linked into place: a crash leaves no half-made vault, and
  // link() refuses to replace a file that appeared meanwhile.
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const db = new Database(tmp, { ...sqliteBindingOptions() });
    try {
      chmodSync(tmp, 0o600);
      db.pragma('journal_mode = WAL');
      db.pragma('foreign_keys = ON');
      migrate(db, 0, null);
      insertHeader(db, vaultId, kdf, wrapKey(vaultKey, kek));
      const first = new Sealer(Buffer.from(vaultKey));
      try {
        writeManifest(db, first, measure(db, 0));
      } finally {
        first.zero();
      }
    } finally {
      db.close();
    }
    try {
      linkSync(tmp, path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new KeyholdError('CONFLICT', `A file already exists at ${path}.`);
      throw e;
    }
  } finally {
    kek.fill(0);
    rmSync(tmp, { force: true });
    rmSync(`${tmp}-wal`, { force: true });
    rmSync(`${tmp}-shm`, { force: true });
  }
  const store = new VaultStore({ db: openDb(path, false), path, sealer: new Sealer(vaultKey), kdf: kdfParams });
  store.checkManifest();
  store.seen = options.seen ? { vaultId, records: options.seen } : undefined;
  if (internal.auditCreated !== false) store.audit({ action: 'vault_created' });
  return store;
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Checks the file without writing to it; returns its header. `quickCheck: false` leaves SQLite's
 * whole-file check to the caller (openVault runs it on a worker while the KDF runs). */
export function inspectVaultFile(path: string, options: { quickCheck?: boolean } = {}): Header {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new KeyholdError('INTEGRITY', `${path} is not a vault file.`);
    size = st.size;
  } catch (e) {
    if (e instanceof KeyholdError) throw e;
    throw new KeyholdError('NOT_FOUND', `No vault at ${path} (create one with \`keyhold init\`).`);
  }
  if (size === 0) throw new KeyholdError('INTEGRITY', `The vault file ${path} is empty.`);
  const head = Buffer.alloc(16);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, head, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  if (!head.equals(SQLITE_MAGIC))
    throw new KeyholdError('INTEGRITY', `${path} is not a Keyhold vault (not an SQLite file, or its first bytes are damaged).`);
  let db: Database.Database | undefined;
  try {
    db = openDb(path, true);
    if (options.quickCheck !== false) checkResult(path, db.pragma('quick_check', { simple: true }));
    return readHeader(db);
  } catch (e) {
    const mapped = mapSqliteError(e);
    if (mapped instanceof KeyholdError && mapped.code !== 'INTEGRITY' && mapped.code !== 'CONFLICT') {
      throw new KeyholdError('INTEGRITY', `The vault file ${path} cannot be read as a vault.`);
    }
    if (mapped instanceof KeyholdError) throw mapped;
    throw new KeyholdError('INTEGRITY', `The vault file ${path} cannot be read as a vault.`);
  } finally {
    db?.close();
  }
}

function checkResult(path: string, check: unknown): void {
  if (check !== 'ok') throw new KeyholdError('INTEGRITY', `The vault file ${path} is corrupt or truncated.`);
}

/** Derives the KEK and unwraps the vault key (WRONG_PASSWORD if it does not open). */
export async function unlockKey(header: Header, password: string): Promise<Buffer> {
  const kek = await deriveKey(password, header.kdf, header.salt);
  try {
    const key = unwrapKey(header.wrappedKey, kek);
    if (!key) throw new KeyholdError('WRONG_PASSWORD', 'The master password is wrong.');
    return key;
  } finally {
    kek.fill(0);
  }
}

export interface UnlockTiming {
  /** performance.now() when the KDF started and when it finished (for the bench) */
  kdfStart?: number;
  /** when the key was derived (the KDF alone) */
  keyReady?: number;
  /** when the KDF and the checks run meanwhile (quick_check, the worker's measurement) were all done */
  kdfEnd?: number;
  /** when the index was loaded, and when the manifest check was done */
  indexLoaded?: number;
  manifestChecked?: number;
}

/** Loads libsodium for the index's bulk opening (native-secretbox.ts) now: the app calls it at
 * start-up, while the unlock screen waits, so that no unlock pays for it. */
export function loadBulkCrypto(): void {
  nativeSecretboxOpen();
}

/** A file from which the index is likely large enough to be opened with libsodium (index-loader.ts). */
const NATIVE_FROM_FILE_BYTES = 8 * 1024 * 1024;

/**
 * Opens an existing vault with its master password. SQLite's quick_check of the whole file runs on
 * a worker thread while Argon2id derives the key, so it costs no time after the KDF on a file of
 * ordinary size; a damaged file is refused (INTEGRITY) before anything is read from it for real.
 */
export async function openVault(path: string, password: string, timing: UnlockTiming = {}, seen?: SeenRecords): Promise<VaultSession> {
  if (typeof password !== 'string') throw new KeyholdError('INVALID_INPUT', 'The master password must be text.');
  const header = inspectVaultFile(path, { quickCheck: false });
  // a large index opens with libsodium (index-loader.ts): load it now if the app has not yet
  // (~11 ms), before the KDF and the worker take both cores (with them, the same load holds the
  // event loop for twice as long)
  if (!loadedNativeSecretboxOpen() && statSync(path).size >= NATIVE_FROM_FILE_BYTES) {
    await setImmediate();
    nativeSecretboxOpen();
    await setImmediate();
  }
  // one worker checks the file while the KDF runs (both cores are the KDF's: one thread beside it)
  const workers = new VaultWorkers(1);
  let db: Database.Database | undefined;
  try {
    // this thread's connection, opened before the workers read: its data_version then tells whether
    // another process committed while they measured (docs/ARCHITECTURE.md "Unlock")
    db = openDb(path, false);
    const since = Number(db.pragma('data_version', { simple: true }));
    const checked = workers.quickCheck(path);
    const measuring = workers.measureClear(path);
    warmSealingInBackground();
    timing.kdfStart = performance.now();
    const keyed = unlockKey(header, password).finally(() => (timing.keyReady = performance.now()));
    const [check, key, clear] = await Promise.allSettled([checked, keyed, measuring]);
    timing.kdfEnd = performance.now();
    if (key.status === 'fulfilled' && check.status !== 'fulfilled') key.value.fill(0);
    if (check.status === 'rejected') {
      const mapped = mapSqliteError(check.reason);
      throw mapped instanceof KeyholdError && mapped.code === 'INTEGRITY'
        ? mapped
        : new KeyholdError('INTEGRITY', `The vault file ${path} cannot be read as a vault.`);
    }
    checkResult(path, check.value);
    if (key.status === 'rejected') throw key.reason;
    // what the worker could not measure (busy, damaged): the manifest check measures it itself
    const own = db;
    db = undefined;
    return await openWithKey(path, header, key.value, {
      seen,
      timing,
      db: own,
      measured: clear.status === 'fulfilled' ? { since, clear: clear.value } : undefined,
    });
  } catch (e) {
    throw mapSqliteError(e);
  } finally {
    db?.close();
    workers.close();
  }
}

/** The second half of openVault, after the KDF: migrations, then the sealed index. Takes
 * ownership of `vaultKey` (zeroed on lock or failure) and of `options.db` (this thread's connection,
 * if openVault opened it already). `warmSearch: false` skips building the search index after the
 * index is read (a one-shot CLI command would pay for it and never search). `seen`: this
 * computer's rollback records (rollback-record.ts). `measured`: what a worker measured in clear
 * while the KDF ran (manifest-rows.ts). */
export async function openWithKey(
  path: string,
  header: Header,
  vaultKey: Buffer,
  options: { warmSearch?: boolean; seen?: SeenRecords; db?: Database.Database; measured?: WorkerMeasure; timing?: UnlockTiming } = {},
): Promise<VaultStore> {
  const sealer = new Sealer(vaultKey);
  let store: VaultStore | undefined;
  let measured = options.measured;
  try {
    const db = options.db ?? openDb(path, false);
    try {
      if (header.formatVersion < FORMAT_VERSION) {
        // checked before any step runs (each commits): the file must stay as it was
        refuseLoweredFormat(db, header.formatVersion);
        migrate(db, header.formatVersion, sealer);
        measured = undefined; // measured before the migrations
      }
      store = new VaultStore({
        db,
        path,
        sealer,
        kdf: {
          algorithm: 'argon2id',
          memoryKiB: header.kdf.memoryKiB,
          iterations: header.kdf.iterations,
          parallelism: header.kdf.parallelism,
        },
      });
    } catch (e) {
      db.close();
      throw e;
    }
    await store.loadIndex();
    if (options.timing) options.timing.indexLoaded = performance.now();
    if (store.isLocked) throw new KeyholdError('LOCKED', 'The vault was locked while it opened.');
    store.checkManifest(measured);
    if (options.timing) options.timing.manifestChecked = performance.now();
    if (options.seen) {
      checkSeen(options.seen, header.vaultId, sealer, store.writeCounter);
      store.seen = { vaultId: header.vaultId, records: options.seen };
    }
    if (options.warmSearch !== false) store.prepareSearch(); // in the background; a lock stops it
    return store;
  } catch (e) {
    if (store) store.lock();
    else sealer.zero();
    throw mapSqliteError(e);
  }
}

function asStore(session: VaultSession): VaultStore {
  if (!(session instanceof VaultStore)) throw new Error('not a vault opened by main/vault');
  return session;
}

/** Rewraps the vault key under a new password (and new salt; same or given KDF parameters). */
export async function changeMasterPassword(
  session: VaultSession,
  newPassword: string,
  kdf?: KdfParams,
  action: 'password_changed' | 'kdf_upgraded' = 'password_changed',
): Promise<void> {
  checkPassword(newPassword, 'new master password');
  const store = asStore(session);
  const params = kdf ? normalizeKdf(kdf) : store.kdfParams;
  const salt = randomBytes(16);
  const kek = await deriveKey(newPassword, params, salt);
  try {
    const wrapped = store.sealerForVault().wrapUnder(kek);
    store.transaction(() => {
      const vaultId = String(store.connection().prepare('SELECT vault_id FROM header WHERE id = 1').pluck().get());
      writeKeyWrap(store.connection(), vaultId, { ...params, salt: salt.toString('base64') }, wrapped);
      store.audit({ action, detail: `Argon2id m=${params.memoryKiB} KiB, t=${params.iterations}, p=${params.parallelism}` });
    });
    store.setKdfParams(params);
  } finally {
    kek.fill(0);
  }
}

/**
 * passwd --rekey: a new random vault key under `newPassword`, every sealed value re-sealed in one
 * transaction (rekey.ts), so an old copy of the file and the old password reveal nothing written
 * after it.
 */
export async function rekeyVault(session: VaultSession, newPassword: string): Promise<void> {
  checkPassword(newPassword, 'new master password');
  const store = asStore(session);
  await rekey(store, newPassword, store.kdfParams);
  store.audit({ action: 'password_changed', detail: 'new vault key: every value re-sealed (passwd --rekey)' });
}

/** The whole vault as an encrypted backup file's bytes, sealed under `passphrase` (its own salt;
 * the vault's Argon2id parameters). */
export async function backupVault(session: VaultSession, passphrase: string): Promise<{ bytes: Buffer; keys: number }> {
  checkPassword(passphrase, 'backup passphrase');
  const store = asStore(session);
  const dump = store.dump();
  const bytes = await sealBackup(dump, passphrase, store.kdfParams);
  return { bytes, keys: dump.keys.length };
}

/** Restores a backup into a NEW vault file (CONFLICT if it exists) under a new master password. */
export async function restoreVault(
  file: Buffer,
  passphrase: string,
  path: string,
  password: string,
  options: CreateVaultOptions = {},
): Promise<VaultSession> {
  if (exists(path)) throw new KeyholdError('CONFLICT', `A file already exists at ${path}: restore goes into a new vault file.`);
  checkPassword(password);
  const dump = await openBackup(file, passphrase);
  const store = await createStore(path, password, options, { auditCreated: false });
  try {
    store.load(dump);
    store.audit({ action: 'restored', detail: `restored ${dump.keys.length} key(s) from a backup` });
    return store;
  } catch (e) {
    store.lock();
    rmSync(path, { force: true });
    rmSync(`${path}-wal`, { force: true });
    rmSync(`${path}-shm`, { force: true });
    throw e;
  }
}
