// First run, unlock, lock (button, Ctrl+L, system suspend), and the vault's settings.
import { expect, test } from './fixtures';
import { expectAccessible, PASSWORD } from './flows';

test('create the vault, lock and unlock it, wrong password inline, auto-lock returns to unlock', async ({ app }) => {
  const { page } = app;

  await test.step('first run asks for the password twice and says what losing it means', async () => {
    await expect(page.getByRole('heading', { name: 'Create your vault' })).toBeVisible();
    await expect(page.getByTestId('vault-state')).toHaveAttribute('data-state', 'absent');
    await expect(page.getByText('If you lose this password, your keys are gone.')).toBeVisible();
    const create = page.getByRole('button', { name: 'Create vault' });
    await page.getByLabel('Master password', { exact: true }).fill('abc');
    await expect(page.getByTestId('strength-label')).toContainText('Weak');
    await page.getByLabel('Master password', { exact: true }).fill(PASSWORD);
    await expect(page.getByTestId('strength-label')).toContainText(/Strong|Very strong/);
    await page.getByLabel('Type it again').fill(`${PASSWORD}x`);
    await page.getByLabel('Type it again').blur();
    await expect(page.getByText('The two passwords are not the same.')).toBeVisible();
    await expect(create).toBeDisabled();
    await page.getByLabel('Type it again').fill(PASSWORD);
    await page.getByLabel('I understand that a lost master password cannot be recovered.').check();
    await expect(create).toBeEnabled();
    await expectAccessible(page, 'create vault');
    await app.screenshot('vault-create');
    await create.click();
    await expect(page.getByRole('grid', { name: 'Keys' })).toBeVisible({ timeout: 20_000 });
    await expect(page.getByRole('heading', { name: 'No keys here yet' })).toBeVisible();
    await expectAccessible(page, 'empty main screen');
    await app.screenshot('vault-main-empty');
  });

  await test.step('the lock button locks; a wrong password is refused inline', async () => {
    await page.getByRole('button', { name: 'Lock' }).click();
    await expect(page.getByRole('heading', { name: 'Unlock Keyhold' })).toBeVisible();
    await expect(page.getByTestId('vault-state')).toHaveAttribute('data-state', 'locked');
    await page.getByLabel('Master password', { exact: true }).fill('not the password');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expect(page.getByTestId('wrong-password')).toBeVisible();
    await expect(page.getByLabel('Master password', { exact: true })).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByLabel('Master password', { exact: true })).toBeFocused();
    await expectAccessible(page, 'unlock, wrong password');
    await app.screenshot('vault-unlock-wrong-password');
    await page.getByLabel('Master password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Master password', { exact: true }).press('Enter');
    await expect(page.getByRole('grid', { name: 'Keys' })).toBeVisible();
  });

  await test.step('Ctrl+L locks from anywhere in the main screen', async () => {
    await page.getByRole('grid', { name: 'Keys' }).focus();
    await page.keyboard.press('Control+l');
    await expect(page.getByRole('heading', { name: 'Unlock Keyhold' })).toBeVisible();
    const status = await page.evaluate(() => window.keyhold.invoke('vault.status', {}));
    expect(status).toMatchObject({ ok: true, value: { state: 'locked' } });
    await page.getByLabel('Master password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expect(page.getByRole('grid', { name: 'Keys' })).toBeVisible();
  });

  await test.step('a system suspend locks the vault and the app returns to the unlock screen', async () => {
    test.skip(!app.platform, 'system lock events are simulated only in the bridge harness');
    app.platform!.fireSystemLock('suspend');
    await expect(page.getByRole('heading', { name: 'Unlock Keyhold' })).toBeVisible();
    await expect(page.getByText('Keyhold locked when the computer went to sleep.')).toBeVisible();
    await expect(page.getByRole('grid', { name: 'Keys' })).toHaveCount(0);
  });
});

