import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRouter } from '../router.testkit';
import { createMemoryPlatform } from '../../platform/memory';
import type { Dialogs, Platform } from '../../platform/types';
import { FLOOR_KDF, tempDir } from '../../vault/test-vault.testkit';
import type { ServiceContext } from '../../service/context';
import { FileGrants } from '../file-grants';
import { desktopHandlers } from './desktop';
import { remoteSession } from './remote-session';
import { vaultHandlers } from './vault';
import { DesktopAgent } from '../../service/agent-desktop';
import { createHandlers } from '.';
import { VaultManager } from '../../service/vault-manager';
import { createBridgeApprovals } from '../../service/app-bridge';

function setup(platform: Platform = createMemoryPlatform()) {
  const ctx: ServiceContext = { vaultPath: '/nonexistent/vault.keyhold', harness: 'bridge', platform, emit: () => undefined };
  const router = createRouter(createHandlers(ctx));
  return { router, invoke: (channel: string, input: unknown) => router.invoke(channel, input) };
}

/** A desktop whose dialogs answer what the test scripts, and remember what they were asked. */
function scriptedDesktop(answer: string | null) {
  const asked: unknown[] = [];
  const dialogs: Dialogs = {
    showOpenFile: async (o) => (asked.push(o), answer),
    showSaveFile: async (o) => (asked.push(o), answer),
  };
  return { platform: { ...createMemoryPlatform(), dialogs }, asked };
}

describe('desktop.openExternal', () => {
  it('opens an https address through the platform', async () => {
    const platform = createMemoryPlatform();
    const r = await setup(platform).invoke('desktop.openExternal', { url: 'https://app.encord.com/settings/public-keys' });
    expect(r).toEqual({ ok: true, value: { opened: true } });
    expect(platform.opened).toEqual(['https://app.encord.com/settings/public-keys']);
  });

  it.each([
    ['plain http', 'http://app.encord.com/'],
    ['file', 'file:///etc/passwd'],
    ['javascript', 'javascript:alert(1)'],
    ['a custom scheme', 'keyhold://unlock'],
    ['data', 'data:text/html,<script>1</script>'],
    ['not an address', 'app.encord.com/settings'],
    ['credentials in the address', 'https://user:secret@app.encord.com/'],
  ])('refuses %s with INVALID_INPUT and opens nothing', async (_what, url) => {
    const platform = createMemoryPlatform();
    const r = await setup(platform).invoke('desktop.openExternal', { url });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('INVALID_INPUT');
      expect(r.error.message).not.toContain('secret');
    }
    expect(platform.opened).toEqual([]);
  });

  it('refuses an empty address at the schema', async () => {
    const r = await setup().invoke('desktop.openExternal', { url: '' });
    expect(r.ok ? 'ok' : r.error.code).toBe('INVALID_INPUT');
  });
});

describe('desktop.openFile / desktop.saveFile', () => {
  it('answer null without a desktop (the CLI and the e2e bridge)', async () => {
    const t = setup();
    expect(await t.invoke('desktop.openFile', { title: 'Restore from' })).toEqual({ ok: true, value: { path: null, token: null } });
    expect(await t.invoke('desktop.saveFile', { title: 'Back up to', defaultPath: 'keyhold.khb' })).toEqual({
      ok: true,
      value: { path: null, token: null },
    });
  });

  it('answer null when the user cancels the dialog', async () => {
    const { platform } = scriptedDesktop(null);
    const t = setup(platform);
    expect(await t.invoke('desktop.openFile', { title: 'Import key file' })).toEqual({ ok: true, value: { path: null, token: null } });
    expect(await t.invoke('desktop.saveFile', { title: 'Export to' })).toEqual({ ok: true, value: { path: null, token: null } });
  });

  it('pass title, default name and filters to the dialog and answer the chosen path', async () => {
    const { platform, asked } = scriptedDesktop('/home/admin/backup.khb');
    const t = setup(platform);
    const filters = [{ name: 'Keyhold backup', extensions: ['khb'] }];
    expect(await t.invoke('desktop.saveFile', { title: 'Back up to', defaultPath: 'keyhold.khb', filters })).toEqual({
      ok: true,
      value: { path: '/home/admin/backup.khb', token: expect.any(String) },
    });
    expect(asked).toEqual([{ title: 'Back up to', defaultPath: 'keyhold.khb', filters }]);
  });

  it('refuse malformed filters before any dialog opens', async () => {
    const { platform, asked } = scriptedDesktop('/x');
    const t = setup(platform);
    for (const filters of [[{ name: 'x', extensions: ['.khb'] }], [{ name: 'x', extensions: [] }], [{ name: '', extensions: ['khb'] }]]) {
      const r = await t.invoke('desktop.openFile', { title: 'Open', filters });
      expect(r.ok ? 'ok' : r.error.code).toBe('INVALID_INPUT');
    }
    expect(asked).toEqual([]);
  });

  it("are what the desktop namespace serves; vault.activity is the vault namespace's", () => {
    const ctx: ServiceContext = { vaultPath: '/x', harness: 'cli', platform: createMemoryPlatform(), emit: () => undefined };
    const vault = new VaultManager(ctx);
    const deps = {
      ctx,
      vault,
      remote: remoteSession(ctx, vault),
      approvals: createBridgeApprovals(ctx),
      agent: new DesktopAgent(ctx, vault),
      grants: new FileGrants(ctx.harness, () => vault.peek()),
    };
    expect(Object.keys(desktopHandlers(deps)).sort()).toEqual(['desktop.openExternal', 'desktop.openFile', 'desktop.saveFile']);
    expect(Object.keys(vaultHandlers(deps))).toContain('vault.activity');
  });
});

describe('vault.activity', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('restarts the auto-lock timer, so reading or moving the mouse keeps the vault open', async () => {
    const dir = tempDir('keyhold-activity-');
    const events: unknown[] = [];
    const ctx: ServiceContext = {
      vaultPath: join(dir, 'v.keyhold'),
      harness: 'bridge',
      platform: createMemoryPlatform(),
      emit: (_n, p) => void events.push(p),
    };
    const vault = new VaultManager(ctx);
    const router = createRouter(createHandlers(ctx, vault));
    expect((await router.invoke('vault.create', { password: 'desktop activity pw', kdf: FLOOR_KDF })).ok).toBe(true);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    expect((await router.invoke('vault.settings.set', { autoLockMinutes: 1 })).ok).toBe(true);
    vi.advanceTimersByTime(50_000);
    expect(await router.invoke('vault.activity', {})).toEqual({ ok: true, value: {} });
    vi.advanceTimersByTime(50_000);
    expect(vault.status().state).toBe('unlocked');
    vi.advanceTimersByTime(11_000);
    expect(vault.status().state).toBe('locked');
    expect(events.at(-1)).toEqual({ reason: 'idle' });
    vault.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is a quiet no-op while locked (no LOCKED error, nothing unlocked)', async () => {
    const t = setup();
    expect(await t.invoke('vault.activity', {})).toEqual({ ok: true, value: {} });
    expect(await t.invoke('vault.status', {})).toMatchObject({ ok: true, value: { state: 'absent' } });
  });

  it('takes no input', async () => {
    const r = await setup().invoke('vault.activity', { minutes: 5 });
    expect(r.ok ? 'ok' : r.error.code).toBe('INVALID_INPUT');
  });
});
