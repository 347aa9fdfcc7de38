import { openVault } from '../main/vault';
import { percentile } from './percentile';
import { BENCH_PASSWORD, benchQueries } from './vault-data';
async function main() {
  const s = await openVault('/tmp/speedscratch/k100k.keyhold', BENCH_PASSWORD);
  s.listKeys({ sort: 'name', limit: 50 });
  await new Promise((r) => setTimeout(r, 3000));
  const qs = benchQueries(500);
  for (const q of qs.slice(0, 20)) s.listKeys({ search: q, limit: 50 });
  const wall: number[] = [];
  const cpu: number[] = [];
  for (const q of qs) {
    const c = process.cpuUsage();
    const t = performance.now();
    s.listKeys({ search: q, limit: 50 });
    wall.push(performance.now() - t);
    const d = process.cpuUsage(c);
    cpu.push((d.user + d.system) / 1000);
    await new Promise((r) => setImmediate(r));
  }
  console.log(process.argv[2], 'wall p50', percentile(wall, 50).toFixed(2), 'p99', percentile(wall, 99).toFixed(2), '| cpu p50', percentile(cpu, 50).toFixed(2), 'p99', percentile(cpu, 99).toFixed(2), 'mean', (cpu.reduce((a, b) => a + b, 0) / cpu.length).toFixed(2));
  s.lock();
}
void main();
