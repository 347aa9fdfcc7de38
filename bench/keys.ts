// Key pairs generated, sealed and stored per second (batches of 1,000 through the vault), beside
// Node's native ed25519 generation and the real `ssh-keygen -t ed25519` run once per key.
import { execFileSync } from 'node:child_process';
import { generateKeyPair, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { generateKeyPairs } from '../main/service/keypairs';
import { createVault } from '../main/vault';
import { percentile } from './percentile';
import type { BenchSuite } from './suite';
import { BENCH_PASSWORD, FLOOR_KDF } from './vault-data';

const BATCH = 1000;
const BATCH_RUNS = 3;
const SSH_KEYGEN_RUNS = 50;
const NATIVE_KEYS = 5000;

function perSecond(count: number, startNs: bigint): number {
  return count / (Number(process.hrtime.bigint() - startNs) / 1e9);
}

export const keysSuite: BenchSuite = {
  name: 'keys',
  title: 'ed25519 key pairs: Keyhold (generate + seal + store) vs Node native vs ssh-keygen processes',
  targets: { 'keys.vault_vs_ssh_keygen': '>= 20x' },
  async run(log) {
    const dir = mkdtempSync(join(tmpdir(), 'keyhold-bench-keys-'));
    try {
      // the KDF floor: unlocking is not what is measured here
      const session = await createVault(join(dir, 'bench.keyhold'), BENCH_PASSWORD, { kdf: FLOOR_KDF });
      const inputs = (run: number) =>
        Array.from({ length: BATCH }, (_, i) => ({ name: `bench-${run}-${i}`, comment: `bench${i}@keyhold` }));
      await generateKeyPairs(session, inputs(-1).slice(0, 50)); // warm-up
      const vaultRates: number[] = [];
      for (let run = 0; run < BATCH_RUNS; run++) {
        const t = process.hrtime.bigint();
        await generateKeyPairs(session, inputs(run));
        vaultRates.push(perSecond(BATCH, t));
        log(`  batch ${run + 1}/${BATCH_RUNS}: ${vaultRates.at(-1)!.toFixed(0)} key pairs/s (vault now holds ${session.stats().keys})`);
      }
      session.lock();

      let t = process.hrtime.bigint();
      for (let i = 0; i < NATIVE_KEYS; i++) generateKeyPairSync('ed25519');
      const nativeSync = perSecond(NATIVE_KEYS, t);
      const gen = promisify(generateKeyPair);
      t = process.hrtime.bigint();
      await Promise.all(Array.from({ length: NATIVE_KEYS }, () => gen('ed25519')));
      const nativeAsync = perSecond(NATIVE_KEYS, t);

      t = process.hrtime.bigint();
      for (let i = 0; i < SSH_KEYGEN_RUNS; i++) {
        execFileSync('/usr/bin/ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', '', '-f', join(dir, `sk${i}`)], { stdio: 'ignore' });
      }
      const sshKeygen = perSecond(SSH_KEYGEN_RUNS, t);

      const vault = percentile(vaultRates, 50);
      return {
        'keys.vault_batch_per_s': vault,
        'keys.native_sync_per_s': nativeSync,
        'keys.native_async_per_s': nativeAsync,
        'keys.ssh_keygen_per_s': sshKeygen,
        'keys.vault_vs_ssh_keygen': vault / sshKeygen,
        'keys.native_async_vs_vault': nativeAsync / vault,
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
