import { openVault } from '../main/vault';
import { BENCH_PASSWORD } from './vault-data';
const mb = () => { const m = process.memoryUsage(); return `rss ${(m.rss / 2 ** 20).toFixed(0)} heap ${(m.heapUsed / 2 ** 20).toFixed(0)}/${(m.heapTotal / 2 ** 20).toFixed(0)} ext ${(m.external / 2 ** 20).toFixed(0)} ab ${(m.arrayBuffers / 2 ** 20).toFixed(0)}`; };
async function main() {
  console.log('start   ', mb());
  const s = await openVault('/tmp/speedscratch/k100k.keyhold', BENCH_PASSWORD);
  s.listKeys({ sort: 'name', limit: 50 });
  console.log('unlocked', mb());
  await new Promise((r) => setTimeout(r, 4000));
  console.log('warm    ', mb());
  (globalThis as { gc?: () => void }).gc?.();
  console.log('gc      ', mb());
  s.lock();
}
void main();
