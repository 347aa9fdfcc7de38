// Key pairs: generate ed25519, the detail (fingerprint, randomart, versions, history), reveal that
// hides itself, copy through main, edit, import by picker and by drag-and-drop with a passphrase,
// export to a file, delete with confirmation, and the table's keyboard.
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { createVaultFast, expectAccessible, invoke } from './flows';

test('generate, inspect, reveal (auto-hides), copy, edit, export and delete an ed25519 key pair', async ({ app }) => {
  const { page } = app;
  await page.clock.install();
  await page.reload();
  await createVaultFast(page);

  await test.step('generate a key pair from the empty state', async () => {
    await page.getByRole('button', { name: 'Generate key pair' }).click();
    const dialog = page.getByRole('dialog', { name: 'Generate ed25519 key pair' });
    await dialog.getByLabel('Name').fill('deploy key');
    await dialog.getByLabel('Comment').fill('admin@example');
    await expectAccessible(page, 'generate dialog');
    await dialog.getByRole('button', { name: 'Generate' }).click();
    await expect(dialog).toHaveCount(0);
  });

  const detail = page.getByTestId('key-detail');
  await test.step('the detail shows the public key, fingerprint and randomart like ssh-keygen', async () => {
    await expect(detail.getByRole('heading', { name: 'deploy key' })).toBeVisible();
    await expect(detail.getByTestId('public-part')).toContainText(/^ssh-ed25519 AAAA\S+ admin@example$/);
    await expect(detail.getByTestId('fingerprint')).toContainText(/^SHA256:[A-Za-z0-9+/]{43}$/);
    await expect(detail.getByTestId('randomart')).toContainText('+--[ED25519 256]--+');
    await expect(detail.getByTestId('versions')).toContainText('Version 1 (current)');
    await expect(detail.getByTestId('audit')).toContainText(/created|generated/i);
    await expect(page.getByTestId('key-row')).toHaveCount(1);
    await expectAccessible(page, 'key pair detail');
    await app.screenshot('keypair-detail');
  });

  await test.step('reveal shows the private key and hides it again after 30 s', async () => {
    await detail.getByRole('button', { name: 'Reveal' }).click();
    await expect(detail.getByTestId('secret-value')).toContainText('-----BEGIN OPENSSH PRIVATE KEY-----');
    await expect(detail.getByTestId('reveal-countdown')).toContainText('Hides in');
    await page.clock.fastForward('00:31');
    await expect(detail.getByTestId('secret-value')).toHaveCount(0);
    await expect(page.getByText('-----BEGIN OPENSSH PRIVATE KEY-----')).toHaveCount(0);
    const history = await invoke<{ events: { action: string }[] }>(page, 'keys.history', {
      id: await page.getByTestId('key-row').getAttribute('data-key-id'),
    });
    expect(history.events.map((e) => e.action)).toContain('revealed');
  });

  await test.step('copy puts the secret on the clipboard through main', async () => {
    await detail.getByRole('button', { name: 'Copy secret' }).click();
    await expect(page.getByTestId('toast').last()).toContainText('The clipboard clears itself in 30 s');
    if (app.platform) expect(await app.platform.clipboard.readText()).toContain('-----BEGIN OPENSSH PRIVATE KEY-----');
  });

  await test.step('edit name and description', async () => {
    await detail.getByRole('button', { name: 'Edit' }).click();
    await detail.getByLabel('Name').fill('deploy key (ci)');
    await detail.getByLabel('Description').fill('used by the CI runner');
    await detail.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(detail.getByRole('heading', { name: 'deploy key (ci)' })).toBeVisible();
    await expect(detail).toContainText('used by the CI runner');
    await expect(page.getByTestId('key-row').first()).toContainText('deploy key (ci)');
  });

  await test.step('export as an OpenSSH file that ssh-keygen reads, mode 0600', async () => {
    await detail.getByRole('button', { name: 'Export…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export key' });
    const out = join(app.dir, 'id_deploy');
    await dialog.getByRole('textbox', { name: 'File' }).fill(out);
    await expectAccessible(page, 'export dialog');
    await dialog.getByRole('button', { name: 'Export' }).click();
    await expect(dialog).toHaveCount(0);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const pub = execFileSync('ssh-keygen', ['-y', '-f', out], { encoding: 'utf8' }).trim();
    await expect(detail.getByTestId('public-part')).toContainText(pub.split(' ').slice(0, 2).join(' '));
    expect(readFileSync(out, 'utf8')).toContain('BEGIN OPENSSH PRIVATE KEY');
  });

  await test.step('Delete asks first, then removes the key', async () => {
    await page.getByRole('grid', { name: 'Keys' }).focus();
    await page.keyboard.press('Delete');
    const confirm = page.getByRole('dialog', { name: 'Delete this key?' });
    await expect(confirm).toContainText('cannot be undone');
    await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
    // focus stays inside the dialog: Tab past the last control wraps to the first, and back
    await page.keyboard.press('Tab');
    await expect(confirm.getByRole('button', { name: 'Delete from vault' })).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(confirm.getByRole('button', { name: 'Close dialog' })).toBeFocused();
    await page.keyboard.press('Shift+Tab');
    await expect(confirm.getByRole('button', { name: 'Delete from vault' })).toBeFocused();
    await app.screenshot('keypair-delete-confirm');
    await confirm.getByRole('button', { name: 'Delete from vault' }).click();
    await expect(page.getByRole('heading', { name: 'No keys here yet' })).toBeVisible();
    await expect(detail).toHaveCount(0);
  });
});

