import { openVault } from '../main/vault';
import { BENCH_PASSWORD } from './vault-data';
async function main() {
  const s = await openVault('/tmp/speedscratch/k100k.keyhold', BENCH_PASSWORD);
  await new Promise((r) => setTimeout(r, 3000));
  for (const q of ['cdn', 'team', 'on', 'zq', 'billing-x3', 'ssh-ed25519', 'key for', 'owned', 'a', 'mailer-dep']) {
    for (let i = 0; i < 3; i++) s.listKeys({ search: q, limit: 50 });
    const c0 = process.cpuUsage();
    let total = 0;
    for (let i = 0; i < 20; i++) total = s.listKeys({ search: q, limit: 50 }).total;
    const c = process.cpuUsage(c0);
    console.log(q.padEnd(12), String(total).padStart(7), ((c.user + c.system) / 1000 / 20).toFixed(2), 'ms cpu');
  }
  s.lock();
}
void main();
