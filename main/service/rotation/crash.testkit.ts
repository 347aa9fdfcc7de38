// A child process for the crash tests: opens the vault, rotates the given keys, and SIGKILLs
// itself right after the named point of the journal (argv: vault password point[@N] keyId...;
// with @N, at the Nth time any key reaches that point).
// Run with node_modules/.bin/tsx; it prints "done <json results>" if it was never killed.
import { openVault } from '../../vault';
import { ROTATION_POINTS, rotateKeys, type RotationPoint } from '.';

async function main(): Promise<void> {
  const [vault, password, spec, ...ids] = process.argv.slice(2);
  const [point, nth] = (spec ?? '').split('@');
  if (!vault || !password || !point || !(ROTATION_POINTS as readonly string[]).includes(point))
    throw new Error('usage: vault password point[@N] keyId...');
  const session = await openVault(vault, password);
  let seen = 0;
  const results = await rotateKeys(session, ids, {
    http: { backoffMs: 5 },
    concurrency: 8,
    hook: (p: RotationPoint) => {
      if (p === point && ++seen >= Number(nth ?? 1)) process.kill(process.pid, 'SIGKILL');
    },
  });
  session.lock();
  process.stdout.write(`done ${JSON.stringify(results)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`driver failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
