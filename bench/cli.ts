// `keyhold key list` on 1,000 keys, as a script runs it: through the running app's socket (the
// vault already unlocked in the app, main/bridge) against the CLI unlocking on its own (Argon2id
// calibrated to the machine, as a new vault is) and against `keepassxc-cli ls` on the same 1,000
// entries (its KDF set to the same decryption time). Every run is a new process. The CLI is
// bundled first with esbuild (as the app's build bundles out/main/cli.js; tsx would mostly measure
// its own transpiling), and the plain start of that process is measured too.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAppBridge } from '../main/bridge/server';
import { createMemoryPlatform } from '../main/platform/memory';
import { bulkAddKeys } from '../main/service/keys';
import { VaultManager } from '../main/service/vault-manager';
import { createVault } from '../main/vault';
import { BUNDLE_ENV, ROOT, bundle } from './bundle';
import { percentile } from './percentile';
import type { BenchSuite } from './suite';
import { BENCH_PASSWORD, benchKeys } from './vault-data';

const KEYS = 1000;
const RUNS = 5;

function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv, stdin = ''): Promise<{ ms: number; lines: number }> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const p = spawn(cmd, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (c: Buffer) => (out += c.toString()));
    p.stderr.on('data', (c: Buffer) => (err += c.toString()));
    p.on('error', reject);
    p.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${cmd} exited ${code}: ${err.slice(0, 300)}`));
      resolve({ ms: performance.now() - t, lines: out.split('\n').filter(Boolean).length });
    });
    p.stdin.end(stdin);
  });
}

async function median(label: string, log: (l: string) => void, run: () => Promise<{ ms: number; lines: number }>): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const r = await run();
    ms.push(r.ms);
    log(`  ${label} ${i + 1}/${RUNS}: ${r.ms.toFixed(0)} ms, ${r.lines} lines`);
  }
  return percentile(ms, 50);
}

function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A KeePass XML export with the same names and secrets, for keepassxc-cli import. */
function keepassXml(entries: Array<{ name: string; secret: string }>): string {
  const uuid = () => randomBytes(16).toString('base64');
  const body = entries
    .map(
      (e) =>
        `<Entry><UUID>${uuid()}</UUID><String><Key>Title</Key><Value>${xmlEscape(e.name)}</Value></String><String><Key>Password</Key><Value>${xmlEscape(e.secret)}</Value></String></Entry>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<KeePassFile><Meta><Generator>keyhold bench</Generator></Meta><Root><Group><UUID>${uuid()}</UUID><Name>Root</Name>${body}</Group></Root></KeePassFile>\n`;
}

export const cliSuite: BenchSuite = {
  name: 'cli',
  title: '`keyhold key list` on 1,000 keys: through the running app vs unlocking with the KDF vs keepassxc-cli ls',
  targets: { 'cli.app_vs_kdf': '>= 3x (several times faster)', 'cli.app_vs_keepassxc': '>= 1x' },
  async run(log) {
    const dir = mkdtempSync(join(tmpdir(), 'keyhold-bench-cli-'));
    try {
      const vaultPath = join(dir, 'bench.keyhold');
      log('  creating the vault (KDF calibrated to this machine)');
      const session = await createVault(vaultPath, BENCH_PASSWORD);
      const ws = session.addWorkspace({ name: 'bench', provider: 'local' });
      const inputs = benchKeys(KEYS, [ws.id]);
      await bulkAddKeys(session, inputs);
      session.lock();

      const manager = new VaultManager({ vaultPath, harness: 'bridge', platform: createMemoryPlatform(), emit: () => undefined });
      await manager.unlock(BENCH_PASSWORD);
      const socketPath = join(dir, 'app', 'app.sock');
      const bridge = await startAppBridge({ socketPath, vault: manager, approve: async () => 'allow-until-lock' });
      const cli = bundle(join(ROOT, 'main', 'cli.ts'), mkdtempSync(join(dir, 'bundle-')), 'cli');
      const base: NodeJS.ProcessEnv = { ...process.env, KEYHOLD_APP_SOCKET: socketPath, NODE_PATH: BUNDLE_ENV.NODE_PATH };
      delete base.KEYHOLD_PASSWORD;
      delete base.KEYHOLD_NO_APP;
      const keyhold = (args: string[]) => [process.execPath, [cli, '--vault', vaultPath, ...args]] as const;

      try {
        const [node, startArgs] = keyhold(['--version']);
        const start = await median('process start (keyhold --version)', log, () => timed(node, [...startArgs], base));
        const [, listArgs] = keyhold(['key', 'list']);
        const app = await median('keyhold key list through the app', log, () => timed(node, [...listArgs], base));
        const kdf = await median('keyhold key list with the KDF', log, () =>
          timed(node, [...listArgs], { ...base, KEYHOLD_NO_APP: '1', KEYHOLD_PASSWORD: BENCH_PASSWORD }),
        );

        const xml = join(dir, 'export.xml');
        writeFileSync(xml, keepassXml(inputs.map((k, i) => ({ name: k.name, secret: k.secret ?? `s${i}` }))));
        const kdbx = join(dir, 'bench.kdbx');
        // the same decryption time as Keyhold's calibration aims at
        execFileSync('keepassxc-cli', ['import', '-q', '-p', '-t', '500', xml, kdbx], {
          input: `${BENCH_PASSWORD}\n${BENCH_PASSWORD}\n`,
          stdio: ['pipe', 'ignore', 'ignore'],
        });
        const kpx = await median('keepassxc-cli ls', log, () =>
          timed('keepassxc-cli', ['ls', '-q', kdbx], process.env, `${BENCH_PASSWORD}\n`),
        );

        return {
          'cli.keys': KEYS,
          'cli.process_start_ms': start,
          'cli.key_list_app_ms': app,
          'cli.key_list_kdf_ms': kdf,
          'cli.keepassxc_ls_ms': kpx,
          'cli.app_vs_kdf': kdf / app,
          'cli.app_vs_keepassxc': kpx / app,
        };
      } finally {
        await bridge.close();
        manager.dispose();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
