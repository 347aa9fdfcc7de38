// One fixture, two harnesses: every spec gets a page showing the real renderer wired to the real
// router, through Electron where its binary is installed and through the Chromium bridge otherwise.
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test as base, type Locator, type Page } from '@playwright/test';
import { appSocketFor, launchBridge, type BridgeApp } from './harness/bridge';
import { chosenHarness, type HarnessName } from './harness/detect';
import { launchElectron } from './harness/electron';

export const ROOT = join(__dirname, '..');
export const SCREENSHOTS = join(ROOT, 'test-results', 'screenshots');

export interface KeyholdApp {
  page: Page;
  harness: HarnessName;
  /** A fresh temp folder of this test: the vault file and anything else it writes live here. */
  dir: string;
  vaultPath: string;
  /** the app's CLI socket: give it to a keyhold child process as KEYHOLD_APP_SOCKET */
  appSocket: string;
  screenshot(name: string): Promise<void>;
  /** the bridge's desktop stand-in (clipboard, system lock events); undefined under Electron */
  platform?: BridgeApp['platform'];
  /** Puts `path` into a path field the way the user would: the bridge has no file dialogs (the
   * path is typed); the desktop app takes only what its own dialog returned (docs/SECURITY.md),
   * so there the native dialog is answered with `path` and "Choose…" clicked. */
  pickFile(field: Locator, path: string): Promise<void>;
}

export const test = base.extend<{ app: KeyholdApp }>({
  app: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'keyhold-e2e-'));
    const vaultPath = join(dir, 'vault.keyhold');
    const harness = chosenHarness();
    const launched =
      harness === 'electron' ? await launchElectron(vaultPath, ROOT, join(dir, 'user-data')) : await launchBridge(vaultPath, ROOT);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await use({
      page: launched.page,
      harness,
      dir,
      vaultPath,
      appSocket: appSocketFor(vaultPath),
      platform: 'platform' in launched ? launched.platform : undefined,
      pickFile: async (field, path) => {
        if (!('app' in launched)) return field.fill(path);
        await launched.app.evaluate(({ dialog }, p) => {
          dialog.showSaveDialog = (async () => ({ canceled: false, filePath: p })) as unknown as typeof dialog.showSaveDialog;
          dialog.showOpenDialog = (async () => ({ canceled: false, filePaths: [p] })) as unknown as typeof dialog.showOpenDialog;
        }, path);
        await field.locator('xpath=..').getByRole('button', { name: 'Choose…' }).click();
        await expect(field).toHaveValue(path);
      },
      screenshot: async (name) => {
        await launched.page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
      },
    });
    await launched.close();
    rmSync(dir, { recursive: true, force: true });
  },
});

export { expect } from '@playwright/test';
