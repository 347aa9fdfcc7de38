// The desktop app's CLI socket as main wires it: the real VaultManager and handlers, the real
// socket and caller identification, the CLI's own client (main/cli/app-client.ts) in this process,
// and a fake renderer that sees `bridge.approval.requested` and answers through `bridge.answer`.
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BridgeAnswer, BridgeApprovalRequest, EventName, EventPayload } from '../api';
import type { AppBridge } from '../bridge/server';
import { runThroughApp } from '../cli/app-client';
import type { CliStreams } from '../cli/io';
import { createHandlers } from '../ipc/handlers';
import { createRouter } from '../ipc/router.testkit';
import type { Router } from '../ipc/router';
import { createMemoryPlatform } from '../platform/memory';
import { TEST_PASSWORD, newTestVault, tempDir } from '../vault/test-vault.testkit';
import { createBridgeApprovals, startDesktopBridge, type BridgeApprovals } from './app-bridge';
import type { ServiceContext } from './context';
import { addKey } from './keys';
import { VaultManager } from './vault-manager';

/** What the renderer does with a question: answer it (after the request is seen) or leave it. */
type RendererMove = BridgeAnswer | 'ignore';

describe('the app socket as the desktop app runs it', () => {
  let vaultPath: string;
  let socketPath: string;
  let platform: ReturnType<typeof createMemoryPlatform>;
  let vault: VaultManager;
  let approvals: BridgeApprovals;
  let router: Router;
  let bridge: AppBridge;
  let move: RendererMove;
  let requests: BridgeApprovalRequest[];
  let closed: Array<EventPayload<'bridge.approval.closed'>>;
  let answers: Array<{ accepted: boolean }>;

  const TIMEOUT_MS = 400;

  beforeAll(async () => {
    const dir = tempDir('keyhold-app-bridge-');
    const made = await newTestVault(dir);
    vaultPath = made.path;
    const ws = made.session.addWorkspace({ name: 'acme', provider: 'local' });
    addKey(made.session, { workspaceId: ws.id, kind: 'api_key', name: 'deploy-key', secret: 'the-deploy-secret' });
    made.session.lock();
    socketPath = join(dir, 'app', 'app.sock');
    platform = createMemoryPlatform();
    // the fake renderer: main's events arrive here, answers go back through the router
    const emit = <E extends EventName>(name: E, payload: EventPayload<E>): void => {
      if (name === 'bridge.approval.closed') closed.push(payload as EventPayload<'bridge.approval.closed'>);
      if (name !== 'bridge.approval.requested') return;
      const request = payload as BridgeApprovalRequest;
      requests.push(request);
      if (move === 'ignore') return;
      const answer = move;
      setImmediate(() => {
        void router.invoke('bridge.answer', { id: request.id, answer }).then((r) => {
          if (!r.ok) throw new Error(r.error.message);
          answers.push(r.value as { accepted: boolean });
        });
      });
    };
    const ctx: ServiceContext = { vaultPath, harness: 'bridge', platform, emit };
    vault = new VaultManager(ctx);
    approvals = createBridgeApprovals(ctx, { timeoutMs: TIMEOUT_MS });
    router = createRouter(createHandlers(ctx, vault, approvals));
    bridge = await startDesktopBridge({ vault, approvals, socketPath });
  }, 60_000);

  beforeEach(async () => {
    move = 'allow-once';
    requests = [];
    closed = [];
    answers = [];
    if (vault.status().state !== 'unlocked') await vault.unlock(TEST_PASSWORD);
  });

  afterEach(() => approvals.refuseAll('locked'));

  afterAll(async () => {
    await bridge.close();
    vault.dispose();
  });

  /** `keyhold ARGV` as the CLI runs it when it has no password: through the app. */
  async function cli(argv: string[]): Promise<{ ran: boolean; code?: number; out: string; err: string; error?: string }> {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    let err = '';
    stdout.on('data', (c: Buffer) => (out += c.toString()));
    stderr.on('data', (c: Buffer) => (err += c.toString()));
    const stdin = new PassThrough();
    stdin.end();
    const streams: CliStreams = { stdin, stdout, stderr, env: {} };
    try {
      const r = await runThroughApp(
        socketPath,
        {
          argv,
          vault: vaultPath,
          command: argv
            .filter((a) => !a.startsWith('-'))
            .slice(0, 2)
            .join(' '),
        },
        streams,
      );
      return r.ran ? { ran: true, code: r.code, out, err } : { ran: false, out, err };
    } catch (e) {
      return { ran: false, out, err, error: (e as Error).message };
    }
  }

  it('puts the caller to the renderer, brings the window to the front, and runs the command once allowed', async () => {
    const front = platform.broughtToFront.count;
    const r = await cli(['key', 'list', '--json']);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'deploy-key' })]));
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      command: 'key list',
      commandLine: 'keyhold key list --json',
      caller: { pid: process.pid, program: process.execPath },
    });
    expect(requests[0]!.parent?.pid).toBe(process.ppid);
    expect(platform.broughtToFront.count).toBe(front + 1);
    expect(answers).toEqual([{ accepted: true }]);
    expect(closed).toEqual([{ id: requests[0]!.id, reason: 'answered' }]);
  });

  it('asks again after "allow once"', async () => {
    expect((await cli(['key', 'list'])).code).toBe(0);
    expect((await cli(['key', 'list'])).code).toBe(0);
    expect(requests).toHaveLength(2);
  });

  it('asks no more after "allow until lock", and again after a lock and unlock', async () => {
    move = 'allow-until-lock';
    expect((await cli(['key', 'list'])).code).toBe(0);
    expect((await cli(['key', 'show', 'deploy-key'])).code).toBe(0);
    expect(requests).toHaveLength(1);
    vault.lock();
    await vault.unlock(TEST_PASSWORD);
    move = 'deny';
    const r = await cli(['key', 'list']);
    expect(requests).toHaveLength(2);
    expect(r.ran).toBe(false);
    expect(r.error).toMatch(/refused/);
  });

  it('refuses the caller when the user denies, and shows nothing of the vault', async () => {
    move = 'deny';
    const r = await cli(['key', 'list', '--json']);
    expect(r).toMatchObject({ ran: false, out: '' });
    expect(r.error).toMatch(/refused this program/);
  });

  it('refuses the caller when nobody answers in time, and closes the question', async () => {
    move = 'ignore';
    const r = await cli(['key', 'list']);
    expect(r).toMatchObject({ ran: false, out: '' });
    expect(r.error).toMatch(/refused/);
    expect(closed).toEqual([{ id: requests[0]!.id, reason: 'timeout' }]);
    // a late answer changes nothing
    const late = await router.invoke('bridge.answer', { id: requests[0]!.id, answer: 'allow-until-lock' });
    expect(late).toEqual({ ok: true, value: { accepted: false } });
  });

  it('refuses an open question when the vault locks, and a locked app is a locked CLI', async () => {
    move = 'ignore';
    const pending = cli(['key', 'list']);
    await expect.poll(() => requests.length).toBe(1);
    vault.lock();
    const r = await pending;
    expect(r).toMatchObject({ ran: false, out: '' });
    expect(closed).toEqual([{ id: requests[0]!.id, reason: 'locked' }]);

    move = 'allow-once';
    const locked = await cli(['key', 'list']);
    expect(locked).toMatchObject({ ran: false, out: '' });
    expect(locked.error).toMatch(/locked/);
    expect(requests).toHaveLength(1);
  });

  it('masks password-like option values in the question', async () => {
    move = 'deny';
    await cli(['key', 'add', 'x', '--secret', 'typed-on-the-line']);
    expect(requests[0]!.commandLine).not.toContain('typed-on-the-line');
  });
});
