// `npm run bench [-- --json] [-- --only NAME[,NAME]]`: the figures the performance goals are
// judged on. Each suite runs in its own process (one suite's heap, JIT state and workers must not
// colour another's RSS or timings) and returns named figures; text mode prints them as they come,
// --json prints one JSON object merging every suite's figures. Benchmarks are not tests: nothing
// here asserts a speed.
import { spawn } from 'node:child_process';
import { agentSuite } from './agent';
import { cliSuite } from './cli';
import { cliCompareSuite } from './cli-compare';
import { importSuite } from './import';
import { keysSuite } from './keys';
import { rotationSuite } from './rotation';
import type { BenchSuite } from './suite';
import { uiSuite } from './ui';
import { vaultSuite } from './vault';

const suites: BenchSuite[] = [cliCompareSuite, vaultSuite, keysSuite, uiSuite, rotationSuite, cliSuite, importSuite, agentSuite];
type Figures = Record<string, number | string>;

/** Runs one suite in this process: figures as one JSON line on stdout, progress on stderr. */
async function runHere(suite: BenchSuite): Promise<void> {
  const figures = await suite.run((line) => process.stderr.write(`${line}\n`));
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

/** Runs one suite in a child process of the same runtime (tsx's loader included). */
function runIsolated(suite: BenchSuite, log: (line: string) => void): Promise<Figures> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, __filename, '--suite', suite.name], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let pending = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => {
      pending += c.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const l of lines) log(l);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (pending) log(pending);
      if (code !== 0) return reject(new Error(`suite ${suite.name} exited ${code}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').pop() ?? '') as Figures);
      } catch {
        reject(new Error(`suite ${suite.name} printed no figures`));
      }
    });
  });
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const childSuite = args.indexOf('--suite');
  if (childSuite >= 0) {
    const suite = suites.find((s) => s.name === args[childSuite + 1]);
    if (!suite) throw new Error(`no bench suite ${args[childSuite + 1]}`);
    return runHere(suite);
  }
  const json = args.includes('--json');
  const onlyAt = args.indexOf('--only');
  const only = onlyAt >= 0 ? args[onlyAt + 1]?.split(',') : undefined;
  const log = (line: string) => (json ? process.stderr.write(`${line}\n`) : process.stdout.write(`${line}\n`));
  const all: Figures = {};
  for (const suite of suites) {
    if (only && !only.includes(suite.name)) continue;
    log(`== ${suite.name}: ${suite.title}`);
    const figures = await runIsolated(suite, log);
    for (const [k, v] of Object.entries(figures)) {
      all[k] = v;
      log(
        `  ${k.padEnd(34)} ${typeof v === 'number' ? Number(v.toFixed(3)) : v}${suite.targets?.[k] ? `   (target: ${suite.targets[k]})` : ''}`,
      );
    }
  }
  if (json) process.stdout.write(`${JSON.stringify(all)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
