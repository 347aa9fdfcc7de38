// Workspaces in the sidebar: add (platform, address), rename, add an environment, remove; keys
// scoped by workspace and environment.
import { expect, test } from './fixtures';
import { createVaultFast, expectAccessible } from './flows';

test('add, rename, scope, add an environment and remove workspaces', async ({ app }) => {
  const { page } = app;
  await createVaultFast(page);

  await test.step('add a Rancher workspace and a local one', async () => {
    await page.getByRole('button', { name: 'Add workspace' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add workspace' });
    await dialog.getByRole('radio', { name: /^Rancher (?!2)/ }).check();
    await dialog.getByLabel('Name').fill('Rancher staging');
    await dialog.getByLabel('API address').fill('https://rancher.example.com');
    await expectAccessible(page, 'add workspace');
    await app.screenshot('workspace-add');
    await dialog.getByRole('button', { name: 'Add workspace' }).click();
    await expect(dialog).toHaveCount(0);
    const item = page.getByTestId('workspace-item').filter({ hasText: 'Rancher staging' });
    await expect(item).toContainText('Rancher, not connected');

    await page.getByRole('button', { name: 'Add workspace' }).click();
    await dialog.getByRole('radio', { name: /Local/ }).check();
    await expect(dialog.getByLabel('API address')).toHaveCount(0);
    await dialog.getByLabel('Name').fill('Laptop keys');
    await dialog.getByRole('button', { name: 'Add workspace' }).click();
    await expect(page.getByTestId('workspace-item')).toHaveCount(2);
  });

  await test.step('the same name twice is refused with a clear message', async () => {
    await page.getByRole('button', { name: 'Add workspace' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add workspace' });
    await dialog.getByRole('radio', { name: /Local/ }).check();
    await dialog.getByLabel('Name').fill('Laptop keys');
    await dialog.getByRole('button', { name: 'Add workspace' }).click();
    await expect(dialog.getByTestId('error')).toHaveAttribute('data-code', 'CONFLICT');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  await test.step('rename and add an environment from the workspace menu', async () => {
    await page.getByRole('button', { name: 'Actions for Rancher staging' }).click();
    await page.getByRole('button', { name: 'Rename…' }).click();
    const rename = page.getByRole('dialog', { name: 'Rename Rancher staging' });
    await rename.getByLabel('New name').fill('Rancher prod');
    await rename.getByRole('button', { name: 'Rename' }).click();
    await expect(page.getByTestId('workspace-item').filter({ hasText: 'Rancher prod' })).toHaveCount(1);

    await page.getByRole('button', { name: 'Actions for Rancher prod' }).click();
    await page.getByRole('button', { name: 'Add environment…' }).click();
    const env = page.getByRole('dialog', { name: 'Add environment to Rancher prod' });
    await env.getByLabel('Name').fill('Default');
    await env.getByLabel('Environment id (e.g. 1a5)').fill('1a5');
    await env.getByRole('button', { name: 'Add environment' }).click();
    await expect(page.getByRole('button', { name: 'Default' })).toBeVisible();
  });

  await test.step('a key generated in a scope belongs to it; scopes filter the table', async () => {
    await page.getByRole('button', { name: /^Laptop keys Local/ }).click();
    await page.getByRole('button', { name: 'Generate key pair' }).click();
    const dialog = page.getByRole('dialog', { name: 'Generate ed25519 key pair' });
    await expect(dialog.getByLabel('Workspace')).toHaveValue(/.+/);
    await dialog.getByLabel('Name').fill('laptop');
    await dialog.getByRole('button', { name: 'Generate' }).click();
    await expect(page.getByTestId('key-row')).toHaveCount(1);
    await expect(page.getByTestId('key-row')).toContainText('Laptop keys');
    await page.getByRole('button', { name: 'Default' }).click();
    await expect(page.getByTestId('key-count')).toHaveText('0 keys');
    await page.getByRole('button', { name: 'All keys' }).click();
    await expect(page.getByTestId('key-count')).toHaveText('1 key');
    await expectAccessible(page, 'sidebar with workspaces');
    await app.screenshot('workspaces-sidebar');
  });

  await test.step('remove a workspace after a confirmation that says what happens', async () => {
    await page.getByRole('button', { name: 'Actions for Rancher prod' }).click();
    await page.getByRole('button', { name: 'Remove…' }).click();
    const confirm = page.getByRole('dialog', { name: 'Remove Rancher prod?' });
    await expect(confirm).toContainText('Nothing is deleted on Rancher');
    await confirm.getByRole('button', { name: 'Remove workspace' }).click();
    await expect(page.getByTestId('workspace-item')).toHaveCount(1);
  });
});
