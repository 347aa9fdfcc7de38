// Bulk rotation of 1,000 Rancher keys against the emulator with 50 ms latency per request and 5 %
// of requests failing (500 before the platform acts): total time, keys rotated, keys that failed
// (left in the journal to resume), and keys lost: keys whose stored secret no longer
// authenticates on the emulator. Lost must be 0.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRancher } from '../emulators/rancher';
import { connectWorkspace } from '../main/service/connect';
import { resumeRotations, rotateKeys } from '../main/service/rotation';
import { syncWorkspace } from '../main/service/sync';
import { createVault } from '../main/vault';
import type { BenchSuite } from './suite';

const KEYS = 1000;
const CONCURRENCY = 64;

export const rotationSuite: BenchSuite = {
  name: 'rotation',
  title: `bulk rotation of ${KEYS} Rancher keys (50 ms latency, 5 % failures, concurrency ${CONCURRENCY})`,
  targets: { rotation_total_s: '< 8 s', rotation_keys_lost: '0' },
  async run(log) {
    const dir = mkdtempSync(join(tmpdir(), 'keyhold-bench-rotation-'));
    const rancher = await startRancher();
    try {
      const session = await createVault(join(dir, 'bench.keyhold'), 'bench-password', { kdf: { memoryKiB: 65536, iterations: 3, parallelism: 1 } });
      session.addWorkspace({ name: 'bench', provider: 'rancher', url: rancher.url });
      await connectWorkspace(session, { workspace: 'bench', accessKey: rancher.demo.accessKey, secretKey: rancher.demo.secretKey });
      await syncWorkspace(session, 'bench');
      const env = session.getEnvironment('Default', session.getWorkspace('bench').id);
      // the keys exist on the platform and in the vault before the clock starts
      const remote = Array.from({ length: KEYS }, (_, i) => rancher.state.createKey('1a5', `bench-${i}`, 'bench key'));
      const keys = session.addKeys(
        remote.map((k) => ({ workspaceId: env.workspaceId, environmentId: env.id, kind: 'access_key_pair' as const, name: k.name!, remoteId: k.id, publicPart: k.publicValue, secret: k.secretValue })),
      );
      await new Promise((r) => setTimeout(r, 10));
      rancher.setFaults({ latencyMs: 50, errorRate: 0.05 });
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
      rancher.setFaults({ latencyMs: 0, errorRate: 0 });
      // what failed stays journaled: resume it, as the next start would
      const resumed = failed ? (await resumeRotations(session)).filter((r) => r.ok).length : 0;
      await new Promise((r) => setTimeout(r, 10));
      const byPublic = new Map([...rancher.state.keys.values()].map((k) => [k.publicValue, k]));
      let lost = 0;
      for (const k of keys) {
        const now = session.getKey(k.id);
        const r = now.publicPart ? byPublic.get(now.publicPart) : undefined;
        if (!r || r.state !== 'active' || r.secretValue !== session.readSecret(k.id)) lost++;
      }
      const stillActiveOld = remote.filter((k) => rancher.state.keys.get(k.id)?.state === 'active').length;
      session.lock();
      return {
        rotation_total_s: seconds,
        rotation_keys_rotated: rotated,
        rotation_keys_failed_then_resumed: `${failed} failed, ${resumed} finished on resume`,
        rotation_keys_lost: lost,
        rotation_old_keys_still_active: stillActiveOld,
        rotation_requests_faulted: rancher.stats.faulted,
        rotation_requests_total: rancher.stats.total,
      };
    } finally {
      await rancher.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
