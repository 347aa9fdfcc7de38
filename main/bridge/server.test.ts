// The CLI through the running app, end to end in Node: the app's VaultManager and service layer,
// the real socket, the real `keyhold` run as child processes of real shells, a fake approval.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryPlatform } from '../platform/memory';
import { addKey } from '../service/keys';
import { VaultManager } from '../service/vault-manager';
import { TEST_PASSWORD, newTestVault } from '../vault/test-vault.testkit';
import { startAppBridge, type AppBridge, type Approval, type ApprovalRequest } from './server';

const ROOT = join(__dirname, '..', '..');
const KEYHOLD = `'${process.execPath}' --import tsx '${join(__dirname, '..', 'cli.ts')}'`;

/** A long-lived shell: the parent process of every keyhold it runs, as a terminal's shell is. */
class Shell {
  private readonly proc: ChildProcessWithoutNullStreams;
  private out = '';
  private seq = 0;
  constructor(env: NodeJS.ProcessEnv) {
    this.proc = spawn('sh', [], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stdout.on('data', (c: Buffer) => (this.out += c.toString()));
    this.proc.stderr.on('data', (c: Buffer) => (this.out += c.toString()));
  }
  /** Runs one command line (keyhold as a child of this shell: never exec'd in its place). */
  run(line: string): Promise<{ code: number; output: string }> {
    const marker = `__done_${++this.seq}__`;
    const start = this.out.length;
    this.proc.stdin.write(`${line} 2>&1; echo "${marker} $?"\n`);
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const m = new RegExp(`${marker} (\\d+)\\n`).exec(this.out.slice(start));
        if (!m) return;
        this.proc.stdout.off('data', check);
        this.proc.off('exit', onExit);
        resolve({ code: Number(m[1]), output: this.out.slice(start, start + m.index) });
      };
      const onExit = (): void => reject(new Error(`shell exited: ${this.out.slice(start)}`));
      this.proc.stdout.on('data', check);
      this.proc.once('exit', onExit);
      check();
    });
  }
  close(): void {
    this.proc.stdin.end();
  }
}

