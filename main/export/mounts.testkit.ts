// For tests of failing writes: a tiny tmpfs (a full disk) and a read-only one, when this process
// may mount (root on Linux, as on CI here). Callers skip the real-mount case otherwise and run the
// same check against an injected fs error.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function canMountTmpfs(): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  const dir = mkdtempSync(join(tmpdir(), 'kh-mount-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16k', 'tmpfs', dir], { stdio: 'ignore' });
    execFileSync('umount', [dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface TmpfsMount {
  dir: string;
  /** remounts it read-only (writes then fail with EROFS) */
  makeReadOnly(): void;
  unmount(): void;
}

export function mountTmpfs(sizeKiB: number): TmpfsMount {
  const dir = mkdtempSync(join(tmpdir(), 'kh-tmpfs-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKiB}k,mode=0700`, 'tmpfs', dir]);
  return {
    dir,
    makeReadOnly: () => execFileSync('mount', ['-o', 'remount,ro', dir]),
    unmount: () => {
      execFileSync('umount', [dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
