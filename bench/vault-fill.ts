// Child process of bench/vault.ts: creates a vault at PATH (with the KDF parameters given as JSON,
// else the floor's) and bulk-inserts N keys, printing one
// JSON line with the insert rate and the worst event-loop delay seen meanwhile. Run apart from the
// unlock measurement so that the unlocked process's RSS holds only what unlocking costs.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { z } from 'zod';
import { bulkAddKeys } from '../main/service/keys';
import { createVault } from '../main/vault';
import { benchKeys, FLOOR_KDF, BENCH_PASSWORD } from './vault-data';

const KdfJson = z.object({
  algorithm: z.literal('argon2id'),
  memoryKiB: z.number().int(),
  iterations: z.number().int(),
  parallelism: z.number().int(),
});

async function main(): Promise<void> {
  const [path, countArg, kdfArg] = process.argv.slice(2);
  if (!path) throw new Error('usage: vault-fill PATH [N] [KDF-JSON]');
  const count = Number(countArg ?? 100_000);
  const kdf = kdfArg ? KdfJson.parse(JSON.parse(kdfArg)) : FLOOR_KDF;
  const session = await createVault(path, BENCH_PASSWORD, { kdf });
  const workspaces = ['Syncano prod', 'Rancher staging', 'Encord research', 'GitHub org', 'Local'].map((name, i) =>
    session.addWorkspace({ name, provider: (['syncano', 'rancher', 'encord', 'github', 'local'] as const)[i]! }),
  );
  const inputs = benchKeys(
    count,
    workspaces.map((w) => w.id),
  );
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  await new Promise<void>((r) => setTimeout(r, 20)); // let the monitor's timer start first
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  await bulkAddKeys(session, inputs);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  h.disable();
  session.lock();
  process.stdout.write(
    `${JSON.stringify({ insert_keys_per_s: count / seconds, insert_keys_per_cpu_s: count / cpuSeconds, insert_max_delay_ms: h.max / 1e6 })}\n`,
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`vault-fill failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exitCode = 1;
});
