import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { createVault, openVault } from './main/vault';
const p = '/tmp/vault-probe/crash.keyhold';
function round(start: number, ms: number): Promise<string> {
  return new Promise((res) => {
    const child = spawn('node_modules/.bin/tsx', ['main/vault/crash-writer.testkit.ts', p, String(start)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c) => { out += c; if (out.startsWith('ready') && !(child as any).t) { (child as any).t = setTimeout(() => child.kill('SIGKILL'), ms); } });
    child.on('exit', () => res(out));
  });
}
(async () => {
  for (const s of ['', '-wal', '-shm']) require('fs').rmSync(p + s, { force: true });
  const v = await createVault(p, 'test master password', { kdf: { memoryKiB: 65536, iterations: 3, parallelism: 4 } });
  v.lock();
  let next = 0;
  for (const ms of [150, 420, 777, 1234]) {
    const out = await round(next, ms);
    const done = out.trim().split('\n').filter((l) => l.startsWith('done')).map((l) => Number(l.slice(5)));
    const db = new Database(p, { readonly: true });
    console.log(ms, 'done', done.length, db.prepare('select audit_head_seq from header').get(), db.prepare('select count(*) n, max(seq) m from audit_events').get());
    db.close();
    const s = await openVault(p, 'test master password');
    try { console.log(s.verifyAudit()); } catch (e) { console.log('ERR', (e as Error).message); }
    s.lock();
    next = Math.max(next - 1, ...done) + 2;
  }
})();
