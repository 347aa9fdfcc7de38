// Whole-file rollback: an older copy of a vault put back in place of the newer one is refused at
// unlock (INTEGRITY, file unchanged) on a computer that has seen the newer one, unless accepted.
import { createHash } from 'node:crypto';
import { copyFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backupVault, createVault, openVault, rekeyVault, restoreVault } from './index';
import { FLOOR_KDF, TEST_PASSWORD, fileBytes, tempDir } from './test-vault.testkit';

const sha = (p: string) => createHash('sha256').update(fileBytes(p)).digest('hex');

describe('the rollback record', () => {
  it('an older copy of the file is INTEGRITY with the file unchanged; --accept-rollback opens it', async () => {
    const dir = tempDir();
    const seen = { dir: join(dir, 'config') };
    const path = join(dir, 'v.keyhold');
    const s = await createVault(path, TEST_PASSWORD, { kdf: FLOOR_KDF, seen });
    s.addWorkspace({ name: 'w', provider: 'local' });
    s.lock();
    const old = join(dir, 'old.keyhold');
    copyFileSync(path, old);
    const s2 = await openVault(path, TEST_PASSWORD, {}, seen);
    s2.addWorkspace({ name: 'added later', provider: 'local' });
    s2.lock();
    expect(readdirSync(join(dir, 'config', 'seen-vaults'))).toHaveLength(1);

    copyFileSync(old, path); // the attacker (or a sync tool) puts the older file back
    const before = sha(path);
    const err = await openVault(path, TEST_PASSWORD, {}, seen).then(
      (x) => (x.lock(), null),
      (e: unknown) => e,
    );
    expect(err).toMatchObject({
      code: 'INTEGRITY',
      message: expect.stringMatching(/older than one this computer has already opened.*--accept-rollback/),
    });
    expect(sha(path)).toBe(before);

    const accepted = await openVault(path, TEST_PASSWORD, {}, { ...seen, acceptRollback: true });
    expect(accepted.listWorkspaces().map((w) => w.name)).toEqual(['w']);
    accepted.lock();
    // accepted once: from now on it is the reference, and opens without the flag
    const again = await openVault(path, TEST_PASSWORD, {}, seen);
    again.lock();
  });

  it('a copy from before passwd --rekey on this computer is an older file too', async () => {
    const dir = tempDir();
    const seen = { dir: join(dir, 'config') };
    const path = join(dir, 'v.keyhold');
    const s = await createVault(path, TEST_PASSWORD, { kdf: FLOOR_KDF, seen });
    s.lock();
    const old = join(dir, 'old.keyhold');
    copyFileSync(path, old);
    const s2 = await openVault(path, TEST_PASSWORD, {}, seen);
    await rekeyVault(s2, 'new password');
    s2.lock();
    (await openVault(path, 'new password', {}, seen)).lock();
    copyFileSync(old, path);
    await expect(openVault(path, TEST_PASSWORD, {}, seen)).rejects.toMatchObject({
      code: 'INTEGRITY',
      message: expect.stringMatching(/older/),
    });
  });

  it('restoring a backup into a new vault file is not a rollback (a new vault id)', async () => {
    const dir = tempDir();
    const seen = { dir: join(dir, 'config') };
    const path = join(dir, 'v.keyhold');
    const s = await createVault(path, TEST_PASSWORD, { kdf: FLOOR_KDF, seen });
    s.addWorkspace({ name: 'w', provider: 'local' });
    const { bytes } = await backupVault(s, 'backup pass');
    s.addWorkspace({ name: 'after the backup', provider: 'local' });
    s.lock();
    const restored = await restoreVault(bytes, 'backup pass', join(dir, 'restored.keyhold'), TEST_PASSWORD, { kdf: FLOOR_KDF, seen });
    expect(restored.listWorkspaces().map((w) => w.name)).toEqual(['w']);
    restored.lock();
    const reopened = await openVault(join(dir, 'restored.keyhold'), TEST_PASSWORD, {}, seen);
    reopened.lock();
    expect(readdirSync(join(dir, 'config', 'seen-vaults'))).toHaveLength(2);
  });
});
