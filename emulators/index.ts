// `npm run emulators [-- --json] [-- --latency MS --error-rate R --rate-limit-rate R
// --retry-after S --drop-rate R]`: starts the platform
// emulators on 127.0.0.1 with seeded demo accounts, prints how to reach each (one JSON line per
// emulator with --json), and runs until killed. Fault knobs: these flags at start, and
// POST <url>/__faults at runtime.
import { startEncord } from './encord';
import { startGithub } from './github';
import { startRancher } from './rancher';
import { startRancher2 } from './rancher2';
import type { EmulatorServer, Faults } from './server';
import { startSyncano } from './syncano';

export interface EmulatorInfo {
  provider: 'syncano' | 'rancher' | 'encord' | 'github' | 'rancher2';
  url: string;
  credentials: Record<string, string>;
}

export async function startAll(faults: Partial<Faults> = {}): Promise<{ servers: EmulatorServer[]; info: EmulatorInfo[] }> {
  const syncano = await startSyncano({ faults });
  const rancher = await startRancher({ faults });
  const github = await startGithub({ faults });
  const encord = await startEncord({ faults });
  const rancher2 = await startRancher2({ faults });
  return {
    servers: [syncano, rancher, github, encord, rancher2],
    info: [
      {
        provider: 'syncano',
        url: syncano.url,
        credentials: { email: syncano.demo.email, password: syncano.demo.password, readOnlyInstance: syncano.demo.readOnlyInstance },
      },
      {
        provider: 'rancher',
        url: rancher.url,
        credentials: { accessKey: rancher.demo.accessKey, secretKey: rancher.demo.secretKey, environmentId: rancher.demo.environmentId },
      },
      {
        provider: 'github',
        url: github.url,
        credentials: {
          token: github.demo.token,
          addOnlyToken: github.demo.addOnlyToken,
          keysToken: github.demo.keysToken,
          repository: github.demo.repo,
        },
      },
      { provider: 'encord', url: encord.url, credentials: { adminUrl: encord.adminUrl } },
      { provider: 'rancher2', url: rancher2.url, credentials: { token: rancher2.demo.token, clusterId: rancher2.demo.clusterId } },
    ],
  };
}

function flag(args: string[], name: string): number | undefined {
  const at = args.indexOf(name);
  if (at < 0) return undefined;
  const v = Number(args[at + 1]);
  if (!Number.isFinite(v) || v < 0) throw new Error(`${name} needs a number >= 0`);
  return v;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const faults: Partial<Faults> = {};
  const knobs = {
    '--latency': 'latencyMs',
    '--error-rate': 'errorRate',
    '--rate-limit-rate': 'rateLimitRate',
    '--retry-after': 'retryAfterSeconds',
    '--drop-rate': 'dropRate',
  } as const;
  for (const [name, key] of Object.entries(knobs)) {
    const v = flag(args, name);
    if (v !== undefined) faults[key] = v;
  }
  const { servers, info } = await startAll(faults);
  for (const i of info) {
    if (args.includes('--json')) process.stdout.write(`${JSON.stringify(i)}\n`);
    else
      process.stdout.write(
        `${i.provider.padEnd(8)} ${i.url}  ${Object.entries(i.credentials)
          .map(([k, v]) => `${k}=${v}`)
          .join('  ')}\n`,
      );
  }
  if (!args.includes('--json')) {
    process.stdout.write(
      'Demo credentials above. Faults at runtime: curl -X POST <url>/__faults -d \'{"latencyMs":50,"errorRate":0.05}\'. Ctrl-C to stop.\n',
    );
  }
  const stop = () => {
    void Promise.all(servers.map((s) => s.close())).then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`emulators: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
