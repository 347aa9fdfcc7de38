// Bulk rotation of 1,000 Rancher keys against the emulator with 50 ms latency per request and 5 %
// of requests failing (500 before the platform acts): total time, keys rotated, keys that failed
// (left in the journal to resume), and keys lost: keys whose stored secret no longer
// authenticates on the emulator (checked over HTTP). Lost must be 0. The emulator runs in its own
// process (`npm run emulators`), as a platform would, so it does not share this event loop.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { connectWorkspace } from '../main/service/connect';
import { resumeRotations, rotateKeys } from '../main/service/rotation';
import { syncWorkspace } from '../main/service/sync';
import { createVault } from '../main/vault';
import type { BenchSuite } from './suite';
import { BENCH_PASSWORD, FLOOR_KDF } from './vault-data';

const KEYS = 1000;
const CONCURRENCY = 96;
const ROOT = resolve(__dirname, '..');

const EmulatorLine = z.object({ provider: z.string(), url: z.string(), credentials: z.record(z.string(), z.string()) });

async function startEmulators(): Promise<{ child: ChildProcess; url: string; accessKey: string; secretKey: string }> {
  const child = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(ROOT, 'emulators', 'index.ts'), '--json'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  for await (const line of lines) {
    const parsed = EmulatorLine.safeParse(JSON.parse(line));
    if (parsed.success && parsed.data.provider === 'rancher') {
      const { accessKey, secretKey } = parsed.data.credentials;
      if (!accessKey || !secretKey) break;
      return { child, url: parsed.data.url, accessKey, secretKey };
    }
  }
  child.kill();
  throw new Error('the emulators did not start');
}

const basic = (a: string, s: string) => `Basic ${Buffer.from(`${a}:${s}`).toString('base64')}`;

async function pool<T>(items: T[], limit: number, fn: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

const Created = z.object({ id: z.string(), name: z.string(), publicValue: z.string(), secretValue: z.string() });
export const rotationSuite: BenchSuite = {
  name: 'rotation',
  title: `bulk rotation of ${KEYS} Rancher keys (50 ms latency, 5 % failures, concurrency ${CONCURRENCY})`,
  targets: { rotation_total_s: '< 8 s', rotation_keys_lost: '0' },
  async run(log) {
    const dir = mkdtempSync(join(tmpdir(), 'keyhold-bench-rotation-'));
    const emu = await startEmulators();
    const setFaults = (f: Record<string, number>) => fetch(`${emu.url}/__faults`, { method: 'POST', body: JSON.stringify(f) });
    try {
      const session = await createVault(join(dir, 'bench.keyhold'), BENCH_PASSWORD, { kdf: FLOOR_KDF });
      session.addWorkspace({ name: 'bench', provider: 'rancher', url: emu.url });
      await connectWorkspace(session, { workspace: 'bench', accessKey: emu.accessKey, secretKey: emu.secretKey });
      await syncWorkspace(session, 'bench');
      const env = session.getEnvironment('Default', session.getWorkspace('bench').id);
      // the keys exist on the platform and in the vault before the clock starts
      const created: z.output<typeof Created>[] = [];
      await pool(
        Array.from({ length: KEYS }, (_, i) => i),
        32,
        async (i) => {
          const res = await fetch(`${emu.url}/v2-beta/projects/1a5/apikeys`, {
            method: 'POST',
            headers: { Authorization: basic(emu.accessKey, emu.secretKey), 'Content-Type': 'application/json' },
            body: JSON.stringify({ type: 'apikey', name: `bench-${i}` }),
          });
          created.push(Created.parse(await res.json()));
        },
      );
      const keys = session.addKeys(
        created.map((k) => ({
          workspaceId: env.workspaceId,
          environmentId: env.id,
          kind: 'access_key_pair' as const,
          name: k.name,
          remoteId: k.id,
          publicPart: k.publicValue,
          secret: k.secretValue,
        })),
      );
      await setFaults({ latencyMs: 50, errorRate: 0.05 });
      log(`  ${KEYS} keys ready; rotating...`);
      let lastLog = Date.now();
      const started = performance.now();
      const results = await rotateKeys(
        session,
        keys.map((k) => k.id),
        {
          concurrency: CONCURRENCY,
          onProgress: (p) => {
            if (Date.now() - lastLog > 1000) {
              lastLog = Date.now();
              log(`  ${p.done}/${p.total} done, ${p.failed} failed`);
            }
          },
        },
      );
      const seconds = (performance.now() - started) / 1000;
      const rotated = results.filter((r) => r.ok).length;
      const failed = results.length - rotated;
      await setFaults({ latencyMs: 0, errorRate: 0 });
      // what failed stays journaled: resume it, as the next start would
      const resumed = failed ? (await resumeRotations(session)).filter((r) => r.ok).length : 0;
      // lost: the stored pair does not authenticate; retired: the old pair no longer does
      let lost = 0;
      let oldStillWorking = 0;
      const works = async (a: string, s: string) =>
        (await fetch(`${emu.url}/v2-beta/apikeys?limit=1`, { headers: { Authorization: basic(a, s), 'X-API-No-Challenge': 'true' } }))
          .status === 200;
      await pool(keys, 32, async (k) => {
        const now = session.getKey(k.id);
        if (!now.publicPart || !(await works(now.publicPart, session.readSecret(k.id)))) lost++;
      });
      await pool(created, 32, async (k) => {
        if (await works(k.publicValue, k.secretValue)) oldStillWorking++;
      });
      session.lock();
      return {
        rotation_total_s: seconds,
        rotation_keys_rotated: rotated,
        rotation_keys_failed_then_resumed: `${failed} failed, ${resumed} finished on resume`,
        rotation_keys_lost: lost,
        rotation_old_keys_still_working: oldStillWorking,
      };
    } finally {
      emu.child.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
