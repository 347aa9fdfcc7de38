// Rancher 2 against its emulator: connect with an API token (a wrong one first), sync (clusters
// become environments, an expired token shows as expired), and an API token created with a TTL
// and a cluster scope: the value goes straight into the vault, the expiry is shown.
import { startRancher2, type Rancher2Emulator } from '../emulators/rancher2';
import { expect, test } from './fixtures';
import { addWorkspace, createVaultFast, expectAccessible } from './flows';

const DAY = 86_400_000;
let emu: Rancher2Emulator;
test.beforeAll(async () => {
  emu = await startRancher2();
});
test.afterAll(async () => {
  await emu?.close();
});

test('Rancher 2: connect with a token, sync, create a token with a TTL and a cluster scope', async ({ app }) => {
  test.setTimeout(120_000);
  const { page } = app;
  await createVaultFast(page);
  await addWorkspace(page, /^Rancher 2/, 'Rancher 2 lab', emu.url);

  await test.step('connect: a wrong token is refused in words, the right one connects', async () => {
    await page.getByRole('button', { name: 'Actions for Rancher 2 lab' }).click();
    await page.getByRole('button', { name: 'Connect…' }).click();
    const connect = page.getByRole('dialog', { name: 'Connect Rancher 2 lab' });
    await connect.getByLabel('API token').fill(`${emu.demo.token.split(':')[0]}:notthesecretofthistoken`);
    await connect.getByRole('button', { name: 'Connect' }).click();
    await expect(connect.getByTestId('error')).toHaveAttribute('data-code', 'REMOTE');
    await connect.getByLabel('API token').fill(emu.demo.token);
    await connect.getByRole('button', { name: 'Connect' }).click();
    await expect(connect).toHaveCount(0);
  });

  await test.step('sync: the clusters become environments, the expired token shows expired', async () => {
    await page.getByRole('button', { name: 'Actions for Rancher 2 lab' }).click();
    await page.getByRole('button', { name: 'Sync now' }).click();
    const sync = page.getByRole('dialog', { name: 'Sync Rancher 2 lab' });
    await expect(sync.getByTestId('sync-result')).toContainText('2 environments');
    await sync.getByRole('button', { name: 'Close', exact: true }).click();
    await expect(page.getByRole('button', { name: 'production' })).toBeVisible();
    await page
      .getByTestId('workspace-item')
      .filter({ hasText: 'Rancher 2 lab' })
      .getByRole('button', { name: /^Rancher 2 lab/ })
      .click();
    const expired = page.getByRole('row').filter({ hasText: 'old pipeline' });
    await expect(expired).toContainText('Expired');
    await expect(page.getByRole('row').filter({ hasText: 'ci deploy' }).getByTestId('key-expiry')).toBeVisible();
  });

  await test.step('an API token with a 7-day TTL, scoped to a cluster: stored at once, its expiry shown', async () => {
    await page.getByRole('button', { name: 'production' }).click();
    await page.getByRole('button', { name: 'New key' }).click();
    await page.getByRole('button', { name: 'Create on Rancher 2…' }).click();
    const dialog = page.getByRole('dialog', { name: /New Rancher 2 key/ });
    await dialog.getByLabel('Name in Keyhold').fill('release bot');
    await dialog.getByLabel('Time to live (days)').fill('7');
    await expect(dialog.getByLabel('Scope')).toHaveValue(/.+/); // the cluster in view is preselected
    await expectAccessible(page, 'rancher 2 token form');
    await app.screenshot('rancher2-create-form');
    await dialog.getByRole('button', { name: 'Create API token' }).click();
    const made = dialog.getByTestId('rancher2-created');
    await expect(made).toContainText('Stored in your vault.');
    await expect(made.getByTestId('created-ttl')).toHaveText('7 days');
    await expect(made.getByTestId('created-expiry')).not.toHaveText('never');
    await app.screenshot('rancher2-created');
    const remote = [...emu.state.tokens.values()].find((t) => t.description === 'release bot');
    expect(remote).toMatchObject({ ttl: 7 * DAY, clusterId: 'c-m-7x2kq' });
    await dialog.getByRole('button', { name: 'Done' }).click();
    const detail = page.getByTestId('key-detail');
    await expect(detail.getByRole('heading', { name: 'release bot' })).toBeVisible();
    await expect(detail.getByTestId('meta-expiresAt')).not.toBeEmpty();
    await expect(detail.getByTestId('meta-ttl')).toHaveText('7 days');
  });
});
