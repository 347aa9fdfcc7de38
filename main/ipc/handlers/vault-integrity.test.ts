// The desktop app's side of the whole-vault defences: the change-password form's rekey, and an
// older copy of the vault refused at unlock until the user accepts it (the unlock screen's button).
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMemoryPlatform } from '../../platform/memory';
import type { ServiceContext } from '../../service/context';
import { VaultManager } from '../../service/vault-manager';
import { FLOOR_KDF, tempDir } from '../../vault/test-vault.testkit';
import { createRouter } from '../router.testkit';
import { createHandlers } from '.';

const PW = 'desktop master password';

function app() {
  const dir = tempDir('keyhold-ipc-integrity-');
  const ctx: ServiceContext = {
    vaultPath: join(dir, 'app.keyhold'),
    configDir: join(dir, 'config'),
    harness: 'bridge',
    platform: createMemoryPlatform(),
    emit: () => undefined,
  };
  const vault = new VaultManager(ctx);
  const router = createRouter(createHandlers(ctx, vault));
  const invoke = async (channel: string, input: unknown = {}) => {
    const r = await router.invoke(channel, input);
    return r.ok ? { ok: true as const, value: r.value } : { ok: false as const, code: r.error.code, message: r.error.message };
  };
  return { dir, ctx, vault, invoke };
}

describe('vault integrity through IPC', () => {
  it('vault.changePassword with rekey re-seals the vault: the new password opens it and every secret reads back', async () => {
    const t = app();
    await t.vault.create(PW, { kdf: FLOOR_KDF });
    const key = t.vault.session().addKey({ kind: 'api_key', name: 'k', secret: 'kept through the rekey' });
    expect(await t.invoke('vault.changePassword', { currentPassword: PW, newPassword: 'a new master password', rekey: true })).toEqual({
      ok: true,
      value: { changed: true },
    });
    t.vault.lock('explicit');
    expect(await t.invoke('vault.unlock', { password: PW })).toMatchObject({ ok: false, code: 'WRONG_PASSWORD' });
    expect(await t.invoke('vault.unlock', { password: 'a new master password' })).toMatchObject({ ok: true });
    expect(t.vault.session().readSecret(key.id)).toBe('kept through the rekey');
    expect(
      t.vault
        .session()
        .listAudit()
        .map((e) => e.detail),
    ).toContain('new vault key: every value re-sealed (passwd --rekey)');
    t.vault.dispose();
  });

  it('an older copy is INTEGRITY at vault.unlock, and opens with acceptRollback', async () => {
    const t = app();
    await t.vault.create(PW, { kdf: FLOOR_KDF });
    t.vault.lock('explicit');
    const old = join(t.dir, 'old.keyhold');
    copyFileSync(t.ctx.vaultPath, old);
    await t.vault.unlock(PW);
    t.vault.session().addKey({ kind: 'api_key', name: 'newer', secret: 's' });
    t.vault.lock('explicit');
    copyFileSync(old, t.ctx.vaultPath);
    const refused = await t.invoke('vault.unlock', { password: PW });
    expect(refused).toMatchObject({ ok: false, code: 'INTEGRITY', message: expect.stringContaining('--accept-rollback') });
    expect(await t.invoke('vault.unlock', { password: PW, acceptRollback: true })).toMatchObject({
      ok: true,
      value: { state: 'unlocked' },
    });
    t.vault.dispose();
  });
});
