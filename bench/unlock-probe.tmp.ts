import { monitorEventLoopDelay } from 'node:perf_hooks';
import { openVault, type UnlockTiming } from '../main/vault';
import { BENCH_PASSWORD } from './vault-data';
async function main() {
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  await new Promise((r) => setTimeout(r, 20));
  const timing: UnlockTiming = {};
  const t0 = performance.now();
  const s = await openVault('/tmp/speedscratch/k100k.keyhold', BENCH_PASSWORD, timing);
  const first = s.listKeys({ sort: 'name', limit: 50 });
  const t1 = performance.now();
  const kdf = timing.kdfEnd! - timing.kdfStart!;
  console.log('unlock past KDF', (t1 - t0 - kdf).toFixed(0), 'ms; kdf', kdf.toFixed(0), 'total', first.total, 'maxdelay', (h.max / 1e6).toFixed(1));
  const m = process.memoryUsage();
  console.log('rss', (m.rss / 2 ** 20).toFixed(0), 'heapUsed', (m.heapUsed / 2 ** 20).toFixed(0), 'heapTotal', (m.heapTotal / 2 ** 20).toFixed(0), 'external', (m.external / 2 ** 20).toFixed(0), 'ab', (m.arrayBuffers / 2 ** 20).toFixed(0));
  await new Promise((r) => setTimeout(r, 3000));
  const m2 = process.memoryUsage();
  console.log('after warm: rss', (m2.rss / 2 ** 20).toFixed(0), 'heapUsed', (m2.heapUsed / 2 ** 20).toFixed(0), 'heapTotal', (m2.heapTotal / 2 ** 20).toFixed(0), 'external', (m2.external / 2 ** 20).toFixed(0));
  s.lock();
}
void main();
