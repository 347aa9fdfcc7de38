// In the desktop app a path to read or write comes from main's own file dialog: a raw path from
// the renderer is refused, and a dialog's token works only for its purpose and its path.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMemoryPlatform } from '../platform/memory';
import type { Dialogs } from '../platform/types';
import type { ServiceContext } from '../service/context';
import { FLOOR_KDF, tempDir } from '../vault/test-vault.testkit';
import { createRouter } from './router.testkit';
import { createHandlers } from './handlers';
import { VaultManager } from '../service/vault-manager';

const PW = 'master password for grants';

/** The desktop app (harness electron) with dialogs that answer `answer()`. */
async function desktopApp(answer: () => string) {
  const dir = tempDir('keyhold-grants-');
  const dialogs: Dialogs = { showOpenFile: async () => answer(), showSaveFile: async () => answer() };
  const ctx: ServiceContext = {
    vaultPath: join(dir, 'app.keyhold'),
    harness: 'electron',
    platform: { ...createMemoryPlatform(), dialogs },
    emit: () => undefined,
  };
  const vault = new VaultManager(ctx);
  const router = createRouter(createHandlers(ctx, vault));
  await vault.create(PW, { kdf: FLOOR_KDF });
  const invoke = async (channel: string, input: unknown) => {
    const r = await router.invoke(channel, input);
    return r.ok
      ? { ok: true as const, value: r.value as Record<string, unknown> }
      : { ok: false as const, code: r.error.code, message: r.error.message };
  };
  return { dir, vault, invoke };
}

describe('file capabilities (desktop app)', () => {
  it('a raw path from the renderer is refused: a backup cannot be written to ~/.bashrc', async () => {
    const { dir, invoke, vault } = await desktopApp(() => '/unused');
    const target = join(dir, '.bashrc');
    writeFileSync(target, 'echo hello\n');
    const r = await invoke('vault.backup', { path: target, passphrase: 'backup passphrase' });
    expect(r).toMatchObject({ ok: false, code: 'INVALID_INPUT', message: expect.stringMatching(/file dialog/) });
    expect(readFileSync(target, 'utf8')).toBe('echo hello\n');
    const key = await invoke('keys.import', { name: 'k', path: '/etc/ssh/ssh_host_ed25519_key' });
    expect(key).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    vault.dispose();
  });

  it("a save dialog's token writes the chosen file; it does not serve to read, nor for another path", async () => {
    const dir = tempDir('keyhold-grants-target-');
    const chosen = join(dir, 'backup.khb');
    const { invoke, vault } = await desktopApp(() => chosen);
    const save = await invoke('desktop.saveFile', { title: 'Back up to' });
    expect(save).toMatchObject({ ok: true, value: { path: chosen, token: expect.any(String) } });
    const token = String(save.ok && save.value.token);

    // the token for another path: refused, nothing written there
    const other = join(dir, 'other.khb');
    expect(await invoke('vault.backup', { path: other, token, passphrase: 'backup passphrase' })).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
    });
    expect(existsSync(other)).toBe(false);
    // a save token to read a key file: refused
    expect(await invoke('keys.import', { name: 'k', path: chosen, token })).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/to write, not to read/),
    });
    // its own purpose and path: written
    expect(await invoke('vault.backup', { path: chosen, token, passphrase: 'backup passphrase' })).toMatchObject({ ok: true });
    expect(existsSync(chosen)).toBe(true);

    // an open dialog's token does not serve to write
    const open = await invoke('desktop.openFile', { title: 'Import key file' });
    const openToken = String(open.ok && open.value.token);
    expect(await invoke('vault.backup', { path: chosen, token: openToken, passphrase: 'backup passphrase', force: true })).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
    });
    // a made-up token: refused
    expect(await invoke('vault.backup', { path: chosen, token: 'made-up', passphrase: 'backup passphrase', force: true })).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
    });

    // a lock ends every grant given while the vault was open
    vault.lock('explicit');
    await vault.unlock(PW);
    expect(await invoke('vault.backup', { path: chosen, token, passphrase: 'backup passphrase', force: true })).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/expired/),
    });
    vault.dispose();
  });
});
