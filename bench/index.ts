// `npm run bench [-- --json] [-- --only NAME]`: the figures the performance goals are judged on.
// Each suite returns named figures; text mode prints them as they come, --json prints one JSON
// object merging every suite's figures. Benchmarks are not tests: nothing here asserts a speed.
import { keysSuite } from './keys';
import { rotationSuite } from './rotation';
import type { BenchSuite } from './suite';
import { uiSuite } from './ui';
import { vaultSuite } from './vault';

const suites: BenchSuite[] = [keysSuite, vaultSuite, uiSuite, rotationSuite];

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const onlyAt = args.indexOf('--only');
  const only = onlyAt >= 0 ? args[onlyAt + 1]?.split(',') : undefined;
  const log = (line: string) => (json ? process.stderr.write(`${line}\n`) : process.stdout.write(`${line}\n`));
  const all: Record<string, number | string> = {};
  for (const suite of suites) {
    if (only && !only.includes(suite.name)) continue;
    log(`== ${suite.name}: ${suite.title}`);
    const figures = await suite.run(log);
    for (const [k, v] of Object.entries(figures)) {
      all[k] = v;
      log(`  ${k.padEnd(34)} ${typeof v === 'number' ? Number(v.toFixed(3)) : v}${suite.targets?.[k] ? `   (target: ${suite.targets[k]})` : ''}`);
    }
  }
  if (json) process.stdout.write(`${JSON.stringify(all)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
