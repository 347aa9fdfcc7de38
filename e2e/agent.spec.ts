// The SSH agent in the app: a key pair's agent settings, and the approval dialog a confirm key
// opens when ssh-keygen asks the app's agent for a signature (Allow once, Deny), with its recent
// uses; screenshots into e2e/screenshots/.
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, ROOT, test } from './fixtures';
import { createVaultFast, expectAccessible, invoke } from './flows';

const SHOTS = join(ROOT, 'e2e', 'screenshots');

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

/** `ssh-keygen -Y sign` through the app's agent; resolves with its exit status. */
function signThroughAgent(socket: string, pubPath: string, dir: string): Promise<number> {
  const file = join(dir, `msg-${Math.random().toString(36).slice(2)}.txt`);
  writeFileSync(file, 'signed through the Keyhold app\n');
  return new Promise((resolve) => {
    execFile(
      '/usr/bin/ssh-keygen',
      ['-Y', 'sign', '-n', 'file', '-f', pubPath, file],
      { env: { PATH: '/usr/bin:/bin', HOME: dir, SSH_AUTH_SOCK: socket }, timeout: 60_000 },
      (err) => resolve(err ? (typeof err.code === 'number' ? err.code : -1) : 0),
    );
  });
}

test('per-key agent settings, and the approval dialog of a confirm key (allow once, deny)', async ({ app }) => {
  const { page } = app;
  await createVaultFast(page);

  await page.getByRole('button', { name: 'Generate key pair' }).click();
  const generate = page.getByRole('dialog', { name: 'Generate ed25519 key pair' });
  await generate.getByLabel('Name').fill('git signing');
  await generate.getByLabel('Comment').fill('admin@example');
  await generate.getByRole('button', { name: 'Generate' }).click();
  await expect(generate).toHaveCount(0);

  const detail = page.getByTestId('key-detail');
  const agentSection = detail.getByTestId('key-agent');
  const pubPath = join(app.dir, 'signing.pub');

  await test.step('a new key pair asks before each use; hosts and forwarding are saved', async () => {
    await expect(agentSection.getByLabel('Use by ssh and git')).toHaveValue('confirm');
    await expect(agentSection.getByTestId('agent-uses')).toContainText('Not used through the agent yet.');
    await agentSection.getByLabel('Only for these hosts').fill('github.com, [10.0.0.5]:2222');
    await agentSection.getByLabel('Allow through a forwarded agent (ssh -A)').check();
    await agentSection.getByRole('button', { name: 'Save agent settings' }).click();
    await expect(page.getByText('Agent settings saved.')).toBeVisible();
    const id = await page.getByTestId('key-row').getAttribute('data-key-id');
    const stored = await invoke<{ settings: unknown }>(page, 'agent.key', { id });
    expect(stored.settings).toEqual({ agent: 'confirm', agentHosts: ['github.com', '[10.0.0.5]:2222'], agentForwarding: 'allow' });
    await agentSection.scrollIntoViewIfNeeded();
    await expectAccessible(page, 'key agent settings');
    await shot(page, 'agent-key-settings');
    // back to any host: ssh-keygen -Y sign is not a login to a host
    await agentSection.getByLabel('Only for these hosts').fill('');
    await agentSection.getByLabel('Allow through a forwarded agent (ssh -A)').uncheck();
    await agentSection.getByRole('button', { name: 'Save agent settings' }).click();
    await expect
      .poll(async () => (await invoke<{ settings: { agentHosts: string[] } }>(page, 'agent.key', { id })).settings.agentHosts)
      .toEqual([]);
    writeFileSync(pubPath, `${await detail.getByTestId('public-part').innerText()}\n`);
  });

  const status = await invoke<{ running: boolean; socket: string | null }>(page, 'agent.status', {});
  expect(status.running).toBe(true);
  const socket = status.socket!;
  const dialog = page.getByRole('dialog', { name: 'Allow use of an SSH key?' });

  await test.step('Allow once: the dialog names key, program, host and forwarding, and the signature is made', async () => {
    const signing = signThroughAgent(socket, pubPath, app.dir);
    await expect(dialog).toBeVisible();
    await expect(dialog.getByTestId('agent-approval-key')).toContainText('admin@example');
    await expect(dialog.getByTestId('agent-approval-key')).toContainText(/SHA256:/);
    await expect(dialog.getByTestId('agent-approval-program')).toContainText(/ssh-keygen$/);
    await expect(dialog.getByTestId('agent-approval-forwarded')).toHaveText('no');
    await expectAccessible(page, 'agent approval dialog');
    await shot(page, 'agent-approval');
    await dialog.getByRole('button', { name: 'Allow once' }).click();
    expect(await signing).toBe(0);
    await expect(dialog).toHaveCount(0);
  });

  await test.step('Deny refuses the signature; the recent uses show both', async () => {
    const signing = signThroughAgent(socket, pubPath, app.dir);
    await dialog.getByRole('button', { name: 'Deny' }).click();
    expect(await signing).not.toBe(0);
    const uses = agentSection.getByTestId('agent-uses');
    await expect(uses.locator('li')).toHaveCount(2);
    await expect(uses.locator('li').first()).toContainText('Refused');
    await expect(uses.locator('li').nth(1)).toContainText('Signed');
    await expect(uses).toContainText('ssh-keygen');
    await agentSection.scrollIntoViewIfNeeded();
    await shot(page, 'agent-recent-uses');
  });
});
