// GitHub deploy keys against the emulator: a deploy key registered read-only to a repository typed
// in the form (it becomes an environment of the workspace), shown with its access; GitHub's own
// state read back.
import { startGithub, type GithubEmulator } from '../emulators/github';
import { expect, test } from './fixtures';
import { addWorkspace, createVaultFast, expectAccessible } from './flows';

let emu: GithubEmulator;
test.beforeAll(async () => {
  emu = await startGithub();
});
test.afterAll(async () => {
  await emu?.close();
});

test('GitHub: a read-only deploy key registered to a repository', async ({ app }) => {
  test.setTimeout(120_000);
  const { page } = app;
  await createVaultFast(page);
  await addWorkspace(page, /GitHub/, 'GitHub', emu.url);
  await page.getByRole('button', { name: 'Actions for GitHub' }).click();
  await page.getByRole('button', { name: 'Connect…' }).click();
  const connect = page.getByRole('dialog', { name: 'Connect GitHub' });
  await connect.getByLabel('Token').fill(emu.demo.keysToken);
  await connect.getByRole('button', { name: 'Connect' }).click();
  await expect(connect).toHaveCount(0);

  await test.step('the form: kind, repository typed in, read-only', async () => {
    await page.getByRole('button', { name: /^GitHub GitHub/ }).click();
    await page.getByRole('button', { name: 'New key' }).click();
    await page.getByRole('button', { name: 'Create on GitHub…' }).click();
    const dialog = page.getByRole('dialog', { name: /New GitHub key/ });
    await dialog.getByRole('radio', { name: /Deploy key of one repository/ }).check();
    await dialog.getByRole('combobox', { name: 'Repository' }).fill('keyhold-demo/app');
    await expect(dialog.getByRole('checkbox', { name: /Read-only/ })).toBeChecked();
    await dialog.getByLabel('Title', { exact: true }).fill('CI runner');
    await expectAccessible(page, 'github deploy key form');
    await app.screenshot('github-deploy-key-form');
    await dialog.getByRole('button', { name: 'Register on GitHub' }).click();
    await expect(dialog).toHaveCount(0);
  });

  await test.step('the key: registered on the repository, read-only, shown so', async () => {
    const detail = page.getByTestId('key-detail');
    await expect(detail.getByRole('heading', { name: 'CI runner' })).toBeVisible();
    await expect(detail.getByTestId('deploy-access')).toHaveText('Read-only');
    await expect(page.getByRole('button', { name: 'keyhold-demo/app' })).toBeVisible();
    const registered = [...emu.state.deployKeys.values()].filter((k) => k.title === 'CI runner');
    expect(registered).toEqual([expect.objectContaining({ repo: 'keyhold-demo/app', read_only: true })]);
    await app.screenshot('github-deploy-key');
  });
});
