// Moving in: a 10,000-entry KeePassXC XML export (written by the readers' own fixture) imported
// into a real vault through the same service call as `keyhold migrate`: read, plan, one
// transaction with every key, its content hash and its audit row. Then the same file again, where
// everything is a duplicate and nothing is written.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeKeepassXmlFixture } from '../main/migrate/keepassxc-xml-fixture.testkit';
import { migrate } from '../main/service/migrate';
import { createVault } from '../main/vault';
import type { BenchSuite } from './suite';
import { BENCH_PASSWORD, FLOOR_KDF } from './vault-data';

const ENTRIES = 10_000;
const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

export const importSuite: BenchSuite = {
  name: 'import',
  title: `keyhold migrate of a ${ENTRIES.toLocaleString('en')}-entry KeePassXC XML export into a vault`,
  targets: { 'import.total_s': '< 2 s' },
  async run(log) {
    const dir = mkdtempSync(join(tmpdir(), 'keyhold-bench-import-'));
    try {
      const xml = join(dir, 'export.xml');
      // every 1,000th entry carries the fixture's OpenSSH key attachment (KeeAgent's convention)
      await writeKeepassXmlFixture(xml, { entries: ENTRIES, keyEvery: 1000 });
      const fileMb = statSync(xml).size / 1024 / 1024;
      log(`  fixture: ${fileMb.toFixed(1)} MB, ${ENTRIES} entries`);
      const session = await createVault(join(dir, 'bench.keyhold'), BENCH_PASSWORD, { kdf: FLOOR_KDF });
      const rssBefore = peakRssMb();
      let t = performance.now();
      const cpu = process.cpuUsage();
      const first = await migrate(session, { source: 'keepassxc-xml', path: xml });
      const totalMs = performance.now() - t;
      // CPU time besides wall time: on a shared machine the wall clock also counts other processes
      const used = process.cpuUsage(cpu);
      const rssAfter = peakRssMb();
      log(`  imported ${first.imported} keys (${first.duplicates.length} duplicates) in ${totalMs.toFixed(0)} ms`);
      t = performance.now();
      const again = await migrate(session, { source: 'keepassxc-xml', path: xml });
      const againMs = performance.now() - t;
      log(`  again: ${again.imported} imported, ${again.duplicates.length} duplicates in ${againMs.toFixed(0)} ms`);
      const audit = session.listAudit().filter((a) => a.action === 'imported').length;
      session.lock();
      return {
        'import.file_mb': fileMb,
        'import.keys': first.imported,
        'import.total_s': totalMs / 1000,
        'import.cpu_s': (used.user + used.system) / 1e6,
        'import.keys_per_s': Math.round(first.imported / (totalMs / 1000)),
        'import.audit_rows': audit,
        'import.peak_rss_mb': rssAfter,
        // the process's peak before the import (fixture, vault creation) and after it
        'import.peak_rss_before_mb': rssBefore,
        'import.again_s': againMs / 1000,
        'import.again_imported': again.imported,
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
