// Steps the UI specs share: a vault made quickly (the KDF floor, not the ~500 ms calibration),
// the axe-core check, and small waits. Specs still drive every flow they test through the UI.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect } from './fixtures';

export const PASSWORD = 'correct horse battery staple';
export const FLOOR_KDF = { memoryKiB: 65536, iterations: 3, parallelism: 1 };

/** Creates the vault through the channel with the floor KDF, then reloads into the main screen. */
export async function createVaultFast(page: Page, password = PASSWORD): Promise<void> {
  const result = await page.evaluate(([pw, kdf]) => window.keyhold.invoke('vault.create', { password: pw, kdf }), [
    password,
    FLOOR_KDF,
  ] as const);
  expect(result).toMatchObject({ ok: true });
  await page.reload();
  await expect(page.getByRole('grid', { name: 'Keys' })).toBeVisible();
}

/** Calls a channel from the page, as the renderer would, and returns its value (throws on error). */
export async function invoke<T = unknown>(page: Page, channel: string, input: unknown): Promise<T> {
  const result = await page.evaluate(([c, i]) => window.keyhold.invoke(c, i), [channel, input] as const);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

/** No serious or critical axe-core violation on the page as it is now. */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${label}: ${v.id} (${v.impact}): ${v.help} — ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(' '))
          .join(' | ')}`,
    );
  expect(bad).toEqual([]);
}

/** Adds a workspace of a platform through the Add workspace dialog. */
export async function addWorkspace(page: Page, platform: RegExp, name: string, url: string): Promise<void> {
  await page.getByRole('button', { name: 'Add workspace' }).click();
  const add = page.getByRole('dialog', { name: 'Add workspace' });
  await add.getByRole('radio', { name: platform }).check();
  await add.getByLabel('Name').fill(name);
  await add.getByLabel('API address').fill(url);
  await add.getByRole('button', { name: 'Add workspace' }).click();
  await expect(add).toHaveCount(0);
}
