// The key table on a few hundred keys: search as you type (answered by main), filters, sorting,
// keyboard (/, arrows, Enter, Space, Delete), selection, and a key made elsewhere.
import { expect, test } from './fixtures';
import { createVaultFast, expectAccessible, invoke } from './flows';

const SERVICES = ['billing', 'search', 'ingest', 'auth', 'reports'];

test('search, filter, sort and drive the table by keyboard', async ({ app }) => {
  const { page } = app;
  await createVaultFast(page);

  await test.step('add a key made elsewhere through the dialog', async () => {
    await page.getByRole('button', { name: 'New key' }).click();
    await page.getByRole('button', { name: 'Add a key made elsewhere…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a key made elsewhere' });
    await dialog.getByLabel('Kind').selectOption('access_key_pair');
    await dialog.getByLabel('Name', { exact: true }).fill('zz legacy pair');
    await dialog.getByLabel('Access key (public part)').fill('0123456789ABCDEF0123');
    await dialog.getByLabel('Secret key').fill('s3cr3t-value-that-stays-in-main');
    await expectAccessible(page, 'add existing key');
    await dialog.getByRole('button', { name: 'Add key' }).click();
    await expect(dialog).toHaveCount(0);
    await expect(page.getByTestId('key-detail').getByTestId('public-part')).toHaveText('0123456789ABCDEF0123');
    await expect(page.getByText('s3cr3t-value-that-stays-in-main')).toHaveCount(0);
    await page.getByRole('button', { name: 'Close details' }).click();
  });

  await test.step('seed 300 more keys', async () => {
    await page.evaluate(async (services) => {
      for (let i = 0; i < 300; i++) {
        const r = await window.keyhold.invoke('keys.add', {
          kind: i % 3 === 0 ? 'api_key' : i % 3 === 1 ? 'user_key' : 'account_key',
          name: `${services[i % services.length]}-key-${String(i).padStart(3, '0')}`,
          description: i % 7 === 0 ? 'rotated by the ops on-call' : '',
          secret: `value-${i}`,
        });
        if (!r.ok) throw new Error(r.error.message);
      }
    }, SERVICES);
    await page.reload(); // still unlocked in main: the table comes back with the new keys
    await expect(page.getByTestId('key-count')).toHaveText('301 keys');
  });

  await test.step('search as you type asks main and shows what matches', async () => {
    await page.keyboard.press('/');
    const search = page.getByLabel('Search keys');
    await expect(search).toBeFocused();
    await page.keyboard.type('billing-key-0', { delay: 15 });
    await expect(page.getByTestId('key-count')).toHaveText('20 keys');
    await expect(page.getByTestId('key-row').first()).toContainText('billing-key-000');
    await search.fill('on-call');
    await expect(page.getByTestId('key-count')).toHaveText('43 keys');
    await search.fill('no such thing anywhere');
    await expect(page.getByRole('heading', { name: 'No keys match' })).toBeVisible();
    await search.press('Escape');
    await expect(page.getByTestId('key-count')).toHaveText('301 keys');
  });

  await test.step('filters by kind and state', async () => {
    await page.getByLabel('Kind').selectOption('user_key');
    await expect(page.getByTestId('key-count')).toHaveText('100 keys');
    await page.getByLabel('State').selectOption('revoked');
    await expect(page.getByTestId('key-count')).toHaveText('0 keys');
    await page.getByLabel('State').selectOption('');
    await page.getByLabel('Kind').selectOption('');
    await expect(page.getByTestId('key-count')).toHaveText('301 keys');
  });

  await test.step('sorting by a column header', async () => {
    await expect(page.getByTestId('key-row').first()).toContainText('auth-key-003');
    await page.getByRole('columnheader', { name: 'Name' }).getByRole('button').click();
    await expect(page.getByRole('columnheader', { name: 'Name' })).toHaveAttribute('aria-sort', 'descending');
    await expect(page.getByTestId('key-row').first()).toContainText('zz legacy pair');
  });

  await test.step('keyboard: arrows move, End reaches the last row, Enter opens, Space selects', async () => {
    const grid = page.getByRole('grid', { name: 'Keys' });
    await grid.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect(grid).toHaveAttribute('aria-activedescendant', 'key-row-2');
    await page.keyboard.press('End');
    await expect(grid).toHaveAttribute('aria-activedescendant', 'key-row-300');
    await expect(page.locator('#key-row-300')).toContainText('auth-key-003');
    await page.keyboard.press('Home');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('key-detail').getByRole('heading', { name: 'zz legacy pair' })).toBeVisible();
    await grid.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Space');
    await expect(page.getByRole('region', { name: 'Selection' })).toContainText('2 keys selected');
    await expectAccessible(page, 'table with selection and detail');
    await app.screenshot('table-selection');
    await page.keyboard.press('Delete');
    const confirm = page.getByRole('dialog', { name: 'Delete 2 keys?' });
    await expect(confirm).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(confirm).toHaveCount(0);
    await expect(grid).toBeFocused();
    await expect(page.getByTestId('key-count')).toHaveText('301 keys');
  });

  await test.step('the dark theme keeps the table readable (axe contrast check)', async () => {
    await invoke(page, 'vault.settings.set', { theme: 'dark' });
    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await expect(page.getByTestId('key-row').first()).toBeVisible();
    await page.getByTestId('key-row').nth(2).click();
    await expectAccessible(page, 'table dark');
    await app.screenshot('table-dark');
  });
});
