// Rancher against its emulator: connect (a wrong secret first), sync, create an environment API
// key (secret shown once -> stored in the vault), deactivate / activate with what Rancher will do,
// rotate one and a selection with progress and per-key results, 429 and a platform that is down.
import { startRancher, type RancherEmulator } from '../emulators/rancher';
import { expect, test } from './fixtures';
import { addWorkspace, createVaultFast, expectAccessible, invoke } from './flows';

let rancher: RancherEmulator;
test.beforeAll(async () => {
  // transitions take time, as on a real server: create answers registering, revoke waits for inactive
  rancher = await startRancher({ transitionMs: 30 });
});
test.afterAll(async () => {
  await rancher?.close();
});

test('connect, sync, create, deactivate/activate, rotate and fail well on Rancher', async ({ app }) => {
  test.setTimeout(120_000);
  const { page } = app;
  await createVaultFast(page);

  await test.step('add the workspace and connect it; a wrong secret is refused in words', async () => {
    await addWorkspace(page, /^Rancher (?!2)/, 'Rancher lab', rancher.url);
    await page.getByRole('button', { name: 'New key' }).click();
    await page.getByRole('button', { name: /Connect Rancher lab/ }).click();
    const connect = page.getByRole('dialog', { name: 'Connect Rancher lab' });
    await connect.getByLabel('Access key').fill(rancher.demo.accessKey);
    await connect.getByLabel('Secret key').fill('not-the-secret-key-of-this-account-key');
    await connect.getByRole('button', { name: 'Connect' }).click();
    const err = connect.getByTestId('error');
    await expect(err).toHaveAttribute('data-code', 'REMOTE');
    await expect(err).toContainText('did not accept these credentials');
    await expect(err).toContainText('Rancher');
    await expectAccessible(page, 'connect refused');
    await app.screenshot('rancher-connect-refused');
    await connect.getByLabel('Secret key').fill(rancher.demo.secretKey);
    await connect.getByRole('button', { name: 'Connect' }).click();
    await expect(connect).toHaveCount(0);
    await expect(page.getByTestId('workspace-item').filter({ hasText: 'Rancher lab' })).toContainText('Rancher, connected');
  });

  await test.step('sync brings the environments and the existing keys', async () => {
    await page.getByRole('button', { name: 'Actions for Rancher lab' }).click();
    // a slow platform, so the phases main reports can be seen: environments, then keys per scope
    rancher.faults.latencyMs = 300;
    await page.getByRole('button', { name: 'Sync now' }).click();
    const sync = page.getByRole('dialog', { name: 'Sync Rancher lab' });
    await expect(sync.getByTestId('sync-phase')).toContainText(/Listing the keys on Rancher: [0-2] of 3 scopes done/);
    await expect(sync.getByRole('progressbar')).toHaveAttribute('aria-valuemax', '3');
    await app.screenshot('rancher-sync-progress');
    await expect(sync.getByTestId('sync-result')).toContainText('2 environments');
    rancher.faults.latencyMs = 0;
    await sync.getByRole('button', { name: 'Close', exact: true }).click();
    await expect(page.getByRole('button', { name: 'Default' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Staging' })).toBeVisible();
  });

  await test.step('an environment API key: the secret shown once goes straight into the vault', async () => {
    await page.getByRole('button', { name: 'Default' }).click();
    await page.getByRole('button', { name: 'New key' }).click();
    await page.getByRole('button', { name: 'Create on Rancher…' }).click();
    const dialog = page.getByRole('dialog', { name: /New Rancher key/ });
    await expect(dialog.getByRole('radio', { name: /Environment API key/ })).toBeChecked();
    await expect(dialog).toContainText('Tied to one environment');
    await dialog.getByLabel('Name').fill('compose deploy');
    await dialog.getByLabel('Description').fill('rancher-compose in CI');
    await expectAccessible(page, 'rancher create form');
    await app.screenshot('rancher-create-form');
    await dialog.getByRole('button', { name: 'Create environment API key' }).click();
    await expect(dialog.getByTestId('rancher-created')).toContainText('Stored in your vault.');
    await app.screenshot('rancher-created');
    await dialog.getByRole('button', { name: 'Copy secret key' }).click();
    await expect(page.getByTestId('toast').last()).toContainText('Secret key copied');
    if (app.platform) expect(await app.platform.clipboard.readText()).toMatch(/^\w{40}$/);
    await dialog.getByRole('button', { name: 'Done' }).click();
    await expect(page.getByTestId('key-detail').getByRole('heading', { name: 'compose deploy' })).toBeVisible();
  });

  const detail = page.getByTestId('key-detail');
  await test.step('deactivate and activate, each confirmed with what Rancher will do', async () => {
    await detail.getByRole('button', { name: 'Deactivate…' }).click();
    const confirm = page.getByRole('dialog', { name: 'Deactivate “compose deploy”?' });
    await expect(confirm.getByTestId('state-effect')).toHaveText(/Rancher will refuse these credentials until you activate the key again/);
    await confirm.getByRole('button', { name: 'Deactivate' }).click();
    await expect(detail.getByTestId('key-state')).toHaveText('Inactive');
    await detail.getByRole('button', { name: 'Activate…' }).click();
    await page.getByRole('dialog', { name: 'Activate “compose deploy”?' }).getByRole('button', { name: 'Activate' }).click();
    await expect(detail.getByTestId('key-state')).toHaveText('Active');
    await detail.getByRole('button', { name: 'Test' }).click();
    await expect(detail.getByTestId('check-result')).toContainText('The key works.');
  });

  await test.step('editing a linked key changes it on Rancher too', async () => {
    await detail.getByRole('button', { name: 'Edit' }).click();
    await expect(detail).toContainText('Saved on Rancher (name and description) first');
    await detail.getByLabel('Description').fill('rancher-compose in CI (prod)');
    await detail.getByRole('button', { name: 'Save' }).click();
    await expect(detail).toContainText('rancher-compose in CI (prod)');
    const remote = [...rancher.state.keys.values()].find((k) => k.name === 'compose deploy');
    expect(remote?.description).toBe('rancher-compose in CI (prod)');
  });

  await test.step('rotate one key: new secret stored, version 2', async () => {
    await detail.getByRole('button', { name: 'Rotate…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Rotate “compose deploy”' });
    await expect(dialog).toContainText('only then retires the old one');
    await dialog.getByRole('button', { name: 'Rotate key' }).click();
    await expect(dialog.getByTestId('rotate-summary')).toContainText('All 1 key rotated.');
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();
    await expect(detail.getByTestId('versions')).toContainText('Version 2 (current)');
  });

  await test.step('a selection rotated while Rancher answers 429: a clear per-key failure report', async () => {
    const second = await invoke<{ key: { id: string } }>(page, 'keys.create', {
      workspaceId: (await invoke<{ id: string; name: string }[]>(page, 'workspaces.list', {}))[0]!.id,
      kind: 'access_key_pair',
      name: 'cli account key',
    });
    expect(second.key.id).toBeTruthy();
    await page.getByRole('button', { name: /^Rancher lab Rancher/ }).click();
    await expect(page.getByTestId('key-count')).toHaveText('3 keys');
    for (const name of ['compose deploy', 'cli account key']) await page.getByRole('checkbox', { name: `Select ${name}` }).check();
    rancher.setFaults({ rateLimitRate: 1, retryAfterSeconds: 0 });
    await page.getByRole('region', { name: 'Selection' }).getByRole('button', { name: 'Rotate…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Rotate 2 keys' });
    await dialog.getByRole('button', { name: 'Rotate 2 keys' }).click();
    await expect(dialog.getByTestId('rotate-summary')).toContainText('0 of 2 rotated; 2 failed.', { timeout: 60_000 });
    await expect(dialog.getByTestId('rotate-summary')).toContainText('the previous secret is still stored and still works');
    await expect(dialog.getByTestId('rotate-results')).toContainText('limiting how fast');
    await expect(dialog.getByTestId('rotate-results')).toContainText('429');
    await expectAccessible(page, 'rotation failure report');
    await app.screenshot('rancher-rotate-429');
    rancher.setFaults({ rateLimitRate: 0 });
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  });

  await test.step('the interrupted rotations wait in the journal; Resume finishes them', async () => {
    const banner = page.getByTestId('pending-banner');
    await expect(banner).toContainText('2 rotations were interrupted.');
    await expect(banner).toContainText('The old secrets are still stored and working');
    await expectAccessible(page, 'pending banner');
    await app.screenshot('rancher-pending-banner');
    await banner.getByRole('button', { name: 'Resume now' }).click();
    await expect(page.getByTestId('toast').last()).toContainText('2 interrupted rotations finished.');
    await expect(banner).toHaveCount(0);
  });

  await test.step('rotation of the selection when Rancher is back: progress, then all rotated', async () => {
    await page.getByRole('region', { name: 'Selection' }).getByRole('button', { name: 'Rotate…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Rotate 2 keys' });
    await dialog.getByRole('button', { name: 'Rotate 2 keys' }).click();
    await expect(dialog.getByTestId('rotate-summary')).toContainText('All 2 keys rotated.', { timeout: 30_000 });
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  });

  await test.step('Rancher down: testing a key says the platform did not answer', async () => {
    await page.getByTestId('key-row').filter({ hasText: 'compose deploy' }).click();
    rancher.setFaults({ dropRate: 1 });
    await detail.getByRole('button', { name: 'Test' }).click();
    const err = detail.getByTestId('error');
    await expect(err).toContainText('did not answer', { timeout: 60_000 });
    await app.screenshot('rancher-down');
    rancher.setFaults({ dropRate: 0 });
  });

  await test.step('revoke: Rancher deactivates and deletes; the vault keeps the record, revoked', async () => {
    await detail.getByRole('button', { name: 'Revoke…' }).click();
    const confirm = page.getByRole('dialog', { name: 'Revoke “compose deploy”?' });
    await expect(confirm.getByTestId('state-effect')).toContainText('deactivate the key if it is still active, then delete it');
    await confirm.getByRole('button', { name: 'Revoke' }).click();
    await expect(detail.getByTestId('key-state')).toHaveText('Revoked');
    // Keyhold said revoked only once Rancher showed the key removed
    const remote = [...rancher.state.keys.values()].filter((k) => k.name === 'compose deploy');
    expect(remote.length).toBeGreaterThan(0);
    expect(remote.map((k) => k.state).filter((st) => st !== 'removed')).toEqual([]);
  });
});
