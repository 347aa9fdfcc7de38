import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '..');

describe('npm run emulators -- --json', () => {
  it('prints one JSON line per emulator with its URL and demo credentials, and they work', async () => {
    const child = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(ROOT, 'emulators', 'index.ts'), '--json'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const lines: Record<string, any>[] = [];
      for await (const line of createInterface({ input: child.stdout })) {
        lines.push(JSON.parse(line));
        if (lines.length === 5) break;
      }
      expect(lines.map((l) => l.provider)).toEqual(['syncano', 'rancher', 'github', 'encord', 'rancher2']);
      const by = Object.fromEntries(lines.map((l) => [l.provider, l]));
      for (const l of lines) expect(l.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(Object.keys(by.syncano.credentials)).toEqual(['email', 'password', 'readOnlyInstance']);
      expect(Object.keys(by.rancher.credentials)).toEqual(['accessKey', 'secretKey', 'environmentId']);
      const login = await fetch(`${by.syncano.url}/v1.1/account/auth/`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(by.syncano.credentials),
      });
      expect(login.status).toBe(200);
      const { accessKey, secretKey, environmentId } = by.rancher.credentials;
      const env = await fetch(`${by.rancher.url}/v2-beta/projects/${environmentId}`, {
        headers: { Authorization: `Basic ${Buffer.from(`${accessKey}:${secretKey}`).toString('base64')}` },
      });
      expect(env.status).toBe(200);
      expect(
        (await fetch(`${by.github.url}/user/keys`, { headers: { Authorization: `Bearer ${by.github.credentials.token}` } })).headers.get(
          'x-oauth-scopes',
        ),
      ).toBe('admin:public_key');
      expect(
        (
          await fetch(`${by.github.url}/user/keys`, { headers: { Authorization: `Bearer ${by.github.credentials.addOnlyToken}` } })
        ).headers.get('x-oauth-scopes'),
      ).not.toContain('admin:public_key');
      const { email, password, readOnlyInstance } = by.syncano.credentials;
      const key = ((await login.json()) as { account_key: string }).account_key;
      const instances = (await (await fetch(`${by.syncano.url}/v1.1/instances/`, { headers: { 'X-API-KEY': key } })).json()) as {
        objects: { name: string; role: string }[];
      };
      expect(instances.objects.find((i) => i.name === readOnlyInstance)?.role).toBe('read');
      expect(email && password).toBeTruthy();
      expect((await fetch(by.encord.credentials.adminUrl)).status).toBe(200);
      expect(
        (await fetch(`${by.rancher2.url}/v3/clusters`, { headers: { Authorization: `Bearer ${by.rancher2.credentials.token}` } })).status,
      ).toBe(200);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  });
});
