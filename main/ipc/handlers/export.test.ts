import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBasicAuthServer, type BasicAuthServer } from '../../export/basic-auth-server.testkit';
import { createMemoryPlatform } from '../../platform/memory';
import { VaultManager } from '../../service/vault-manager';
import { createRouter } from '../router.testkit';
import { createHandlers } from '.';

const KDF = { memoryKiB: 65536, iterations: 3, parallelism: 1 };
const ACCESS = 'A1B2C3D4E5F6';
const SECRET = 'sEcReT "with" spaces #and\\ $HOME';

let server: BasicAuthServer;
beforeAll(async () => {
  server = await startBasicAuthServer(ACCESS, SECRET);
});
afterAll(() => server.close());

describe('export IPC channels', () => {
  it('are LOCKED while locked; preview and write through the router; relative paths refused', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'kh-export-ipc-'));
    const ctx = {
      vaultPath: join(tmp, 'vault.keyhold'),
      harness: 'bridge' as const,
      platform: createMemoryPlatform(),
      emit: () => undefined,
    };
    const vault = new VaultManager(ctx);
    const router = createRouter(createHandlers(ctx, vault));
    try {
      const locked = await router.invoke('export.preview', { format: 'netrc', keyIds: ['x'] });
      expect(locked.ok ? 'ok' : locked.error.code).toBe('LOCKED');
      const s = await vault.create('master', { kdf: KDF });
      const ws = s.addWorkspace({ name: 'r', provider: 'rancher', url: server.url });
      const key = s.addKey({ workspaceId: ws.id, kind: 'access_key_pair', name: 'k', publicPart: ACCESS, secret: SECRET });
      const netrc = join(tmp, 'netrc');
      const preview = await router.invoke('export.preview', { format: 'netrc', keyIds: [key.id], path: netrc });
      expect(preview.ok && preview.value).toMatchObject({ exists: false, diff: expect.stringContaining('+machine 127.0.0.1 login') });
      expect(JSON.stringify(preview)).not.toContain('sEcReT');
      const written = await router.invoke('export.netrc', { keyIds: [key.id], path: netrc });
      expect(written.ok && written.value).toMatchObject({ path: netrc, changes: [{ change: 'added' }] });
      const env = await router.invoke('export.dotenv', { keyIds: [key.id], path: join(tmp, '.env') });
      expect(env.ok && env.value).toMatchObject({ names: ['K_ACCESS_KEY', 'K_SECRET_KEY'], replaced: false });
      const again = await router.invoke('export.dotenv', { keyIds: [key.id], path: join(tmp, '.env') });
      expect(again.ok ? 'ok' : again.error.code).toBe('CONFLICT');
      const envPreview = await router.invoke('export.preview', { format: 'dotenv', keyIds: [key.id], path: join(tmp, '.env') });
      expect(envPreview.ok && envPreview.value).toMatchObject({
        exists: true,
        conflict: true,
        names: ['K_ACCESS_KEY', 'K_SECRET_KEY'],
        diff: null,
      });
      const curl = await router.invoke('export.curl', { keyId: key.id, path: join(tmp, 'c.curlrc') });
      expect(curl.ok).toBe(true);
      const relative = await router.invoke('export.curl', { keyId: key.id, path: 'c.curlrc' });
      expect(relative.ok ? 'ok' : relative.error.code).toBe('INVALID_INPUT');
      expect(readdirSync(tmp).filter((f) => f.endsWith('.tmp'))).toEqual([]);
      expect(readdirSync(tmp)).not.toContain('c.curlrc.bak');
      const bad = await router.invoke('export.netrc', { keyIds: [] });
      expect(bad.ok ? 'ok' : bad.error.code).toBe('INVALID_INPUT');
    } finally {
      vault.dispose();
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
