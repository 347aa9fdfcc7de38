import { openVault } from '../main/vault';
import { BENCH_PASSWORD } from './vault-data';
async function main() {
  const s = await openVault('/tmp/speedscratch/k100k.keyhold', BENCH_PASSWORD);
  await new Promise((r) => setTimeout(r, 3000));
  const q = process.argv[2]!;
  for (let i = 0; i < 300; i++) s.listKeys({ search: q, limit: 50 });
  s.lock();
}
void main();