describe('the CLI through the running app', () => {
  let dir: string;
  let vaultPath: string;
  let socketPath: string;
  let manager: VaultManager;
  let bridge: AppBridge;
  let answer: Approval;
  let asked: ApprovalRequest[];
  /** session() counts as activity: only approved callers may cause it */
  let sessionCalls = 0;
  let env: NodeJS.ProcessEnv;
  const shells: Shell[] = [];
  const shell = (): Shell => {
    const s = new Shell(env);
    shells.push(s);
    return s;
  };
  const kh = (args: string) => `${KEYHOLD} --vault '${vaultPath}' ${args}`;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'keyhold-bridge-'));
    const made = await newTestVault(dir);
    vaultPath = made.path;
    const ws = made.session.addWorkspace({ name: 'acme', provider: 'local' });
    addKey(made.session, { workspaceId: ws.id, kind: 'api_key', name: 'deploy-key', secret: 'the-deploy-secret' });
    made.session.lock();
    manager = new VaultManager({ vaultPath, harness: 'bridge', platform: createMemoryPlatform(), emit: () => undefined });
    await manager.unlock(TEST_PASSWORD);
    socketPath = join(dir, 'app', 'app.sock');
    bridge = await startAppBridge({
      socketPath,
      vault: {
        path: vaultPath,
        status: () => manager.status(),
        session: () => {
          sessionCalls++;
          return manager.session();
        },
        onUnlock: (fn) => manager.onUnlock(fn),
      },
      approve: async (request) => {
        asked.push(request);
        return answer;
      },
    });
    env = { ...process.env, KEYHOLD_APP_SOCKET: socketPath };
    delete env.KEYHOLD_PASSWORD;
    delete env.KEYHOLD_NO_APP;
  }, 60_000);

  beforeEach(async () => {
    asked = [];
    sessionCalls = 0;
    answer = 'allow-until-lock';
    if (manager.status().state !== 'unlocked') await manager.unlock(TEST_PASSWORD);
  });

  afterAll(async () => {
    for (const s of shells) s.close();
    await bridge.close();
    manager.dispose();
  });

  it('listens on a 0600 socket in a 0700 folder', () => {
    expect(statSync(socketPath).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'app')).mode & 0o777).toBe(0o700);
  });

  it('runs the command without a password once the program is approved, and asks once until lock', async () => {
    const sh = shell();
    const first = await sh.run(kh('--json key show deploy-key --reveal'));
    expect(first.code, first.output).toBe(0);
    expect(JSON.parse(first.output)).toMatchObject({ name: 'deploy-key', secret: 'the-deploy-secret' });
    expect(asked).toHaveLength(1);
    expect(asked[0]!.command).toBe('key show');
    expect(asked[0]!.caller.script).toMatch(/main\/cli\.ts$/);
    expect(asked[0]!.caller.parent?.program).toMatch(/sh$/);
    expect(asked[0]!.description).toContain(`pid ${asked[0]!.caller.parent!.pid}`);

    const second = await sh.run(kh('key list'));
    expect(second.code, second.output).toBe(0);
    expect(second.output).toContain('deploy-key');
    expect(asked).toHaveLength(1);

    // a lock ends every "allow until lock": the same shell is asked again after the next unlock
    manager.lock();
    await manager.unlock(TEST_PASSWORD);
    const third = await sh.run(kh('key list'));
    expect(third.code, third.output).toBe(0);
    expect(asked).toHaveLength(2);
  }, 60_000);

  it('asks again for a second program (another shell)', async () => {
    const a = shell();
    const b = shell();
    expect((await a.run(kh('key list'))).code).toBe(0);
    expect((await b.run(kh('key list'))).code).toBe(0);
    expect(asked).toHaveLength(2);
    expect(asked[0]!.caller.parent!.pid).not.toBe(asked[1]!.caller.parent!.pid);
  }, 60_000);

  it('is refused (LOCKED, exit 8) when the user denies, and asks again next time', async () => {
    answer = 'deny';
    const sh = shell();
    const r = await sh.run(kh('key show deploy-key --reveal'));
    expect(r.code).toBe(8);
    expect(r.output).toContain('refused this program');
    expect(r.output).not.toContain('the-deploy-secret');
    expect((await sh.run(kh('key list'))).code).toBe(8);
    expect(asked).toHaveLength(2);
    // a refused caller never touched the vault, so it cannot keep it from auto-locking
    expect(sessionCalls).toBe(0);
  }, 60_000);

  it('is refused (LOCKED, exit 8) without asking while the app is locked', async () => {
    manager.lock();
    const r = await shell().run(kh('--json key list'));
    expect(r.code).toBe(8);
    expect(r.output).toContain('"LOCKED"');
    expect(asked).toHaveLength(0);
  }, 60_000);

  it('"allow once" runs one command and asks for the next', async () => {
    answer = 'allow-once';
    const sh = shell();
    expect((await sh.run(kh('key list'))).code).toBe(0);
    expect((await sh.run(kh('key list'))).code).toBe(0);
    expect(asked).toHaveLength(2);
  }, 60_000);

  it("starts exec's command on the CLI side with the resolved secret in its environment", async () => {
    const r = await shell().run(kh(`exec --env TOKEN=keyhold://acme/deploy-key -- sh -c 'printf "%s" "$TOKEN"; echo " parent=$PPID"'`));
    expect(r.code, r.output).toBe(0);
    expect(r.output).toMatch(/^the-deploy-secret parent=\d+/);
  }, 60_000);

  it('relays standard input to a command that reads a secret from it', async () => {
    const sh = shell();
    const added = await sh.run(
      `printf 'piped-secret\\n' | ${kh('--json key add --workspace acme --kind api_key --name piped --secret-stdin')}`,
    );
    expect(added.code, added.output).toBe(0);
    expect(JSON.parse(added.output)).toMatchObject({ name: 'piped', hasSecret: true });
    const shown = await sh.run(kh('--json key show acme/piped --reveal'));
    expect(JSON.parse(shown.output)).toMatchObject({ secret: 'piped-secret' });
    expect(asked).toHaveLength(1);
  }, 60_000);

  it('gives completion the names only for a shell already approved, never asking and never a secret', async () => {
    const approvedShell = shell();
    expect((await approvedShell.run(kh('key list'))).code).toBe(0);
    expect(asked).toHaveLength(1);
    // completion runs keyhold from a subshell of the approved shell
    const names = await approvedShell.run(`(${kh('__names keys')}; true)`);
    expect(names.code).toBe(0);
    expect(names.output.split('\n')).toContain('deploy-key');
    expect(names.output).not.toContain('secret');
    const workspaces = await approvedShell.run(`(${kh('__names workspaces')}; true)`);
    expect(workspaces.output).toBe('acme\n');
    const before = sessionCalls;
    const stranger = await shell().run(kh('__names keys'));
    expect(stranger).toEqual({ code: 0, output: '' });
    expect(sessionCalls).toBe(before);
    manager.lock();
    expect(await approvedShell.run(`(${kh('__names keys')}; true)`)).toEqual({ code: 0, output: '' });
    expect(asked).toHaveLength(1);
  }, 60_000);

  it('with a password given, or without an app listening, unlocks on its own as before', async () => {
    const sh = shell();
    const withPassword = await sh.run(`KEYHOLD_PASSWORD='${TEST_PASSWORD}' ${kh('key list')}`);
    expect(withPassword.code, withPassword.output).toBe(0);
    const noApp = await sh.run(`KEYHOLD_APP_SOCKET='${join(dir, 'none.sock')}' KEYHOLD_PASSWORD='${TEST_PASSWORD}' ${kh('key list')}`);
    expect(noApp.code, noApp.output).toBe(0);
    expect(noApp.output).toContain('deploy-key');
    expect(asked).toHaveLength(0);
  }, 60_000);
});
