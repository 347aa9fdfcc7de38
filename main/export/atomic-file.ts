// THE one writer of secret-bearing files (key files, netrc, .env, curl config): a temp file in
// the same directory (O_EXCL, mode set at creation), fsync, then an atomic rename (or link, when
// overwriting is not allowed) and an fsync of the directory. Any failure leaves the old file as it
// was and no temp file behind, and reaches the user as a KeyholdError naming the path only.
//
// Policy, decided here once for every exporter:
// - A target that is a symbolic link is refused (INVALID_INPUT): following it could put a secret
//   somewhere the user did not name, and replacing it would silently break the link (dotfile
//   managers). Only the last path component is checked; linked parent directories are fine.
// - An existing target is CONFLICT unless `overwrite` (the CLI's --force).
// - Permission, read-only file system and path-shape failures are INVALID_INPUT (the target cannot
//   be written); I/O failures (disk full, quota, EIO) are INTERNAL with a plain message.
import { randomBytes } from 'node:crypto';
import { constants, unlinkSync } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { KeyholdError, systemErrorCode } from '../errors';

/** The file-system calls the writer makes; tests substitute one to inject a fault. */
export interface AtomicFs {
  open: typeof fsp.open;
  lstat: typeof fsp.lstat;
  rename: typeof fsp.rename;
  link: typeof fsp.link;
  unlink: typeof fsp.unlink;
  readFile: typeof fsp.readFile;
}

const realFs: AtomicFs = {
  open: fsp.open,
  lstat: fsp.lstat,
  rename: fsp.rename,
  link: fsp.link,
  unlink: fsp.unlink,
  readFile: fsp.readFile,
};

export interface AtomicWriteOptions {
  /** permission bits of the new file, set exactly (umask does not apply); default 0o600 */
  mode?: number;
  /** replace an existing file (the CLI's --force); without it an existing file is CONFLICT */
  overwrite?: boolean;
  /** keep the previous file as `${path}.bak` (one deep: an older backup is replaced) */
  backup?: boolean;
  /** the content the file must still have when it is replaced (null: must not exist), so that a
   * read-modify-write (netrc merge) does not lose a change someone made meanwhile: CONFLICT */
  expect?: Buffer | null;
  fs?: AtomicFs;
}

export interface AtomicWriteResult {
  path: string;
  /** true when an existing file was replaced */
  replaced: boolean;
  /** where the previous file was kept, when `backup` and there was one */
  backupPath: string | null;
}

export const BACKUP_SUFFIX = '.bak';

/** Turns a file-system failure into a KeyholdError that names the path and never the data. */
export function fileError(e: unknown, path: string, action = 'write'): KeyholdError {
  if (e instanceof KeyholdError) return e;
  const code = systemErrorCode(e);
  const what = `Cannot ${action} ${path}`;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return new KeyholdError('INVALID_INPUT', `${what}: permission denied. Nothing was changed.`);
    case 'EROFS':
      return new KeyholdError('INVALID_INPUT', `${what}: the file system is read-only. Nothing was changed.`);
    case 'ENOENT':
      return new KeyholdError('INVALID_INPUT', `${what}: the folder ${dirname(path)} does not exist.`);
    case 'ENOTDIR':
      return new KeyholdError('INVALID_INPUT', `${what}: a part of the path is not a folder.`);
    case 'EISDIR':
      return new KeyholdError('INVALID_INPUT', `${what}: it is a folder.`);
    case 'ENAMETOOLONG':
      return new KeyholdError('INVALID_INPUT', `${what}: the name is too long.`);
    case 'ENOSPC':
      return new KeyholdError('INTERNAL', `${what}: no space left on the device. Nothing was changed.`);
    case 'EDQUOT':
      return new KeyholdError('INTERNAL', `${what}: disk quota exceeded. Nothing was changed.`);
    default:
      return new KeyholdError('INTERNAL', `${what}: ${code ?? 'unexpected failure'}. Nothing was changed.`);
  }
}

/** What is at `path` now: nothing, or a regular file (anything else is refused). */
async function inspectTarget(fs: AtomicFs, path: string): Promise<{ exists: false } | { exists: true; uid: number; gid: number }> {
  let st;
  try {
    st = await fs.lstat(path);
  } catch (e) {
    if (systemErrorCode(e) === 'ENOENT') return { exists: false };
    throw fileError(e, path, 'inspect');
  }
  if (st.isSymbolicLink()) {
    throw new KeyholdError(
      'INVALID_INPUT',
      `${path} is a symbolic link; Keyhold does not write secrets through links. Name the link's target instead.`,
    );
  }
  if (!st.isFile()) throw new KeyholdError('INVALID_INPUT', `${path} exists and is not a regular file.`);
  return { exists: true, uid: st.uid, gid: st.gid };
}

/** Temp files being written now, so an interrupted process (Ctrl-C) can remove them on its way out. */
const inFlight = new Set<string>();

function tempName(path: string, tag: string): string {
  const tmp = join(dirname(path), `.${basename(path)}.${tag}-${randomBytes(6).toString('hex')}.tmp`);
  inFlight.add(tmp);
  return tmp;
}