test('settings: auto-lock and clipboard times, change the master password, theme', async ({ app }) => {
  const { page } = app;
  const { createVaultFast } = await import('./flows');
  await createVaultFast(page);

  await page.getByRole('button', { name: 'Settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await expect(dialog).toBeVisible();

  await test.step('auto-lock and clipboard times are saved in the vault', async () => {
    await dialog.getByLabel('Lock after this long without use').selectOption('5');
    await dialog.getByLabel('Clear a copied secret after').selectOption('45');
    await expect(page.getByTestId('toast').last()).toHaveText('Saved.');
    const settings = await page.evaluate(() => window.keyhold.invoke('vault.settings.get', {}));
    expect(settings).toMatchObject({ ok: true, value: { autoLockMinutes: 5, clipboardClearSeconds: 45 } });
    await expect(dialog.getByTestId('settings-vault-state')).toHaveText('unlocked');
  });

  await test.step('the KDF parameters are shown, measured and changed (with the password)', async () => {
    await dialog.getByRole('tab', { name: 'Security' }).click();
    await expect(dialog.getByTestId('kdf-params')).toContainText('64 MiB, 3 passes');
    await dialog.getByLabel('Memory (MiB)').fill('32');
    await expect(dialog.getByText('Below the floor of 64 MiB and 3 passes.')).toBeVisible();
    await expect(dialog.getByRole('button', { name: 'Measure unlock time' })).toBeDisabled();
    await dialog.getByLabel('Memory (MiB)').fill('80');
    await dialog.getByRole('button', { name: 'Measure unlock time' }).click();
    await expect(dialog.getByTestId('kdf-measured')).toContainText(/Unlocking takes about \d+ ms/);
    await dialog.getByLabel('Master password, to apply').fill('wrong');
    await dialog.getByRole('button', { name: 'Apply' }).click();
    await expect(dialog.getByText('That is not the master password.')).toBeVisible();
    await dialog.getByLabel('Master password, to apply').fill(PASSWORD);
    await dialog.getByRole('button', { name: 'Apply' }).click();
    await expect(dialog.getByTestId('kdf-params')).toContainText('80 MiB, 3 passes');
  });

  await test.step('changing the master password checks the current one', async () => {
    await dialog.getByLabel('Current password').fill('wrong current password');
    await dialog.getByLabel('New password', { exact: true }).fill('a new and longer passphrase');
    await dialog.getByLabel('New password again').fill('a new and longer passphrase');
    await dialog.getByRole('button', { name: 'Change password' }).click();
    await expect(dialog.getByText('That is not the current master password.')).toBeVisible();
    await dialog.getByLabel('Current password').fill(PASSWORD);
    await dialog.getByRole('button', { name: 'Change password' }).click();
    await expect(page.getByTestId('toast').last()).toHaveText('Master password changed.');
    await expectAccessible(page, 'settings security');
    await app.screenshot('settings-security');
  });

  await test.step('dark theme applies at once and the dialog closes with Escape, focus returns', async () => {
    await dialog.getByRole('tab', { name: 'Appearance' }).click();
    await dialog.getByLabel('Dark').check();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await app.screenshot('settings-dark');
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Settings' })).toBeFocused();
    await expectAccessible(page, 'main screen dark');
  });

  await test.step('the new password opens the vault, the old one does not', async () => {
    await page.keyboard.press('Control+l');
    await page.getByLabel('Master password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expect(page.getByTestId('wrong-password')).toBeVisible();
    await page.getByLabel('Master password', { exact: true }).fill('a new and longer passphrase');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expect(page.getByRole('grid', { name: 'Keys' })).toBeVisible();
  });
});

test('backup from settings, then restore it on a first run', async ({ app }) => {
  const { page } = app;
  const { createVaultFast, invoke } = await import('./flows');
  const { rmSync, existsSync } = await import('node:fs');
  const { join } = await import('node:path');
  await createVaultFast(page);
  await invoke(page, 'keys.add', { kind: 'api_key', name: 'kept through the backup', secret: 'backup-me-0123456789' });
  const backupFile = join(app.dir, 'keyhold.khb');

  await test.step('write an encrypted backup', async () => {
    await page.getByRole('button', { name: 'Settings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    await dialog.getByRole('tab', { name: 'Backup' }).click();
    if (app.harness === 'bridge') {
      // the bridge has no file dialogs: "Choose…" asks main, gets null, and says to type the path
      await dialog.getByRole('button', { name: 'Choose…' }).click();
      await expect(dialog.getByTestId('no-file-dialog')).toHaveText('No file dialog in this window: type the full path.');
      await expect(dialog.getByLabel('Backup file')).toHaveValue('');
      await app.screenshot('settings-backup-no-dialog');
    }
    await app.pickFile(dialog.getByLabel('Backup file'), backupFile);
    await dialog.getByLabel('Backup passphrase').fill('backup passphrase 1');
    await dialog.getByLabel('Passphrase again').fill('backup passphrase 1');
    await dialog.getByRole('button', { name: 'Write backup' }).click();
    await expect(page.getByTestId('toast').last()).toContainText('Backup written');
    expect(existsSync(backupFile)).toBe(true);
    await expectAccessible(page, 'backup');
    await page.keyboard.press('Escape');
  });

  await test.step('on a machine without a vault: restore, wrong passphrase first', async () => {
    await page.keyboard.press('Control+l');
    rmSync(app.vaultPath, { force: true });
    for (const suffix of ['-wal', '-shm']) rmSync(app.vaultPath + suffix, { force: true });
    await page.reload();
    await page.getByRole('button', { name: 'Restore from a backup' }).click();
    await app.pickFile(page.getByLabel('Backup file'), backupFile);
    await page.getByLabel('Backup passphrase').fill('not it');
    await page.getByLabel('New master password').fill('a brand new master password');
    await page.getByLabel('Type it again').fill('a brand new master password');
    await page.getByRole('button', { name: 'Restore vault' }).click();
    await expect(page.getByText('That passphrase does not open this backup.')).toBeVisible();
    await expectAccessible(page, 'restore');
    await app.screenshot('vault-restore');
    await page.getByLabel('Backup passphrase').fill('backup passphrase 1');
    await page.getByRole('button', { name: 'Restore vault' }).click();
    await expect(page.getByRole('grid', { name: 'Keys' })).toBeVisible();
    await expect(page.getByTestId('key-row')).toContainText('kept through the backup');
  });
});
