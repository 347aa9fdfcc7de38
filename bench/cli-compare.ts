// The `keyhold` command line against its yardsticks, as a user runs it (the built out/main/cli.js
// on this Node): `keyhold --version` beside `node -e 0`, and `keyhold key list` on 1,000 keys beside
// `keepassxc-cli ls` on 1,000 entries, both under Argon2id 64 MiB / 3 iterations / parallelism 4.
// The two commands of a pair run alternately (a busy machine slows both alike) and each figure is a
// median; the ratio is the median of the pairs' ratios. CPU time (user + system, all threads) is
// taken from /usr/bin/time when it is there: on a shared machine it moves less than wall time.
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { cliPhases } from './cli-phases';
import { kdbx4 } from './kdbx';
import { percentile } from './percentile';
import type { BenchSuite } from './suite';
import { BENCH_PASSWORD, FLOOR_KDF, benchKeys } from './vault-data';

const ROOT = join(__dirname, '..');
const CLI = join(ROOT, 'out', 'main', 'cli.js');
const KEEPASSXC_CLI = '/usr/bin/keepassxc-cli';
const TIME = '/usr/bin/time';
const KEYS = 1000;
const RUNS = Number(process.env.KEYHOLD_BENCH_CLI_RUNS ?? 15);

interface Run {
  wallMs: number;
  cpuMs: number | null;
}

