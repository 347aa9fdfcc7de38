// Needs attention against the emulators: Rancher keys dated 120 days back on the platform and a
// GitHub key registered behind Keyhold's back; the policy form (a bad value refused in words), the
// view with its sidebar counts, and rotating what is due with its progress.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { startGithub, type GithubEmulator } from '../emulators/github';
import { startRancher, type RancherEmulator } from '../emulators/rancher';
import { ROOT, expect, test } from './fixtures';
import { createVaultFast, expectAccessible, invoke } from './flows';

const SHOTS = join(ROOT, 'e2e', 'screenshots');
const DAY = 86_400_000;
let rancher: RancherEmulator;
let github: GithubEmulator;
test.beforeAll(async () => {
  [rancher, github] = await Promise.all([startRancher(), startGithub()]);
});
test.afterAll(async () => {
  await Promise.all([rancher?.close(), github?.close()]);
});

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

test('the attention view, the policy form and rotating what is due', async ({ app }) => {
  test.setTimeout(120_000);
  const { page } = app;
  await createVaultFast(page);

  await test.step('keys of known ages on the platforms', async () => {
    const ra = await invoke<{ id: string }>(page, 'workspaces.add', { name: 'Rancher lab', provider: 'rancher', url: rancher.url });
    await invoke(page, 'workspaces.connect', { workspaceId: ra.id, accessKey: rancher.demo.accessKey, secretKey: rancher.demo.secretKey });
    await invoke(page, 'workspaces.sync', { id: ra.id });
    const envs = await invoke<{ id: string; name: string }[]>(page, 'environments.list', { workspaceId: ra.id });
    const env = envs.find((e) => e.name === 'Default')!;
    const made = new Set<string>();
    for (const name of ['deploy', 'backup', 'monitoring']) {
      const out = await invoke<{ key: { remoteId: string } }>(page, 'keys.create', {
        workspaceId: ra.id,
        environmentId: env.id,
        kind: 'access_key_pair',
        name,
      });
      made.add(out.key.remoteId);
    }
    const old = new Date(Date.now() - 120 * DAY).toISOString().replace(/\.\d+Z$/, 'Z');
    for (const k of rancher.state.keys.values()) if (made.has(k.id)) k.created = old;
    await invoke(page, 'workspaces.sync', { id: ra.id });

    const gh = await invoke<{ id: string }>(page, 'workspaces.add', { name: 'GitHub', provider: 'github', url: github.url });
    await invoke(page, 'workspaces.connect', { workspaceId: gh.id, token: github.demo.token });
    github.state.addKey(
      github.demo.login,
      'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl',
      'old laptop',
      {
        createdAt: new Date(Date.now() - 400 * DAY),
        lastUsed: new Date(Date.now() - 200 * DAY),
      },
    );
    await invoke(page, 'workspaces.sync', { id: gh.id });
    await page.reload();
  });

  const view = page.getByTestId('attention-view');
  await test.step('the policy form: a zero age is refused in words, 90 days is saved', async () => {
    await page.getByTestId('nav-attention').click();
    await expect(view.getByTestId('attention-unknown')).toContainText('old laptop');
    await expect(view.getByTestId('attention-unused')).toContainText('old laptop');
    await expect(view.getByTestId('attention-due')).toHaveCount(0);
    const form = view.getByTestId('policy-form');
    await form.getByLabel('Workspace').selectOption({ label: 'Rancher lab' });
    await form.getByLabel('Maximum age (days)').fill('0');
    await form.getByRole('button', { name: 'Save policy' }).click();
    await expect(form.getByTestId('error')).toHaveAttribute('data-code', 'USAGE');
    await form.getByLabel('Maximum age (days)').fill('90');
    await form.getByLabel('Warn before (days)').fill('14');
    await form.getByRole('button', { name: 'Save policy' }).click();
    await expect(form.getByTestId('policy-item')).toHaveText(/Rancher lab.*due after 90 days, warned 14 days before/);
    await expect(form.getByTestId('error')).toHaveCount(0);
    await form.scrollIntoViewIfNeeded();
    await shot(page, 'attention-policy-form');
  });

  await test.step('the view lists the due keys, the unknown and the unused one; the sidebar counts them', async () => {
    const due = view.getByTestId('attention-due');
    await expect(due.getByTestId('attention-row')).toHaveCount(3);
    await expect(due).toContainText("120 days (the platform's date)");
    await expect(page.getByTestId('attention-counts')).toContainText('3 due');
    await expectAccessible(page, 'attention view');
    await shot(page, 'attention-view');
  });

  await test.step('rotate what is due: progress, then nothing due', async () => {
    rancher.faults.latencyMs = 150;
    await view.getByTestId('rotate-due').click();
    const dialog = page.getByRole('dialog', { name: 'Rotate what is due' });
    await dialog.getByRole('button', { name: 'Rotate 3 due keys' }).click();
    await expect(dialog.getByRole('progressbar')).toHaveAttribute('aria-valuemax', '3');
    await shot(page, 'attention-rotate-progress');
    await expect(dialog.getByTestId('rotate-due-summary')).toContainText('3 rotated, 0 failed', { timeout: 60_000 });
    rancher.faults.latencyMs = 0;
    await shot(page, 'attention-rotate-done');
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();
    await expect(view.getByTestId('attention-due')).toHaveCount(0);
    await expect(page.getByTestId('attention-counts')).not.toContainText('due');
  });

  await test.step('a key registered outside Keyhold, once acknowledged, leaves the list', async () => {
    await view.getByTestId('attention-unknown').getByRole('button', { name: 'I know this key' }).click();
    await expect(view.getByTestId('attention-unknown')).toHaveCount(0);
    await expect(view.getByTestId('attention-unused')).toContainText('old laptop');
  });

  await test.step("a key's page tells its age and where it counts from", async () => {
    await view.getByTestId('attention-unused').getByRole('button', { name: 'old laptop' }).click();
    const age = page.getByTestId('key-detail').getByTestId('key-age');
    await expect(age).toContainText("400 days (the platform's date)");
    await expect(page.getByTestId('key-detail')).toContainText('Last used');
  });
});
