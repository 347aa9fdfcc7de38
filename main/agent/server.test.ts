// The socket's lifecycle: a private folder, a stale socket replaced, a live one left alone, the
// socket gone after stop; and the peer program named from the kernel's socket table.
import { mkdirSync, chmodSync, existsSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../keys/openssh-tools.testkit';
import { MemoryKeySource, RawAgentClient } from './agent.testkit';
import { askpassApprover, confirmPrompt } from './askpass';
import { identifyPeer, pidOfPeer } from './peer';
import { MSG, frame } from './protocol';
import { startAgentServer } from './server';
import { chooseSocketPlace } from './socket-path';

const tmp = makeTempDir('keyhold-agent-srv-');
afterAll(() => tmp.cleanup());
const deps = { source: new MemoryKeySource(), knownHosts: async () => [], approve: async () => false, onUse: () => undefined };

describe('the agent socket lifecycle', () => {
  it('replaces a stale socket file and removes its socket on stop', async () => {
    const run = join(tmp.dir, 'run1');
    mkdirSync(run);
    const place = await chooseSocketPlace({ XDG_RUNTIME_DIR: run });
    writeFileSync(place.path, ''); // left behind by an agent that died
    const agent = await startAgentServer({ ...deps, place });
    const c = await RawAgentClient.open(agent.path);
    c.send(frame(Buffer.from([MSG.REQUEST_IDENTITIES])));
    expect((await c.reply())?.[0]).toBe(MSG.IDENTITIES_ANSWER);
    await agent.stop();
    expect(await c.closedByAgent()).toBe(true);
    expect(existsSync(place.path)).toBe(false);
  });

  it('refuses to take over a socket another agent is serving', async () => {
    const path = join(tmp.dir, 'live.sock');
    const other = createServer(() => undefined);
    await new Promise<void>((r) => other.listen(path, r));
    await expect(startAgentServer({ ...deps, place: { path, cleanup: async () => {} } })).rejects.toMatchObject({ code: 'CONFLICT' });
    await new Promise<void>((r) => other.close(() => r()));
  });

  it('refuses a runtime folder others can enter', async () => {
    const run = join(tmp.dir, 'run2');
    mkdirSync(join(run, 'keyhold'), { recursive: true });
    chmodSync(join(run, 'keyhold'), 0o755);
    await expect(chooseSocketPlace({ XDG_RUNTIME_DIR: run })).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('falls back to a private temp folder without XDG_RUNTIME_DIR and removes it on stop', async () => {
    const agent = await startAgentServer({ ...deps, place: await chooseSocketPlace({}) });
    expect(agent.path).toMatch(/keyhold-agent-[^/]+\/agent\.sock$/);
    await agent.stop();
    expect(existsSync(join(agent.path, '..'))).toBe(false);
  });
});

describe('peer identification', () => {
  it('finds the pid whose socket has ours as its peer in ss output', () => {
    const out = [
      'u_str ESTAB 0 0 /run/user/0/keyhold/agent.sock 25154 * 25153 users:(("node",pid=10,fd=30))',
      'u_str ESTAB 0 0 * 25153 * 25154 users:(("ssh",pid=4242,fd=3))',
    ].join('\n');
    expect(pidOfPeer(out, '25154')).toBe(4242);
    expect(pidOfPeer(out, '99999')).toBeUndefined();
  });

  it('names this very process as the peer of its own connection', async () => {
    const path = join(tmp.dir, 'peer.sock');
    const seen = new Promise<string | undefined>((resolve) => {
      const srv = createServer((s) => {
        void identifyPeer(s).then((p) => {
          s.destroy();
          srv.close();
          resolve(p.program);
        });
      });
      srv.listen(path, () => void RawAgentClient.open(path));
    });
    expect(await seen).toBe(process.execPath);
  });
});

describe('askpass confirmation', () => {
  it('refuses without an askpass program and says which key, program and host in the prompt', async () => {
    const req = {
      keyFingerprint: 'SHA256:abc',
      comment: 'me@\x1b[31mhost',
      program: '/usr/bin/ssh',
      host: 'git.example.com',
      forwarded: true,
    };
    expect(await askpassApprover({ env: {} })(req)).toBe(false);
    const prompt = confirmPrompt(req);
    expect(prompt).not.toContain('\x1b');
    expect(prompt).toContain('Program: /usr/bin/ssh');
    expect(prompt).toContain('Host: git.example.com (through a forwarded agent)');
  });
});
