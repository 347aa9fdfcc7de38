// The desktop agent through IPC: started at the first unlock, a confirm key's approval answered
// through agent.answer, a request while locked announced to the renderer and going on after the
// unlock, the per-key settings channel, and the agentEnabled setting stopping it.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { EventName } from '../../api';
import { run } from '../../agent/ssh-tools.testkit';
import { SSH_KEYGEN } from '../../keys/openssh-tools.testkit';
import { createMemoryPlatform } from '../../platform/memory';
import type { ServiceContext } from '../../service/context';
import { VaultManager } from '../../service/vault-manager';
import { FLOOR_KDF, tempDir } from '../../vault/test-vault.testkit';
import { createRouter } from '../router.testkit';
import { createHandlers } from '.';

const PW = 'desktop master password';
const dir = tempDir('keyhold-ipc-agent-');
const socketPath = join(dir, 'agent.sock');
const events: Array<{ name: EventName; payload: unknown }> = [];
const ctx: ServiceContext = {
  vaultPath: join(dir, 'app.keyhold'),
  harness: 'bridge',
  platform: createMemoryPlatform(),
  emit: (name, payload) => events.push({ name, payload }),
  agent: { socketPath },
};
const vault = new VaultManager(ctx);
const router = createRouter(createHandlers(ctx, vault));
const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, SSH_AUTH_SOCK: socketPath };

async function call<T = unknown>(channel: string, input: unknown = {}): Promise<T> {
  const r = await router.invoke(channel, input);
  if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code });
  return r.value as T;
}

async function until<T>(what: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await what();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

function eventsNamed<T>(name: EventName): T[] {
  return events.filter((e) => e.name === name).map((e) => e.payload as T);
}

let pubPath = '';
function sign(): Promise<number> {
  const file = join(dir, `m-${Math.random().toString(36).slice(2)}`);
  writeFileSync(file, 'data\n');
  return run(SSH_KEYGEN, ['-Y', 'sign', '-n', 'file', '-f', pubPath, file], env).then((r) => r.status);
}

afterAll(async () => {
  await call('vault.settings.set', { agentEnabled: false }).catch(() => undefined);
  vault.dispose();
});

describe('the desktop agent', () => {
  it('starts at the first unlock and asks the renderer to approve a confirm key', async () => {
    await call('vault.create', { password: PW, kdf: FLOOR_KDF });
    const status = await until(async () => {
      const s = await call<{ running: boolean; socket: string | null }>('agent.status');
      return s.running ? s : undefined;
    });
    expect(status.socket).toBe(socketPath);
    const key = await call<{ id: string; public: string }>('keys.generate', { name: 'laptop', comment: 'me@laptop' });
    pubPath = join(dir, 'laptop.pub');
    writeFileSync(pubPath, `${key.public}\n`);
    expect(await call('agent.key', { id: key.id })).toMatchObject({
      settings: { agent: 'confirm', agentHosts: [], agentForwarding: 'deny' },
      uses: [],
    });

    const signing = sign();
    const [asked] = await until(() => {
      const a = eventsNamed<{ id: string; comment: string; program?: string }>('agent.approvalRequested');
      return a.length ? a : undefined;
    });
    expect(asked).toMatchObject({ comment: 'me@laptop' });
    expect(await call('agent.pending')).toEqual([asked]);
    expect(await call('agent.answer', { id: asked!.id, choice: 'once' })).toEqual({ answered: true });
    expect(await signing).toBe(0);
    expect(await call('agent.answer', { id: asked!.id, choice: 'once' })).toEqual({ answered: false });
    expect(eventsNamed<{ id: string }>('agent.approvalClosed')).toContainEqual({ id: asked!.id });

    const uses = await until(async () => {
      const k = await call<{ uses: { decision: string }[] }>('agent.key', { id: key.id });
      return k.uses.length ? k.uses : undefined;
    });
    expect(uses[0]).toMatchObject({ decision: 'allowed', reason: 'approved' });
  });

  it('while locked lists the key, and a signature asks to unlock and goes on after it', async () => {
    const [key] = (await call<{ items: { id: string }[] }>('keys.list', {})).items;
    await call('agent.key.set', { id: key!.id, agent: 'on' });
    await call('vault.lock');
    const listed = await run('/usr/bin/ssh-add', ['-l'], env);
    expect(listed.stdout).toContain('me@laptop');
    const signing = sign();
    await until(() => (eventsNamed('agent.unlockRequested').length ? true : undefined));
    await call('vault.unlock', { password: PW });
    expect(await signing).toBe(0);
  });

  it('stops, and removes its socket, when agentEnabled goes off', async () => {
    await call('vault.settings.set', { agentEnabled: false });
    await until(async () => ((await call<{ running: boolean }>('agent.status')).running ? undefined : true));
    expect(existsSync(socketPath)).toBe(false);
  });

  it('stops, and removes its socket, when the app disposes of its vault (quit, or a harness closing)', async () => {
    await call('vault.settings.set', { agentEnabled: true });
    await until(async () => (await call<{ running: boolean }>('agent.status')).running);
    expect(existsSync(socketPath)).toBe(true);
    vault.dispose();
    await until(() => !existsSync(socketPath));
    expect(await call<{ running: boolean }>('agent.status')).toMatchObject({ running: false });
  });
});