test('import key files: picker with passphrase (wrong, then right), drag-and-drop of a public key', async ({ app }) => {
  const { page } = app;
  await createVaultFast(page);
  const protectedKey = join(app.dir, 'id_protected');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'open sesame', '-C', 'made-by-ssh-keygen', '-f', protectedKey]);
  const expectedFp = execFileSync('ssh-keygen', ['-l', '-f', protectedKey], { encoding: 'utf8' }).split(' ')[1]!;

  await test.step('a protected key asks for its passphrase; a wrong one is refused inline', async () => {
    await page.getByRole('button', { name: 'New key' }).click();
    await page.getByRole('button', { name: 'Import key file…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import key file' });
    await dialog.getByLabel('Key file').setInputFiles(protectedKey);
    await expect(dialog.getByLabel('Name')).toHaveValue('id_protected');
    const pass = dialog.getByLabel('Passphrase of this key file');
    await expect(pass).toBeVisible();
    await pass.fill('wrong passphrase');
    await dialog.getByRole('button', { name: 'Import' }).click();
    await expect(dialog.getByTestId('wrong-passphrase')).toBeVisible();
    await expectAccessible(page, 'import wrong passphrase');
    await app.screenshot('import-wrong-passphrase');
    await pass.fill('open sesame');
    await dialog.getByRole('button', { name: 'Import' }).click();
    await expect(dialog).toHaveCount(0);
    await expect(page.getByTestId('key-detail').getByTestId('fingerprint')).toHaveText(expectedFp);
  });

  await test.step('a public key line dropped on the drop zone imports as public-only', async () => {
    const pubLine = readFileSync(`${protectedKey}.pub`, 'utf8').replace('made-by-ssh-keygen', 'dropped');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'dropped', '-f', join(app.dir, 'other')]);
    const otherPub = readFileSync(join(app.dir, 'other.pub'), 'utf8');
    expect(pubLine).toBeTruthy();
    await page.getByRole('button', { name: 'New key' }).click();
    await page.getByRole('button', { name: 'Import key file…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import key file' });
    const drop = await page.evaluateHandle((text) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], 'other.pub', { type: 'text/plain' }));
      return dt;
    }, otherPub);
    await dialog.getByTestId('dropzone').dispatchEvent('drop', { dataTransfer: drop });
    await expect(dialog.getByLabel('Name')).toHaveValue('other');
    await dialog.getByRole('button', { name: 'Import' }).click();
    await expect(dialog).toHaveCount(0);
    const detail = page.getByTestId('key-detail');
    await expect(detail.getByRole('heading', { name: 'other' })).toBeVisible();
    await expect(detail.getByRole('button', { name: 'Reveal' })).toHaveCount(0);
    await expect(page.getByTestId('key-row')).toHaveCount(2);
  });

  await test.step('a file that is not a key is refused with a clear error', async () => {
    await page.getByRole('button', { name: 'New key' }).click();
    await page.getByRole('button', { name: 'Import key file…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import key file' });
    await dialog
      .getByLabel('Key file')
      .setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('these are not the keys you are looking for\n') });
    await dialog.getByRole('button', { name: 'Import' }).click();
    await expect(dialog.getByTestId('error')).toHaveAttribute('data-code', 'INVALID_INPUT');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });
});
