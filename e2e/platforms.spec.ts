// Syncano, Encord and GitHub against their emulators: each platform's own create form (Syncano's
// flags with their meaning, Encord's guided registration and its check, GitHub's title), and
// each platform's refusals in words.
import { startEncord, type EncordEmulator } from '../emulators/encord';
import { ENCORD_KEYS_PAGE } from '../main/providers/encord';
import { startGithub, type GithubEmulator } from '../emulators/github';
import { startSyncano, type SyncanoEmulator } from '../emulators/syncano';
import { expect, test } from './fixtures';
import { addWorkspace, createVaultFast, expectAccessible } from './flows';

let syncano: SyncanoEmulator;
let encord: EncordEmulator;
let github: GithubEmulator;
test.beforeAll(async () => {
  [syncano, encord, github] = await Promise.all([startSyncano(), startEncord(), startGithub()]);
});
test.afterAll(async () => {
  await Promise.all([syncano?.close(), encord?.close(), github?.close()]);
});

test('Syncano: wrong password, connect, sync, an API key with flags explained, reset', async ({ app }) => {
  const { page } = app;
  await createVaultFast(page);
  await addWorkspace(app.page, /Syncano/, 'Syncano', syncano.url);

  await test.step("connect: a wrong password is refused with Syncano's own words", async () => {
    await page.getByRole('button', { name: 'Actions for Syncano' }).click();
    await page.getByRole('button', { name: 'Connect…' }).click();
    const connect = page.getByRole('dialog', { name: 'Connect Syncano' });
    await expect(connect).toContainText('forgets the password');
    await connect.getByLabel('Email').fill(syncano.demo.email);
    await connect.getByLabel('Password').fill('not-the-password');
    await connect.getByRole('button', { name: 'Connect' }).click();
    await expect(connect.getByTestId('error')).toContainText('Invalid password');
    await connect.getByLabel('Password').fill(syncano.demo.password);
    await connect.getByRole('button', { name: 'Connect' }).click();
    await expect(connect).toHaveCount(0);
  });

  await test.step('sync: instances become environments, API keys come in with their flags', async () => {
    await page.getByRole('button', { name: 'Actions for Syncano' }).click();
    await page.getByRole('button', { name: 'Sync now' }).click();
    const sync = page.getByRole('dialog', { name: 'Sync Syncano' });
    await expect(sync.getByTestId('sync-result')).toContainText('3 environments');
    // the instance shared read-only is reported with Syncano's words, not fatal
    await expect(sync.getByTestId('sync-skipped')).toContainText(
      `${syncano.demo.readOnlyInstance}: Syncano: You do not have permission to perform this action.`,
    );
    await sync.getByRole('button', { name: 'Close', exact: true }).click();
    await expect(page.getByRole('button', { name: 'demo-instance' })).toBeVisible();
  });

  await test.step('the platform filter narrows the table to a platform', async () => {
    await page.getByRole('button', { name: 'All keys' }).click();
    const all = await page.getByTestId('key-count').textContent();
    await page.getByLabel('Platform').selectOption('rancher');
    await expect(page.getByTestId('key-count')).toHaveText('0 keys');
    await page.getByLabel('Platform').selectOption('syncano');
    await expect(page.getByTestId('key-count')).toHaveText(all ?? '');
    await page.getByLabel('Platform').selectOption('');
  });

  await test.step('create an API key: each flag says what it does', async () => {
    await page.getByRole('button', { name: 'demo-instance' }).click();
    await page.getByRole('button', { name: 'New key' }).click();
    await page.getByRole('button', { name: 'Create on Syncano…' }).click();
    const dialog = page.getByRole('dialog', { name: /New Syncano key/ });
    await expect(dialog.getByLabel('Instance', { exact: true })).toHaveValue(/.+/);
    await expect(dialog).toContainText('ignores the permissions set for instance resources');
    await expect(dialog).toContainText('can be used to create Users');
    await expect(dialog).toContainText('other_permissions are set to read or higher');
    await dialog.getByLabel('Name in Keyhold').fill('mobile app');
    await dialog.getByLabel('Description (sent to Syncano)').fill('iOS client');
    await dialog.getByRole('checkbox', { name: /Anonymous read/ }).check();
    await expectAccessible(page, 'syncano create');
    await app.screenshot('syncano-create');
    await dialog.getByRole('button', { name: 'Create API key' }).click();
    await expect(dialog).toHaveCount(0);
    const detail = page.getByTestId('key-detail');
    await expect(detail.getByRole('heading', { name: 'mobile app' })).toBeVisible();
    await expect(detail.getByRole('region', { name: 'Flags' })).toContainText('allow_anonymous_read');
    await expect(detail.getByRole('region', { name: 'Flags' }).locator('li', { hasText: 'allow_anonymous_read' })).toContainText('On');
    await expect(detail.getByRole('button', { name: 'Deactivate…' })).toHaveCount(0);
    await app.screenshot('syncano-key-detail');
  });

  await test.step('rotation resets the key on Syncano; a 500 on the way is reported', async () => {
    const detail = page.getByTestId('key-detail');
    syncano.setFaults({ errorRate: 1 });
    await detail.getByRole('button', { name: 'Rotate…' }).click();
    let dialog = page.getByRole('dialog', { name: 'Rotate “mobile app”' });
    await dialog.getByRole('button', { name: 'Rotate key' }).click();
    await expect(dialog.getByTestId('rotate-results')).toContainText('failed on its side', { timeout: 60_000 });
    syncano.setFaults({ errorRate: 0 });
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();
    await detail.getByRole('button', { name: 'Rotate…' }).click();
    dialog = page.getByRole('dialog', { name: 'Rotate “mobile app”' });
    await dialog.getByRole('button', { name: 'Rotate key' }).click();
    await expect(dialog.getByTestId('rotate-summary')).toContainText('All 1 key rotated.', { timeout: 30_000 });
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();
    // the failed attempt's journal entry may resume first, so the count is not fixed; the point is
    // that a new secret is current and the first one is kept as an old version
    await expect(detail.getByTestId('versions')).toContainText(/Version [2-9] \(current\)/);
    await expect(detail.getByTestId('versions')).not.toContainText('Version 1 (current)');
  });
});

