// The Electron harness: the real app through Playwright's _electron, preload and all.
import { join } from 'node:path';
import { appSocketFor } from './bridge';
import { _electron, type ElectronApplication, type Page } from '@playwright/test';

export interface ElectronApp {
  page: Page;
  app: ElectronApplication;
  close(): Promise<void>;
}

export async function launchElectron(vaultPath: string, root: string, userDataDir: string): Promise<ElectronApp> {
  const app = await _electron.launch({
    args: [join(root, 'out', 'main', 'index.js'), `--user-data-dir=${userDataDir}`],
    cwd: root,
    env: { ...process.env, KEYHOLD_VAULT: vaultPath, KEYHOLD_E2E: '1', KEYHOLD_APP_SOCKET: appSocketFor(vaultPath) },
  });
  const page = await app.firstWindow();
  await page.setViewportSize({ width: 1280, height: 800 }).catch(() => undefined);
  return { page, app, close: () => app.close() };
}