/** Removes the temp files of writes still in progress (synchronously: called just before exit). */
export function removeTempFilesNow(): void {
  for (const tmp of inFlight) {
    try {
      unlinkSync(tmp);
    } catch {
      // never created, or already renamed into place
    }
  }
  inFlight.clear();
}

/** Creates `tmp` exclusively with `mode`, writes, fsyncs; removes it again if that fails. */
async function writeTemp(fs: AtomicFs, tmp: string, data: Buffer, mode: number, owner?: { uid: number; gid: number }): Promise<void> {
  const handle = await fs.open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode);
  try {
    // open's mode is filtered by the umask; set it exactly
    await handle.chmod(mode);
    // root writing a user's existing file (sudo keyhold ...) keeps that user's ownership
    if (owner && typeof process.getuid === 'function' && process.getuid() === 0) await handle.chown(owner.uid, owner.gid);
    let offset = 0;
    while (offset < data.length) {
      const { bytesWritten } = await handle.write(data, offset, data.length - offset);
      offset += bytesWritten;
    }
    await handle.sync();
  } catch (e) {
    await handle.close().catch(() => undefined);
    await removeQuietly(fs, tmp);
    throw e;
  }
  await handle.close();
}

async function removeQuietly(fs: AtomicFs, path: string | null): Promise<void> {
  if (!path) return;
  try {
    await fs.unlink(path);
  } catch {
    // already gone, or the directory refuses: nothing more we can do about a temp file
  }
}

/** Best effort: some platforms (Windows) cannot open or fsync a directory. */
async function syncDir(fs: AtomicFs, dir: string): Promise<void> {
  try {
    const handle = await fs.open(dir, constants.O_RDONLY);
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // the rename has happened; durability of the directory entry is all that is at stake
  }
}

/**
 * Writes `data` to `path` atomically with `mode` (default 0600). Readers see the old file or the
 * new one, never a mix; on any failure the old file is intact and no temp file is left.
 */
export async function writeFileAtomic(path: string, data: string | Buffer, options: AtomicWriteOptions = {}): Promise<AtomicWriteResult> {
  const fs = options.fs ?? realFs;
  const mode = options.mode ?? 0o600;
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const target = await inspectTarget(fs, path);
  if (target.exists && !options.overwrite) {
    throw new KeyholdError('CONFLICT', `${path} already exists (use --force to replace it).`);
  }

  const tmp = tempName(path, 'keyhold');
  let tmpBackup: string | null = null;
  let tmpExists = false;
  try {
    await writeTemp(fs, tmp, bytes, mode, target.exists ? target : undefined);
    tmpExists = true;

    if (options.expect !== undefined) await checkUnchanged(fs, path, options.expect);

    let backupPath: string | null = null;
    if (target.exists && options.backup) {
      backupPath = `${path}${BACKUP_SUFFIX}`;
      tmpBackup = tempName(backupPath, 'keyhold');
      const old = await fs.readFile(path);
      await writeTemp(fs, tmpBackup, old, 0o600);
      await fs.rename(tmpBackup, backupPath);
      inFlight.delete(tmpBackup);
      tmpBackup = null;
    }

    if (!target.exists && !options.overwrite) await linkIntoPlace(fs, tmp, path);
    else await fs.rename(tmp, path);
    tmpExists = false;
    await syncDir(fs, dirname(path));
    return { path, replaced: target.exists, backupPath };
  } catch (e) {
    if (tmpExists) await removeQuietly(fs, tmp);
    await removeQuietly(fs, tmpBackup);
    throw fileError(e, path);
  } finally {
    inFlight.delete(tmp);
    if (tmpBackup) inFlight.delete(tmpBackup);
  }
}

async function checkUnchanged(fs: AtomicFs, path: string, expect: Buffer | null): Promise<void> {
  let now: Buffer | null;
  try {
    now = await fs.readFile(path);
  } catch (e) {
    if (systemErrorCode(e) !== 'ENOENT') throw e;
    now = null;
  }
  const same = now === null || expect === null ? now === expect : now.equals(expect);
  if (!same) throw new KeyholdError('CONFLICT', `${path} changed while Keyhold was writing it; nothing was written. Try again.`);
}

/** Create-if-absent without a window: link() fails with EEXIST if someone created the file since
 * we looked. File systems without hard links fall back to a rename after one more look. */
async function linkIntoPlace(fs: AtomicFs, tmp: string, path: string): Promise<void> {
  try {
    await fs.link(tmp, path);
  } catch (e) {
    const code = systemErrorCode(e);
    if (code === 'EEXIST') throw new KeyholdError('CONFLICT', `${path} already exists (use --force to replace it).`);
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS' && code !== 'EXDEV') throw e;
    const again = await inspectTarget(fs, path);
    if (again.exists) throw new KeyholdError('CONFLICT', `${path} already exists (use --force to replace it).`);
    await fs.rename(tmp, path);
    return;
  }
  await fs.unlink(tmp);
}

/** The current content of a file about to be rewritten (null when absent), refusing what
 * writeFileAtomic would refuse (a symbolic link, a non-file), so a preview says so up front. */
export async function readExisting(path: string, fs: AtomicFs = realFs): Promise<Buffer | null> {
  const target = await inspectTarget(fs, path);
  if (!target.exists) return null;
  try {
    return await fs.readFile(path);
  } catch (e) {
    throw fileError(e, path, 'read');
  }
}