/** Runs a command to its end with `input` on stdin; its wall time and, with /usr/bin/time, CPU time. */
function timed(cmd: string, args: string[], input: string, workDir: string): Promise<Run> {
  const withTime = existsSync(TIME);
  const report = join(workDir, 'time.txt');
  const [file, argv] = withTime ? [TIME, ['-o', report, '-f', '%U %S', cmd, ...args]] : [cmd, args];
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(file, argv, { stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - t0;
      if (code !== 0) return reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${err.slice(0, 300)}`));
      let cpuMs: number | null = null;
      if (withTime) {
        const [user, sys] = readFileSync(report, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
        cpuMs = ((user ?? NaN) + (sys ?? NaN)) * 1000;
      }
      resolve({ wallMs, cpuMs });
    });
    child.stdin.end(input);
  });
}

/** Runs A and B alternately (A first, then B first): medians of each, and of the pairs' ratios A/B. */
async function alternate(a: () => Promise<Run>, b: () => Promise<Run>, log: (line: string) => void, label: string) {
  await a(); // warm the file cache for both
  await b();
  const pairs: Array<[Run, Run]> = [];
  for (let i = 0; i < RUNS; i++) {
    if (i % 2 === 0) {
      const x = await a();
      pairs.push([x, await b()]);
    } else {
      const y = await b();
      pairs.push([await a(), y]);
    }
  }
  const med = (v: Array<number | null>) => {
    const ok = v.filter((n): n is number => n !== null && Number.isFinite(n));
    return ok.length ? percentile(ok, 50) : NaN;
  };
  const fig = {
    aWall: med(pairs.map(([x]) => x.wallMs)),
    bWall: med(pairs.map(([, y]) => y.wallMs)),
    ratioWall: med(pairs.map(([x, y]) => x.wallMs / y.wallMs)),
    aCpu: med(pairs.map(([x]) => x.cpuMs)),
    bCpu: med(pairs.map(([, y]) => y.cpuMs)),
    ratioCpu: med(pairs.map(([x, y]) => (x.cpuMs !== null && y.cpuMs ? x.cpuMs / y.cpuMs : null))),
  };
  log(
    `  ${label}: wall ${fig.aWall.toFixed(0)} vs ${fig.bWall.toFixed(0)} ms (median ratio ${fig.ratioWall.toFixed(2)}), CPU ${fig.aCpu.toFixed(0)} vs ${fig.bCpu.toFixed(0)} ms (median ratio ${fig.ratioCpu.toFixed(2)})`,
  );
  return fig;
}

export const cliCompareSuite: BenchSuite = {
  name: 'cli-compare',
  title: `keyhold CLI (out/main/cli.js on Node ${process.versions.node}) vs node -e 0 and keepassxc-cli, ${RUNS} alternating runs`,
  targets: {
    'cli_cmp.version_vs_node': '<= 1.3 (keyhold --version / node -e 0, median of pair ratios, wall)',
    'cli_cmp.list_vs_keepassxc': '<= 0.7 (keyhold key list / keepassxc-cli ls, 1,000 keys, Argon2id 64 MiB/3/4, wall)',
  },
  async run(log) {
    if (!existsSync(CLI)) throw new Error('out/main/cli.js is missing: run `npx electron-vite build` first.');
    const dir = mkdtempSync(join(tmpdir(), 'keyhold-bench-cli-'));
    try {
      const node = process.execPath;
      const version = await alternate(
        () => timed(node, [CLI, '--version'], '', dir),
        () => timed(node, ['-e', '0'], '', dir),
        log,
        'keyhold --version vs node -e 0',
      );
      const figures: Record<string, number | string> = {
        'cli_cmp.version_ms': version.aWall,
        'cli_cmp.node_e0_ms': version.bWall,
        'cli_cmp.version_vs_node': version.ratioWall,
        'cli_cmp.version_cpu_ms': version.aCpu,
        'cli_cmp.node_e0_cpu_ms': version.bCpu,
        'cli_cmp.version_vs_node_cpu': version.ratioCpu,
      };

      log(`  filling ${KEYS} keys (Argon2id ${FLOOR_KDF.memoryKiB / 1024} MiB / ${FLOOR_KDF.iterations} / ${FLOOR_KDF.parallelism})...`);
      const vault = join(dir, 'bench.keyhold');
      await promisify(execFile)(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(__dirname, 'vault-fill.ts'), vault, String(KEYS)]);
      const listArgs = ['--vault', vault, '--password-stdin', 'key', 'list'];
      const list = () => timed(node, [CLI, ...listArgs], `${BENCH_PASSWORD}\n`, dir);
      const phases = await cliPhases(node, CLI, listArgs, `${BENCH_PASSWORD}\n`, dir, 7);
      log(
        `  keyhold key list by phase (median of 7 instrumented runs, ms): Node's start ${phases.boot.toFixed(0)}, entry to KDF ${phases.toKdf.toFixed(0)}, KDF ${phases.kdf.toFixed(0)}, KDF to exit ${phases.afterKdf.toFixed(0)}; module loading ${phases.loads.toFixed(0)} of it`,
      );
      Object.assign(figures, {
        'cli_cmp.list_phase_boot_ms': phases.boot,
        'cli_cmp.list_phase_to_kdf_ms': phases.toKdf,
        'cli_cmp.list_phase_kdf_ms': phases.kdf,
        'cli_cmp.list_phase_after_kdf_ms': phases.afterKdf,
        'cli_cmp.list_phase_loads_ms': phases.loads,
      });
      if (!existsSync(KEEPASSXC_CLI)) {
        log(`  ${KEEPASSXC_CLI} is not installed (Debian/Ubuntu: apt-get install keepassxc): no comparison`);
        const alone = await alternate(list, list, log, 'keyhold key list');
        return {
          ...figures,
          'cli_cmp.list_ms': alone.aWall,
          'cli_cmp.list_cpu_ms': alone.aCpu,
          'cli_cmp.list_vs_keepassxc': 'keepassxc-cli not installed',
        };
      }
      const kdbx = join(dir, 'bench.kdbx');
      const entries = benchKeys(KEYS, ['w']).map((k) => ({ title: k.name, username: k.description ?? '', password: k.secret ?? '' }));
      writeFileSync(kdbx, await kdbx4(BENCH_PASSWORD, entries, FLOOR_KDF));
      const ls = () => timed(KEEPASSXC_CLI, ['ls', '-q', kdbx], `${BENCH_PASSWORD}\n`, dir);
      const cmp = await alternate(list, ls, log, 'keyhold key list vs keepassxc-cli ls');
      return {
        ...figures,
        'cli_cmp.list_ms': cmp.aWall,
        'cli_cmp.keepassxc_ls_ms': cmp.bWall,
        'cli_cmp.list_vs_keepassxc': cmp.ratioWall,
        'cli_cmp.list_cpu_ms': cmp.aCpu,
        'cli_cmp.keepassxc_ls_cpu_ms': cmp.bCpu,
        'cli_cmp.list_vs_keepassxc_cpu': cmp.ratioCpu,
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
