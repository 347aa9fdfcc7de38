// Export: netrc merge with a preview of the change (other entries kept), .env and curl config,
// each written 0600; the secret never shows in the renderer.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { createVaultFast, expectAccessible, invoke } from './flows';

const EXISTING_NETRC =
  '# my machines\nmachine old.example.org\n  login bob\n  password hunter2\n\ndefault login anonymous password guest\n';

test('export a Rancher key pair to netrc (with preview), .env and a curl config', async ({ app }) => {
  const { page } = app;
  await createVaultFast(page);
  const ws = await invoke<{ id: string }>(page, 'workspaces.add', {
    name: 'Rancher prod',
    provider: 'rancher',
    url: 'https://rancher.example.com/v2-beta',
  });
  await invoke(page, 'keys.add', {
    workspaceId: ws.id,
    kind: 'access_key_pair',
    name: 'ci deploy',
    publicPart: 'AB12CD34EF56AB12CD34',
    secret: 'secret-of-the-ci-deploy-key-0123456789',
  });
  await page.reload();
  await page.getByTestId('key-row').first().click();
  const detail = page.getByTestId('key-detail');
  const netrc = join(app.dir, 'netrc');
  writeFileSync(netrc, EXISTING_NETRC, { mode: 0o600 });

  await test.step('netrc: preview shows the added entry with the password masked, then writes it', async () => {
    await detail.getByRole('button', { name: 'Export…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export key' });
    await dialog.getByRole('tab', { name: 'netrc' }).click();
    await app.pickFile(dialog.getByLabel('netrc file'), netrc);
    await dialog.getByRole('button', { name: 'Preview changes' }).click();
    const diff = dialog.getByTestId('netrc-diff');
    await expect(diff).toContainText('machine rancher.example.com');
    await expect(diff).toContainText('AB12CD34EF56AB12CD34');
    await expect(dialog).not.toContainText('secret-of-the-ci-deploy-key');
    await expectAccessible(page, 'netrc preview');
    await app.screenshot('export-netrc-preview');
    await dialog.getByRole('button', { name: 'Write netrc' }).click();
    await expect(dialog).toHaveCount(0);
    const text = readFileSync(netrc, 'utf8');
    expect(text.startsWith(EXISTING_NETRC.trimEnd().split('\ndefault')[0]!)).toBe(true);
    expect(text).toContain('default login anonymous password guest');
    expect(text).toMatch(/machine rancher\.example\.com\s+login AB12CD34EF56AB12CD34\s+password secret-of-the-ci-deploy-key-0123456789/);
    expect(statSync(netrc).mode & 0o777).toBe(0o600);
  });

  await test.step('.env with a prefix', async () => {
    await detail.getByRole('button', { name: 'Export…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export key' });
    await dialog.getByRole('tab', { name: '.env' }).click();
    const out = join(app.dir, '.env');
    await dialog.getByRole('textbox', { name: 'File' }).fill(out);
    await dialog.getByLabel('Name prefix (optional)').fill('RANCHER_');
    await expect(dialog.getByTestId('dotenv-preview')).toContainText('RANCHER_');
    await dialog.getByRole('button', { name: 'Write .env' }).click();
    await expect(dialog).toHaveCount(0);
    expect(readFileSync(out, 'utf8')).toContain('secret-of-the-ci-deploy-key-0123456789');
    expect(statSync(out).mode & 0o777).toBe(0o600);
  });

  await test.step('curl config, and a refusal to overwrite without asking', async () => {
    const out = join(app.dir, 'rancher.curl');
    for (const attempt of [1, 2]) {
      await detail.getByRole('button', { name: 'Export…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Export key' });
      await dialog.getByRole('tab', { name: 'curl config' }).click();
      await dialog.getByRole('textbox', { name: 'File' }).fill(out);
      await dialog.getByRole('button', { name: 'Write curl config' }).click();
      if (attempt === 1) await expect(dialog).toHaveCount(0);
      else {
        await expect(dialog.getByTestId('error')).toHaveAttribute('data-code', 'CONFLICT');
        await dialog.getByLabel('Replace the file if it exists').check();
        await dialog.getByRole('button', { name: 'Write curl config' }).click();
        await expect(dialog).toHaveCount(0);
      }
    }
    expect(readFileSync(out, 'utf8')).toContain('user = "AB12CD34EF56AB12CD34:secret-of-the-ci-deploy-key-0123456789"');
  });

  await test.step('the history of the key names each export target, never the secret', async () => {
    await page.getByRole('button', { name: 'Close details' }).click();
    await page.getByTestId('key-row').first().click();
    const audit = page.getByTestId('key-detail').getByTestId('audit');
    await expect(audit).toContainText('exported');
    await expect(audit).not.toContainText('secret-of-the-ci-deploy-key');
  });
});
