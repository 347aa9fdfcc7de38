import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, ROOT, test } from './fixtures';

const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };

test('the shell shows the app version and vault state from the real router', async ({ app }) => {
  await expect(app.page.getByTestId('app-version')).toHaveText(version);
  await expect(app.page.getByTestId('vault-state')).toHaveAttribute('data-state', 'absent');
  await app.screenshot('shell');
});

test('an invalid payload is refused with a clear error code', async ({ app }) => {
  const result = await app.page.evaluate(() => window.keyhold.invoke('vault.status', { unexpected: 'field' }));
  expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  const unknown = await app.page.evaluate(() => window.keyhold.invoke('no.such.channel', {}));
  expect(unknown).toMatchObject({ ok: false, error: { code: 'USAGE' } });
});
