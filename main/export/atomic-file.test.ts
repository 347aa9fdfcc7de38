import { execFileSync } from 'node:child_process';
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import * as fsp from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readExisting, writeFileAtomic, type AtomicFs } from './atomic-file';
import { canMountTmpfs, mountTmpfs } from './mounts.testkit';
import { failure } from '../errors.testkit';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kh-atomic-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const mode = (p: string) => statSync(p).mode & 0o777;
const leftovers = (d: string) => readdirSync(d).filter((n) => n.endsWith('.tmp'));

/** The real fs with one call replaced, to inject a fault at one step. */
function faulty(patch: Partial<AtomicFs>): AtomicFs {
  return { open: fsp.open, lstat: fsp.lstat, rename: fsp.rename, link: fsp.link, unlink: fsp.unlink, readFile: fsp.readFile, ...patch };
}

function fsError(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: injected`), { code });
}

describe('writeFileAtomic', () => {
  it('creates a new file with mode 0600 whatever the umask, and leaves no temp file', async () => {
    const p = join(dir, 'secret.txt');
    const old = process.umask(0);
    try {
      const r = await writeFileAtomic(p, 'hello\n');
      expect(r).toEqual({ path: p, replaced: false, backupPath: null });
    } finally {
      process.umask(old);
    }
    expect(readFileSync(p, 'utf8')).toBe('hello\n');
    expect(mode(p)).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['secret.txt']);
  });

  it('sets exactly the mode asked for (0644 for a public file even under umask 077)', async () => {
    const p = join(dir, 'id.pub');
    const old = process.umask(0o077);
    try {
      await writeFileAtomic(p, 'ssh-ed25519 AAAA\n', { mode: 0o644 });
    } finally {
      process.umask(old);
    }
    expect(mode(p)).toBe(0o644);
  });

  it('refuses to replace an existing file without overwrite (CONFLICT), leaving it intact', async () => {
    const p = join(dir, 'f');
    writeFileSync(p, 'old');
    const e = await failure(writeFileAtomic(p, 'new'));
    expect(e.code).toBe('CONFLICT');
    expect(e.message).toContain('--force');
    expect(readFileSync(p, 'utf8')).toBe('old');
    expect(leftovers(dir)).toEqual([]);
  });

  it('replaces with overwrite, tightening the mode to 0600, and keeps a one-deep 0600 backup', async () => {
    const p = join(dir, '.netrc');
    writeFileSync(p, 'v1', { mode: 0o644 });
    const r1 = await writeFileAtomic(p, 'v2', { overwrite: true, backup: true });
    expect(r1).toEqual({ path: p, replaced: true, backupPath: `${p}.bak` });
    expect(readFileSync(p, 'utf8')).toBe('v2');
    expect(mode(p)).toBe(0o600);
    expect(readFileSync(`${p}.bak`, 'utf8')).toBe('v1');
    expect(mode(`${p}.bak`)).toBe(0o600);
    await writeFileAtomic(p, 'v3', { overwrite: true, backup: true });
    expect(readFileSync(`${p}.bak`, 'utf8')).toBe('v2');
    expect(readdirSync(dir).sort()).toEqual(['.netrc', '.netrc.bak']);
  });

  it('refuses a target that is a symbolic link (INVALID_INPUT): link and its target untouched', async () => {
    const real = join(dir, 'real');
    const link = join(dir, 'link');
    writeFileSync(real, 'precious');
    symlinkSync(real, link);
    for (const opts of [{}, { overwrite: true, backup: true }]) {
      const e = await failure(writeFileAtomic(link, 'secret', opts));
      expect(e.code).toBe('INVALID_INPUT');
      expect(e.message).toContain('symbolic link');
    }
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(real);
    expect(readFileSync(real, 'utf8')).toBe('precious');
    expect(leftovers(dir)).toEqual([]);
    await expect(readExisting(link)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('refuses a dangling symbolic link too (it would create a file where the link points)', async () => {
    const link = join(dir, 'dangling');
    symlinkSync(join(dir, 'nowhere'), link);
    expect((await failure(writeFileAtomic(link, 's'))).code).toBe('INVALID_INPUT');
    expect(readdirSync(dir)).toEqual(['dangling']);
  });

  it('refuses a target that is a folder, and a missing folder, with INVALID_INPUT', async () => {
    mkdirSync(join(dir, 'sub'));
    expect((await failure(writeFileAtomic(join(dir, 'sub'), 'x', { overwrite: true }))).code).toBe('INVALID_INPUT');
    const e = await failure(writeFileAtomic(join(dir, 'nope', 'f'), 'x'));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.message).toContain('does not exist');
  });

  it('refuses with CONFLICT when the file changed since it was read (expect), old content kept', async () => {
    const p = join(dir, 'f');
    writeFileSync(p, 'read');
    const before = readFileSync(p);
    writeFileSync(p, 'someone else');
    const e = await failure(writeFileAtomic(p, 'merged', { overwrite: true, backup: true, expect: before }));
    expect(e.code).toBe('CONFLICT');
    expect(readFileSync(p, 'utf8')).toBe('someone else');
    expect(readdirSync(dir)).toEqual(['f']);
    const e2 = await failure(writeFileAtomic(join(dir, 'g'), 'x', { overwrite: true, expect: Buffer.from('was there') }));
    expect(e2.code).toBe('CONFLICT');
  });

  it('does not overwrite a file created between the check and the write (link, not rename)', async () => {
    const p = join(dir, 'f');
    const racing = faulty({
      link: async (a, b) => {
        writeFileSync(p, 'the other writer');
        return fsp.link(a, b);
      },
    });
    const e = await failure(writeFileAtomic(p, 'mine', { fs: racing }));
    expect(e.code).toBe('CONFLICT');
    expect(readFileSync(p, 'utf8')).toBe('the other writer');
    expect(leftovers(dir)).toEqual([]);
  });

  it('a crash at the rename leaves the old file and its backup slot as they were and no temp file', async () => {
    const p = join(dir, 'f');
    writeFileSync(p, 'old');
    const fs = faulty({
      rename: async (a, b) => {
        if (String(b) === p) throw fsError('EIO');
        return fsp.rename(a, b);
      },
    });
    const e = await failure(writeFileAtomic(p, 'new', { overwrite: true, backup: true, fs }));
    expect(e.code).toBe('INTERNAL');
    expect(e.message).toContain(p);
    expect(e.message).not.toContain('new');
    expect(readFileSync(p, 'utf8')).toBe('old');
    expect(leftovers(dir)).toEqual([]);
  });

  it('a failing write (injected ENOSPC mid-file) gives a clear error, old file intact, no temp file', async () => {
    const p = join(dir, 'f');
    writeFileSync(p, 'old');
    const fs = faulty({
      open: (async (path: string, flags: number, m?: number) => {
        const h = await fsp.open(path, flags, m);
        if (String(path).endsWith('.tmp')) {
          (h as { write: unknown }).write = async () => {
            throw fsError('ENOSPC');
          };
        }
        return h;
      }) as AtomicFs['open'],
    });
    const e = await failure(writeFileAtomic(p, 'x'.repeat(1000), { overwrite: true, fs }));
    expect(e.code).toBe('INTERNAL');
    expect(e.message).toMatch(/no space left/);
    expect(readFileSync(p, 'utf8')).toBe('old');
    expect(leftovers(dir)).toEqual([]);
  });

  it('an immutable folder (chattr +i: refused even to root) gives INVALID_INPUT, old file intact', async () => {
    const sub = join(dir, 'locked');
    mkdirSync(sub);
    const p = join(sub, 'f');
    writeFileSync(p, 'old');
    try {
      execFileSync('chattr', ['+i', sub], { stdio: 'ignore' });
    } catch {
      // no chattr or not supported here: the injected EACCES below covers the mapping
      const fs = faulty({ open: async () => Promise.reject(fsError('EACCES')) });
      const e = await failure(writeFileAtomic(p, 'new', { overwrite: true, fs }));
      expect(e.code).toBe('INVALID_INPUT');
      expect(e.message).toContain('permission denied');
      return;
    }
    try {
      const e = await failure(writeFileAtomic(p, 'new', { overwrite: true, backup: true }));
      expect(e.code).toBe('INVALID_INPUT');
      expect(e.message).toContain('permission denied');
      expect(readFileSync(p, 'utf8')).toBe('old');
      expect(readdirSync(sub)).toEqual(['f']);
    } finally {
      execFileSync('chattr', ['-i', sub]);
    }
  });
});

describe.skipIf(!canMountTmpfs())('writeFileAtomic on real failing file systems (tmpfs, as root)', () => {
  it('a full disk: clear error naming the path, old file intact, no temp file', async () => {
    const m = mountTmpfs(16);
    try {
      const p = join(m.dir, '.netrc');
      writeFileSync(p, 'machine a login b password c\n');
      const e = await failure(writeFileAtomic(p, 'x'.repeat(64 * 1024), { overwrite: true, backup: true }));
      expect(e.code).toBe('INTERNAL');
      expect(e.message).toBe(`Cannot write ${p}: no space left on the device. Nothing was changed.`);
      expect(readFileSync(p, 'utf8')).toBe('machine a login b password c\n');
      expect(readdirSync(m.dir)).toEqual(['.netrc']);
    } finally {
      m.unmount();
    }
  });

  it('a read-only file system: INVALID_INPUT, old file intact', async () => {
    const m = mountTmpfs(64);
    try {
      const p = join(m.dir, '.env');
      writeFileSync(p, 'A=1\n');
      m.makeReadOnly();
      const e = await failure(writeFileAtomic(p, 'A=2\n', { overwrite: true, backup: true }));
      expect(e.code).toBe('INVALID_INPUT');
      expect(e.message).toContain('read-only');
      expect(readFileSync(p, 'utf8')).toBe('A=1\n');
      expect(readdirSync(m.dir)).toEqual(['.env']);
    } finally {
      m.unmount();
    }
  });
});
