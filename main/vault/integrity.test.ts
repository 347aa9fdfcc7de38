// Damaged, foreign, newer and tampered files: INTEGRITY with a clear message, and the file is
// never modified by the attempt to open it.
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { isKeyholdError } from '../errors';
import { headerChecksum } from './header';
import { backupVault, createVault, openVault, restoreVault } from './index';
import { FLOOR_KDF, TEST_PASSWORD, newTestVault, tamper, tempDir } from './test-vault.testkit';
import type { VaultSession } from './types';

const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

async function expectIntegrity(path: string, message?: RegExp): Promise<void> {
  const before = sha(path);
  const err = await openVault(path, TEST_PASSWORD).then(
    (s) => {
      s.lock();
      return null;
    },
    (e: unknown) => e,
  );
  expect(err).toMatchObject({ code: 'INTEGRITY' });
  if (message) expect((err as Error).message).toMatch(message);
  expect(sha(path)).toBe(before);
}

/** Everything a session can read, as plain data (to compare a damaged copy with the original). */
function everything(s: VaultSession): unknown {
  const keys = s.listKeys().items;
  return {
    workspaces: s.listWorkspaces(),
    environments: s.listEnvironments(),
    keys,
    secrets: keys.map((k) => (k.hasSecret ? s.readSecret(k.id) : null)),
    versions: keys.map((k) => s.listVersions(k.id)),
    audit: s.verifyAudit(),
    events: s.listAudit(),
    settings: s.getSetting('theme'),
    pending: s.listPending(),
  };
}

