import { inspectVaultFile, openWithKey, unlockKey } from './main/vault';
import { benchQueries } from './bench/vault-data';
(async () => {
  const path = process.argv[2]!;
  const header = inspectVaultFile(path);
  const key = await unlockKey(header, 'bench master password');
  let t = performance.now();
  const s = await openWithKey(path, header, key);
  console.log('open', performance.now() - t);
  t = performance.now();
  const p = s.listKeys({ sort: 'name', limit: 50 });
  console.log('first page', performance.now() - t, p.total);
  for (const q of benchQueries(20, 99)) s.listKeys({ search: q, limit: 50 });
  const times: number[] = [];
  for (const q of benchQueries(200)) { const a = performance.now(); s.listKeys({ search: q, limit: 50 }); times.push(performance.now() - a); }
  times.sort((a, b) => a - b);
  console.log('search p50', times[100], 'p99', times[197], 'rss', process.memoryUsage().rss / 2 ** 20, 'heap', process.memoryUsage().heapUsed / 2 ** 20);
})();
