// Child process of bench/vault.ts, bundled (bundle.ts) and run in plain Node: unlocks the vault at
// PATH as the app does, takes the first page, then types 500 searches; prints one JSON line of
// figures. A process of its own, so that its RSS holds only Node, Keyhold's code and the vault.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setImmediate } from 'node:timers/promises';
import { openVault, type UnlockTiming } from '../main/vault';
import { percentile } from './percentile';
import { BENCH_PASSWORD, benchQueries } from './vault-data';

const mb = () => process.memoryUsage().rss / (1024 * 1024);

async function main(): Promise<void> {
  const [path, keysArg] = process.argv.slice(2);
  if (!path) throw new Error('usage: vault-unlock PATH KEYS');
  const keys = Number(keysArg);
  const rssBefore = mb();
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  await new Promise<void>((r) => setTimeout(r, 20)); // let the monitor's timer start first
  // openVault as the app calls it: header check, then the KDF with quick_check and the manifest's
  // keys rows on workers meanwhile, then the sealed index and the first page
  const timing: UnlockTiming = {};
  const t0 = performance.now();
  const cpuA = process.cpuUsage();
  const session = await openVault(path, BENCH_PASSWORD, timing);
  const first = session.listKeys({ sort: 'name', limit: 50 });
  const tEnd = performance.now();
  const cpu = process.cpuUsage(cpuA);
  if (first.total !== keys || first.items.length !== 50) throw new Error(`unexpected first page: ${first.total}`);
  delay.disable();
  const unlockDelay = delay.max / 1e6;
  const rssUnlocked = mb();

  // search as you type: each query a page of 50 over names, descriptions, public parts. The very
  // first search right after the first page finds the search index still building (it scans);
  // a user reads the page before typing, so the typing is measured a second later.
  const queries = benchQueries(500);
  const f0 = performance.now();
  session.listKeys({ search: queries[0]!, limit: 50 });
  const firstSearch = performance.now() - f0;
  await new Promise<void>((r) => setTimeout(r, 1000));
  for (const q of queries.slice(0, 20)) session.listKeys({ search: q, limit: 50 }); // warm-up
  delay.reset();
  delay.enable();
  await new Promise<void>((r) => setTimeout(r, 20));
  const times: number[] = [];
  let hits = 0;
  for (const q of queries) {
    const s = performance.now();
    hits += session.listKeys({ search: q, limit: 50 }).total;
    times.push(performance.now() - s);
    await setImmediate(); // keystrokes arrive as events
  }
  delay.disable();
  const rssAfterSearch = mb();
  session.lock();
  process.stdout.write(
    `${JSON.stringify({
      t0,
      kdfStart: timing.kdfStart ?? t0,
      keyReady: timing.keyReady ?? t0,
      checksDone: timing.kdfEnd ?? t0,
      indexLoaded: timing.indexLoaded ?? t0,
      manifestChecked: timing.manifestChecked ?? t0,
      tEnd,
      cpuMs: (cpu.user + cpu.system) / 1000,
      unlockDelay,
      searchDelay: delay.max / 1e6,
      searchP99: percentile(times, 99),
      firstSearch,
      hits,
      rssBefore,
      rssUnlocked,
      rssAfterSearch,
    })}\n`,
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`vault-unlock failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