describe('opening files that are not sound vaults', () => {
  let dir: string;
  let good: string;
  beforeAll(async () => {
    dir = tempDir();
    const { path, session } = await newTestVault(dir, 'good.keyhold');
    const ws = session.addWorkspace({ name: 'w', provider: 'local' });
    session.addKeys(
      Array.from({ length: 50 }, (_, i) => ({
        workspaceId: ws.id,
        kind: 'api_key' as const,
        name: `key ${i}`,
        description: 'd'.repeat(i * 7),
        secret: `s${i}`.repeat(20),
      })),
    );
    session.setSetting('theme', 'dark');
    session.lock();
    good = path;
  });

  const variant = (name: string, bytes: Buffer) => {
    const p = join(dir, name);
    writeFileSync(p, bytes);
    return p;
  };

  it('a missing file is NOT_FOUND', async () => {
    await expect(openVault(join(dir, 'absent.keyhold'), TEST_PASSWORD)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('an empty file is INTEGRITY', async () => {
    await expectIntegrity(variant('empty.keyhold', Buffer.alloc(0)), /empty/);
  });

  it('random bytes are INTEGRITY', async () => {
    await expectIntegrity(variant('random.keyhold', randomBytes(64 * 1024)), /not a Keyhold vault/);
  });

  it('a truncated vault is INTEGRITY', async () => {
    const full = readFileSync(good);
    for (const len of [100, 4096, Math.floor(full.length / 2), full.length - 4096]) {
      await expectIntegrity(variant(`trunc-${len}.keyhold`, full.subarray(0, len)));
    }
  });

  it('another SQLite database is INTEGRITY', async () => {
    const p = join(dir, 'other.sqlite');
    const db = new Database(p);
    db.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('hi')");
    db.close();
    await expectIntegrity(p, /not a Keyhold vault/);
  });

  it('a vault from a newer Keyhold is refused (INTEGRITY) and not rewritten', async () => {
    const p = join(dir, 'newer.keyhold');
    copyFileSync(good, p);
    tamper(p, (db) => db.prepare('UPDATE header SET format_version = 99').run());
    await expectIntegrity(p, /newer Keyhold/);
    expect(new Database(p, { readonly: true }).prepare('SELECT format_version FROM header').pluck().get()).toBe(99);
  });

  it('KDF parameters lowered below the floor are refused as a downgrade, even with a recomputed checksum', async () => {
    const p = join(dir, 'downgrade.keyhold');
    copyFileSync(good, p);
    tamper(p, (db) => {
      const h = db.prepare('SELECT vault_id, kdf, wrapped_key FROM header').get() as { vault_id: string; kdf: string; wrapped_key: Buffer };
      const kdf = JSON.stringify({ ...JSON.parse(h.kdf), memoryKiB: 1024, iterations: 1 });
      db.prepare('UPDATE header SET kdf = ?, checksum = ?').run(kdf, headerChecksum(h.vault_id, kdf, h.wrapped_key));
    });
    await expectIntegrity(p, /downgrade/);
  });

  it('KDF parameters above the limits (iterations 2^31-1) are INTEGRITY at once, even with a recomputed checksum', async () => {
    for (const [name, change] of [
      ['iterations', { iterations: 2 ** 31 - 1 }],
      ['memory', { memoryKiB: 4 * 1024 * 1024 + 1 }],
      ['parallelism', { parallelism: 256 }],
    ] as const) {
      const p = join(dir, `ceiling-${name}.keyhold`);
      copyFileSync(good, p);
      tamper(p, (db) => {
        const h = db.prepare('SELECT vault_id, kdf, wrapped_key FROM header').get() as {
          vault_id: string;
          kdf: string;
          wrapped_key: Buffer;
        };
        const kdf = JSON.stringify({ ...JSON.parse(h.kdf), ...change });
        db.prepare('UPDATE header SET kdf = ?, checksum = ?').run(kdf, headerChecksum(h.vault_id, kdf, h.wrapped_key));
      });
      const t0 = performance.now();
      await expectIntegrity(p, name === 'parallelism' ? /KDF parameters/ : /above Keyhold's limits/);
      expect(performance.now() - t0).toBeLessThan(2000);
    }
  });

  it('a crafted backup asking for iterations 2^31-1 is INTEGRITY at once and restores nothing', async () => {
    const s = await openVault(good, TEST_PASSWORD);
    const { bytes } = await backupVault(s, 'backup passphrase').finally(() => s.lock());
    const nl = bytes.indexOf(0x0a, 'KEYHOLD-BACKUP 1\n'.length);
    const header = JSON.parse(bytes.subarray('KEYHOLD-BACKUP 1\n'.length, nl).toString('utf8')) as { kdf: Record<string, unknown> };
    header.kdf.iterations = 2 ** 31 - 1;
    const before = Buffer.concat([
      Buffer.from('KEYHOLD-BACKUP 1\n'),
      Buffer.from(JSON.stringify(header)),
      bytes.subarray(nl, bytes.length - 32),
    ]);
    const crafted = Buffer.concat([before, createHash('sha256').update(before).digest()]);
    const target = join(dir, 'restored-from-crafted.keyhold');
    const t0 = performance.now();
    await expect(restoreVault(crafted, 'backup passphrase', target, TEST_PASSWORD, { kdf: FLOOR_KDF })).rejects.toMatchObject({
      code: 'INTEGRITY',
    });
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(existsSync(target)).toBe(false);
  });

  it('an altered header without a matching checksum is INTEGRITY, not WRONG_PASSWORD', async () => {
    const p = join(dir, 'header.keyhold');
    copyFileSync(good, p);
    tamper(p, (db) => {
      const w = db.prepare('SELECT wrapped_key FROM header').pluck().get() as Buffer;
      w[30]! ^= 1;
      db.prepare('UPDATE header SET wrapped_key = ?').run(w);
    });
    await expectIntegrity(p, /checksum/);
  });

  it('a byte flipped anywhere: INTEGRITY or an intact vault, never a crash, wrong data or a changed file', async () => {
    const original = await openVault(good, TEST_PASSWORD);
    const want = everything(original);
    original.lock();
    const bytes = readFileSync(good);
    const pageSize = 4096;
    // every page: its header area and a byte inside its content, plus the file header
    const offsets = new Set<number>([0, 16, 18, 28, 40, 60, 95]);
    for (let page = 0; page * pageSize < bytes.length; page++) {
      offsets.add(page * pageSize + (page === 0 ? 100 : 0) + 3);
      offsets.add(page * pageSize + 1500 + ((page * 397) % 2500));
    }
    let refused = 0;
    for (const off of offsets) {
      if (off >= bytes.length) continue;
      const copy = Buffer.from(bytes);
      copy[off]! ^= 0x5a;
      const p = variant(`flip-${off}.keyhold`, copy);
      const before = sha(p);
      try {
        const s = await openVault(p, TEST_PASSWORD);
        try {
          expect(everything(s), `flip at ${off}`).toEqual(want);
        } finally {
          s.lock();
        }
      } catch (e) {
        if (!isKeyholdError(e) || e.code !== 'INTEGRITY') throw new Error(`flip at ${off}: ${String(e)}`, { cause: e });
        refused++;
      }
      expect(sha(p), `flip at ${off} changed the file`).toBe(before);
    }
    expect(refused).toBeGreaterThan(0);
    // 25 opens, each through Argon2id: on a loaded 2-core machine that is minutes, not seconds
  }, 300_000);

  it('a wrong password is WRONG_PASSWORD and leaves the file as it was', async () => {
    const before = sha(good);
    await expect(openVault(good, 'not the password')).rejects.toMatchObject({ code: 'WRONG_PASSWORD' });
    await expect(openVault(good, '')).rejects.toMatchObject({ code: 'WRONG_PASSWORD' });
    expect(sha(good)).toBe(before);
  });

  it('creating over an existing file is CONFLICT; KDF parameters below the floor are USAGE', async () => {
    await expect(createVault(good, TEST_PASSWORD, { kdf: FLOOR_KDF })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(createVault(join(dir, 'weak.keyhold'), TEST_PASSWORD, { kdf: { ...FLOOR_KDF, iterations: 2 } })).rejects.toMatchObject({
      code: 'USAGE',
    });
    await expect(createVault(join(dir, 'weak.keyhold'), TEST_PASSWORD, { kdf: { ...FLOOR_KDF, memoryKiB: 8192 } })).rejects.toMatchObject({
      code: 'USAGE',
    });
    await expect(createVault(join(dir, 'nopw.keyhold'), '', { kdf: FLOOR_KDF })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
