import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ApiResult, ChannelOutput } from '../../api';
import { createMemoryPlatform } from '../../platform/memory';
import { VaultManager } from '../../service/vault-manager';
import { createRouter } from '../router.testkit';
import { createHandlers } from '.';

const KDF = { memoryKiB: 65536, iterations: 3, parallelism: 1 };

/** the answer of a call that must have succeeded (the router has checked it against the schema) */
function value(r: ApiResult<unknown>): ChannelOutput<'migrate.apply'> {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as ChannelOutput<'migrate.apply'>;
}

describe('migrate IPC channels', () => {
  it('are LOCKED while locked; preview writes nothing and holds no secret; apply imports once; relative paths refused', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'kh-migrate-ipc-'));
    const ctx = {
      vaultPath: join(tmp, 'vault.keyhold'),
      harness: 'bridge' as const,
      platform: createMemoryPlatform(),
      emit: () => undefined,
    };
    const vault = new VaultManager(ctx);
    const router = createRouter(createHandlers(ctx, vault));
    const netrc = join(tmp, 'netrc');
    writeFileSync(netrc, 'machine api.example login deploy password s3cr3t-netrc\nmachine bare password only-pw\n');
    try {
      const locked = await router.invoke('migrate.preview', { source: 'netrc', path: netrc });
      expect(locked.ok ? 'ok' : locked.error.code).toBe('LOCKED');
      const s = await vault.create('master', { kdf: KDF });
      const preview = await router.invoke('migrate.preview', { source: 'netrc', path: netrc, workspace: 'Hosts' });
      expect(value(preview)).toMatchObject({ dryRun: true, imported: 0, workspace: 'Hosts', created: { workspaces: ['Hosts'] } });
      expect(value(preview).items.map((i) => [i.name, i.login ?? null, i.workspace])).toEqual([
        ['api.example', 'deploy', 'Hosts'],
        ['bare', null, 'Hosts'],
      ]);
      expect(JSON.stringify(preview)).not.toMatch(/s3cr3t-netrc|only-pw/);
      expect(s.stats().keys).toBe(0);
      const applied = await router.invoke('migrate.apply', { source: 'netrc', path: netrc, workspace: 'Hosts' });
      expect(value(applied).imported).toBe(2);
      expect(s.readSecret(value(applied).items[0]!.id!)).toBe('s3cr3t-netrc');
      const again = await router.invoke('migrate.apply', { source: 'netrc', path: netrc, workspace: 'Hosts' });
      expect([value(again).imported, value(again).duplicates.length]).toEqual([0, 2]);
      const relative = await router.invoke('migrate.preview', { source: 'netrc', path: 'netrc' });
      expect(relative.ok ? 'ok' : relative.error.code).toBe('INVALID_INPUT');
      const missing = await router.invoke('migrate.preview', { source: 'netrc', path: join(tmp, 'absent') });
      expect(missing.ok ? 'ok' : missing.error.code).toBe('NOT_FOUND');
    } finally {
      vault.lock();
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