test('Encord: a service-account key with guided registration, a failed check, then a passing one', async ({ app }) => {
  const { page } = app;
  await createVaultFast(page);
  await addWorkspace(app.page, /Encord/, 'Encord research', encord.url);
  await page.getByRole('button', { name: /^Encord research Encord/ }).click();
  await page.getByRole('button', { name: 'New key' }).click();
  await page.getByRole('button', { name: 'Create on Encord…' }).click();
  const dialog = page.getByRole('dialog', { name: /New Encord key/ });

  await test.step('service account vs user key, with the role', async () => {
    await expect(dialog.getByRole('radio', { name: /Service account key/ })).toBeChecked();
    await expect(dialog).toContainText('stops working when you leave the workspace');
    await dialog.getByRole('radio', { name: /^Member/ }).check();
    await dialog.getByLabel('Title of the key').fill('annotation pipeline');
    await expect(dialog).toContainText("without a passphrase, as Encord's docs advise");
    await expectAccessible(page, 'encord create');
    await dialog.getByRole('button', { name: 'Generate key pair' }).click();
  });

  let publicKey = '';
  await test.step('the guide shows the public key; checking before registering fails clearly', async () => {
    const guide = dialog.getByTestId('encord-guide');
    await expect(guide).toBeVisible();
    publicKey = (await guide.getByTestId('encord-public-key').textContent()) ?? '';
    expect(publicKey).toMatch(/^ssh-ed25519 AAAA/);
    await guide.getByRole('button', { name: 'Check registration' }).click();
    await expect(guide.getByTestId('encord-check-failed')).toContainText('Encord does not accept this key yet.');
    await app.screenshot('encord-guide');
    await expect(guide.getByRole('button', { name: 'Open Encord' })).toBeVisible();
    if (app.platform) {
      // the bridge's platform records what it was asked to open (Electron would start the browser)
      await guide.getByRole('button', { name: 'Open Encord' }).click();
      await expect.poll(() => app.platform!.opened).toEqual([ENCORD_KEYS_PAGE]);
    }
  });

  await test.step('after the user registers it in Encord, the signed check passes', async () => {
    const res = await fetch(encord.adminUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ publicKey, title: 'annotation pipeline', holder: 'service_account', role: 'Member' }),
    });
    expect(res.status).toBe(201);
    await dialog.getByRole('button', { name: 'Check registration' }).click();
    await expect(dialog.getByTestId('encord-check-ok')).toBeVisible();
    await expectAccessible(page, 'encord registered');
    await dialog.getByRole('button', { name: 'Done' }).click();
    await expect(page.getByTestId('key-detail').getByTestId('randomart')).toContainText('ED25519 256');
  });

  await test.step('the registered key pair connects the workspace (signed request)', async () => {
    await page.getByRole('button', { name: 'Actions for Encord research' }).click();
    await page.getByRole('button', { name: 'Connect…' }).click();
    const connect = page.getByRole('dialog', { name: 'Connect Encord research' });
    await connect.getByLabel('Key pair').selectOption({ index: 1 });
    await connect.getByRole('button', { name: 'Connect' }).click();
    await expect(connect).toHaveCount(0);
    await expect(page.getByTestId('workspace-item').filter({ hasText: 'Encord research' })).toContainText('Encord, connected');
  });
});

