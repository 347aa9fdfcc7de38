// Import from another manager: the wizard from file choice to done. A KeePassXC XML export (two
// groups, an OpenSSH key attachment) goes into a workspace, groups as environments; the review
// step shows what, where and what is already present, never a secret; a second run adds nothing.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeKeepassXmlFixture } from '../main/migrate/keepassxc-xml-fixture.testkit';
import { expect, ROOT, test } from './fixtures';
import { createVaultFast, expectAccessible } from './flows';

const SCREENSHOTS = join(ROOT, 'e2e', 'screenshots');

test('import a KeePassXC export through the wizard: choose, map, review, done; again: nothing twice', async ({ app }) => {
  const { page } = app;
  const xml = join(app.dir, 'keepassxc.xml');
  // 4 entries in two groups; entries 0 and 2 carry the same key attachment (the second is a duplicate)
  const passwords = await writeKeepassXmlFixture(xml, { entries: 4, entriesPerGroup: 2, keyEvery: 2 });
  await createVaultFast(page);

  const openWizard = async () => {
    await page.getByRole('button', { name: 'New key' }).click();
    await page.getByRole('button', { name: 'Import from another manager…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import from another manager' });
    await expect(dialog).toBeVisible();
    return dialog;
  };

  await test.step('file, then where: a new workspace, groups as environments', async () => {
    const dialog = await openWizard();
    await dialog.getByLabel('Import from').selectOption('keepassxc-xml');
    await dialog.getByRole('textbox', { name: 'File' }).fill(xml);
    await dialog.getByRole('button', { name: 'Next' }).click();
    await dialog.getByRole('combobox', { name: 'Workspace' }).fill('Team vault');
    await expect(dialog.getByRole('radio', { name: /Environments/ })).toBeChecked();
    await dialog.getByRole('button', { name: 'Preview' }).click();

    const preview = dialog.getByTestId('import-preview');
    await expect(preview).toContainText('5 keys to import');
    await expect(preview).toContainText('1 already present');
    await expect(dialog.getByTestId('import-row')).toHaveCount(5);
    await expect(dialog.getByTestId('import-row').filter({ hasText: 'service 1' })).toContainText('Team vault / Team 0');
    await expect(dialog.getByTestId('import-row').filter({ hasText: 'SSH key pair' })).toContainText('SHA256:');
    await expect(preview).toContainText('New: workspace Team vault, environment Team vault/Team 0, environment Team vault/Team 1.');
    const text = (await dialog.textContent()) ?? '';
    for (const p of passwords) expect(text).not.toContain(p);
    await expectAccessible(page, 'import preview');
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'import-preview.png') });

    await dialog.getByRole('button', { name: 'Import 5 keys' }).click();
    await expect(dialog.getByTestId('import-result')).toContainText('5 keys imported into Team vault, 1 already present, 0 skipped.');
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();
    await expect(dialog).toHaveCount(0);
  });

  await test.step('the keys are in the vault, under the new workspace and its environments', async () => {
    await expect(page.getByTestId('key-count')).toHaveText('5 keys');
    const ws = page.locator('[data-workspace-name="Team vault"]');
    await expect(ws).toBeVisible();
    await expect(ws.getByRole('button', { name: 'Team 1' })).toBeVisible();
    await ws.getByRole('button', { name: 'Team 1' }).click();
    await expect(page.getByTestId('key-count')).toHaveText('2 keys');
  });

  await test.step('the same file again: nothing to import, everything already present', async () => {
    const dialog = await openWizard();
    await dialog.getByRole('textbox', { name: 'File' }).fill(xml);
    await dialog.getByRole('button', { name: 'Next' }).click();
    await dialog.getByRole('combobox', { name: 'Workspace' }).fill('Team vault');
    await dialog.getByRole('button', { name: 'Preview' }).click();
    await expect(dialog.getByTestId('import-preview')).toContainText('0 keys to import');
    await expect(dialog.getByTestId('import-preview')).toContainText('6 already present');
    await expect(dialog.getByRole('button', { name: 'Nothing to import' })).toBeDisabled();
  });
});
