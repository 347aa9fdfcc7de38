// The CLI through the running app, as the user sees it: with the app open and unlocked, the real
// built `keyhold` (out/main/cli.js) runs without a password; the app shows who asks, and the
// command runs once the user clicks Allow (docs/SECURITY.md "The CLI through the running app").
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, ROOT, test } from './fixtures';
import { createVaultFast, expectAccessible, invoke } from './flows';

const CLI = join(ROOT, 'out', 'main', 'cli.js');
const SHOTS = join(ROOT, 'e2e', 'screenshots');

function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('the CLI lists the keys without a password once the user allows it in the app', async ({ app }) => {
  const { page } = app;
  await createVaultFast(page);
  const ws = await invoke<{ id: string }>(page, 'workspaces.add', { name: 'acme', provider: 'local' });
  await invoke(page, 'keys.add', { workspaceId: ws.id, kind: 'api_key', name: 'deploy-key', secret: 'the-deploy-secret-0123456789' });
  await invoke(page, 'keys.add', { workspaceId: ws.id, kind: 'api_key', name: 'backup-key', secret: 'the-backup-secret-0123456789' });
  await page.reload();
  await expect(page.getByRole('grid', { name: 'Keys' }).getByText('deploy-key')).toBeVisible();

  const env: NodeJS.ProcessEnv = { ...process.env, KEYHOLD_APP_SOCKET: app.appSocket };
  delete env.KEYHOLD_PASSWORD;
  delete env.KEYHOLD_NO_APP;
  const run = runCli(['--vault', app.vaultPath, 'key', 'list', '--json'], env);

  const dialog = page.getByRole('dialog', { name: 'Allow a program to use the vault?' });
  await expect(dialog).toBeVisible({ timeout: 30_000 });
  await expect(dialog.getByTestId('cli-approval-program')).toContainText(`${process.execPath} ${CLI}`);
  await expect(dialog.getByTestId('cli-approval-parent')).toContainText(`pid ${process.pid}`);
  await expect(dialog.getByTestId('cli-approval-command')).toHaveText(`keyhold --vault ${app.vaultPath} key list --json`);
  await expect(dialog.getByRole('button', { name: 'Deny' })).toBeFocused();
  // the bridge harness's desktop stand-in counts it; under Electron the window is in front anyway
  if (app.platform) expect(app.platform.broughtToFront.count).toBe(1);
  await expectAccessible(page, 'CLI approval');
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, 'cli-approval.png') });

  await dialog.getByRole('button', { name: 'Allow once' }).click();
  await expect(dialog).toHaveCount(0);
  const result = await run;
  expect(result.code, result.stderr).toBe(0);
  const keys = JSON.parse(result.stdout) as Array<{ name: string }>;
  expect(keys.map((k) => k.name).sort()).toEqual(['backup-key', 'deploy-key']);
  expect(result.stdout).not.toContain('the-deploy-secret');
});

test('a denied CLI gets nothing and says the app refused it', async ({ app }) => {
  const { page } = app;
  await createVaultFast(page);
  const env: NodeJS.ProcessEnv = { ...process.env, KEYHOLD_APP_SOCKET: app.appSocket };
  delete env.KEYHOLD_PASSWORD;
  const run = runCli(['--vault', app.vaultPath, 'key', 'list', '--json'], env);
  const dialog = page.getByRole('dialog', { name: 'Allow a program to use the vault?' });
  await expect(dialog).toBeVisible({ timeout: 30_000 });
  await dialog.getByRole('button', { name: 'Deny' }).click();
  const result = await run;
  expect(result.code).not.toBe(0);
  expect(result.stdout).toBe('');
  expect(result.stderr).toMatch(/refused this program/);
});