test("GitHub: register a public key with a title; a duplicate is refused with GitHub's message", async ({ app }) => {
  const { page } = app;
  await createVaultFast(page);
  await addWorkspace(app.page, /GitHub/, 'GitHub', github.url);
  await page.getByRole('button', { name: 'Actions for GitHub' }).click();
  await page.getByRole('button', { name: 'Connect…' }).click();
  const connect = page.getByRole('dialog', { name: 'Connect GitHub' });
  await connect.getByLabel('Token').fill(github.demo.token);
  await connect.getByRole('button', { name: 'Connect' }).click();
  await expect(connect).toHaveCount(0);

  await page.getByRole('button', { name: /^GitHub GitHub/ }).click();
  await page.getByRole('button', { name: 'New key' }).click();
  await page.getByRole('button', { name: 'Create on GitHub…' }).click();
  let dialog = page.getByRole('dialog', { name: /New GitHub key/ });
  await dialog.getByLabel('Title').fill('work laptop');
  await expectAccessible(page, 'github create');
  await dialog.getByRole('button', { name: 'Register on GitHub' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('key-detail').getByRole('heading', { name: 'work laptop' })).toBeVisible();

  await page.getByRole('button', { name: 'New key' }).click();
  await page.getByRole('button', { name: 'Create on GitHub…' }).click();
  dialog = page.getByRole('dialog', { name: /New GitHub key/ });
  await dialog.getByLabel('Title').fill('same key again');
  await dialog.getByRole('radio', { name: 'Use a key pair from the vault' }).check();
  await dialog
    .getByLabel('Key pair', { exact: true })
    .selectOption({ label: (await dialog.getByLabel('Key pair', { exact: true }).locator('option').nth(1).textContent()) ?? '' });
  await dialog.getByRole('button', { name: 'Register on GitHub' }).click();
  const err = dialog.getByTestId('error');
  await expect(err).toHaveAttribute('data-code', 'CONFLICT');
  await expect(err).toContainText('key is already in use');
  await app.screenshot('github-duplicate');
});

test('GitHub with a token lacking admin:public_key: the workspace says what it may do, revoke warns first, and the refusal keeps the key active', async ({
  app,
}) => {
  const { page } = app;
  await createVaultFast(page);
  await addWorkspace(app.page, /GitHub/, 'GitHub', github.url);
  await page.getByRole('button', { name: 'Actions for GitHub' }).click();
  await page.getByRole('button', { name: 'Connect…' }).click();
  const connect = page.getByRole('dialog', { name: 'Connect GitHub' });
  await connect.getByLabel('Token').fill(github.demo.addOnlyToken);
  await connect.getByRole('button', { name: 'Connect' }).click();
  await expect(connect).toHaveCount(0);

  await page.getByRole('button', { name: /^GitHub GitHub/ }).click();
  await expect(page.getByTestId('credential-access')).toContainText('can add keys, cannot delete them (needs admin:public_key)');
  await page.getByRole('button', { name: 'New key' }).click();
  await page.getByRole('button', { name: 'Create on GitHub…' }).click();
  const dialog = page.getByRole('dialog', { name: /New GitHub key/ });
  await dialog.getByLabel('Title').fill('kept laptop');
  await dialog.getByRole('button', { name: 'Register on GitHub' }).click();
  await expect(dialog).toHaveCount(0);
  const detail = page.getByTestId('key-detail');
  await expect(detail.getByRole('heading', { name: 'kept laptop' })).toBeVisible();

  await detail.getByRole('button', { name: 'Revoke…' }).click();
  const confirm = page.getByRole('dialog', { name: /Revoke/ });
  await expect(confirm.getByTestId('access-warning')).toContainText('GitHub will refuse this: the token lacks the admin:public_key scope');
  await expectAccessible(page, 'github revoke warning');
  await confirm.getByRole('button', { name: 'Revoke' }).click();
  const err = confirm.getByTestId('error');
  await expect(err).toHaveAttribute('data-code', 'REMOTE');
  await expect(err).toContainText('lacks the scope or role this needs');
  await expect(err).toContainText('still registered and still works');
  await expect(err).toContainText('https://github.com/settings/keys');
  await app.screenshot('github-revoke-refused');
  // the platform still has the key, and Keyhold still shows it active
  expect([...github.state.keys.values()].some((k) => k.title === 'kept laptop')).toBe(true);
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(detail).toContainText('Active');
});

test('Syncano with an instance shared read-only: sync reports it, the instance warns before creating', async ({ app }) => {
  const { page } = app;
  await createVaultFast(page);
  await addWorkspace(app.page, /Syncano/, 'Syncano', syncano.url);
  await page.getByRole('button', { name: 'Actions for Syncano' }).click();
  await page.getByRole('button', { name: 'Connect…' }).click();
  const connect = page.getByRole('dialog', { name: 'Connect Syncano' });
  await connect.getByLabel('Email').fill(syncano.demo.email);
  await connect.getByLabel('Password').fill(syncano.demo.password);
  await connect.getByRole('button', { name: 'Connect' }).click();
  await expect(connect).toHaveCount(0);
  await page.getByRole('button', { name: 'Actions for Syncano' }).click();
  await page.getByRole('button', { name: 'Sync now' }).click();
  const sync = page.getByRole('dialog', { name: 'Sync Syncano' });
  await expect(sync.getByTestId('sync-skipped')).toContainText(syncano.demo.readOnlyInstance);
  await sync.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(page.getByRole('button', { name: syncano.demo.readOnlyInstance })).toBeVisible();
  await page.getByRole('button', { name: syncano.demo.readOnlyInstance }).click();
  const banner = page.getByTestId('credential-access');
  await expect(banner).toContainText(`${syncano.demo.readOnlyInstance}: read`);
  await expect(banner).toContainText('will refuse to create or change keys here');
  await expectAccessible(page, 'syncano read-only instance');
});
