import Database from 'better-sqlite3';
import { spawnSync, spawn } from 'node:child_process';
import { createVault } from './main/vault';
(async () => {
  const p = '/tmp/vault-probe/crash.keyhold';
  for (const s of ['', '-wal', '-shm']) require('fs').rmSync(p + s, { force: true });
  const v = await createVault(p, 'test master password', { kdf: { memoryKiB: 65536, iterations: 3, parallelism: 4 } });
  v.lock();
  const child = spawn('node_modules/.bin/tsx', ['main/vault/crash-writer.testkit.ts', p, '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (c) => { out += c; if (out.includes('ready')) setTimeout(() => child.kill('SIGKILL'), 300); });
  child.on('exit', () => {
    const db = new Database(p, { readonly: true });
    console.log(db.prepare('select audit_head_seq from header').get(), db.prepare('select count(*) n, max(seq) m, min(seq) mi from audit_events').get());
    const seqs = db.prepare('select seq from audit_events order by seq').pluck().all() as number[];
    console.log(seqs.filter((s, i) => s !== i + 1).slice(0, 5), out.trim().split('\n').slice(-2));
  });
})();
