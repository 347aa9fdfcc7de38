// Child process of crash.test.ts: opens the vault and writes until it is killed, reporting each
// write on stdout only after its transaction committed ("done N"). Args: PATH START.
import { writeSync } from 'node:fs';
import { openVault } from './index';
import { TEST_PASSWORD } from './test-vault.testkit';

async function main(): Promise<void> {
  const [path, startArg] = process.argv.slice(2);
  const session = await openVault(path!, TEST_PASSWORD);
  writeSync(1, 'ready\n');
  for (let i = Number(startArg); ; i++) {
    // a mix of writes: single keys, batches (index segments fill and split), edits, audit events
    if (i % 5 === 4) {
      session.addKeys(
        Array.from({ length: 40 }, (_, j) => ({ kind: 'api_key' as const, name: `batch-${i}-${j}`, secret: `bs-${i}-${j}` })),
      );
    } else {
      const k = session.addKey({ kind: 'api_key', name: `key-${i}`, description: 'x'.repeat(i % 300), secret: `secret-${i}` });
      if (i % 3 === 0) session.updateKey(k.id, { description: `edited-${i}` });
      session.audit({ action: 'revealed', keyId: k.id, detail: `event ${i}` });
    }
    writeSync(1, `done ${i}\n`);
  }
}

main().catch((e: unknown) => {
  writeSync(2, `crash-writer: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
