import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chosenHarness, CHROMIUM } from './detect';

export default function globalSetup(): void {
  const root = join(__dirname, '..', '..');
  const harness = chosenHarness();
  console.log(
    `keyhold e2e: harness = ${harness}${harness === 'bridge' ? ` (Chromium at ${CHROMIUM}, router in the test process)` : ' (Playwright _electron)'}`,
  );
  if (!existsSync(join(root, 'out', 'renderer', 'index.html'))) {
    throw new Error('out/renderer is missing: run `npm run build` before the e2e specs (npm test does).');
  }
  if (harness === 'electron') execFileSync(process.execPath, [join(root, 'scripts', 'electron-native.mjs')], { stdio: 'inherit' });
  else if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: apt-get install chromium (or set KEYHOLD_CHROMIUM).`);
}
