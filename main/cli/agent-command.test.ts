// `keyhold agent` as a real child process, driven by the real OpenSSH tools.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { askpassScript, run, SSH_ADD } from '../agent/ssh-tools.testkit';
import { makeTempDir, SSH_KEYGEN, sshKeygen } from '../keys/openssh-tools.testkit';
import { setAgentSettings } from '../service/agent-settings';
import { recentAgentUses } from '../service/agent-uses';
import { generateKeyPair } from '../service/keypairs';
import { createVault, openVault } from '../vault';
import { runKeyhold } from './harness.testkit';

const KDF = { memoryKiB: 65536, iterations: 3, parallelism: 1 };
const PASSWORD = 'correct horse';
const tmp = makeTempDir('kh-agent-cli-');
const vaultPath = join(tmp.dir, 'vault.keyhold');
const ids: Record<string, string> = {};
const pubPaths: Record<string, string> = {};
const children: ChildProcessWithoutNullStreams[] = [];

interface RunningAgent {
  child: ChildProcessWithoutNullStreams;
  socket: string;
  firstLine: string;
  stderr: () => string;
  env: NodeJS.ProcessEnv;
}

/** Starts `keyhold agent` and waits for its first line. */
async function startAgent(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<RunningAgent> {
  const cli = join(__dirname, '..', 'cli.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', cli, '--vault', vaultPath, ...args], {
    cwd: join(__dirname, '..', '..'),
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: tmp.dir, KEYHOLD_PASSWORD: PASSWORD, ...extraEnv },
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const exited = once(child, 'exit');
  while (!out.includes('\n')) {
    const r = await Promise.race([once(child.stdout, 'data'), exited.then(() => 'exit' as const)]);
    if (r === 'exit') throw new Error(`keyhold agent exited: ${err}`);
  }
  const firstLine = out.split('\n')[0]!;
  const socket = args.includes('--json')
    ? (JSON.parse(firstLine) as { socket: string }).socket
    : (/^SSH_AUTH_SOCK=(.+); export SSH_AUTH_SOCK;$/.exec(firstLine)?.[1] ?? '');
  return {
    child,
    socket,
    firstLine,
    stderr: () => err,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: tmp.dir, SSH_AUTH_SOCK: socket },
  };
}

async function stop(a: RunningAgent): Promise<number | null> {
  const exited = once(a.child, 'exit');
  a.child.kill('SIGTERM');
  const [code, signal] = (await exited) as [number | null, NodeJS.Signals | null];
  if (code === null) throw new Error(`keyhold agent died of ${signal}: ${a.stderr()}`);
  return code;
}

async function signFile(env: NodeJS.ProcessEnv, name: string): Promise<{ status: number; stderr: string; file: string }> {
  const file = join(tmp.dir, `msg-${name}-${Math.random().toString(36).slice(2)}.txt`);
  writeFileSync(file, `signed through keyhold (${name})\n`);
  const r = await run(SSH_KEYGEN, ['-Y', 'sign', '-n', 'file', '-f', pubPaths[name]!, file], env);
  return { status: r.status, stderr: r.stderr, file };
}

beforeAll(async () => {
  const s = await createVault(vaultPath, PASSWORD, { kdf: KDF });
  for (const [name, agent] of [
    ['on', 'on'],
    ['off', 'off'],
    ['confirm', 'confirm'],
    ['default', undefined],
  ] as const) {
    const rec = await generateKeyPair(s, { name, comment: `${name}@keyhold` });
    ids[name] = rec.id;
    if (agent) setAgentSettings(s, rec.id, { agent });
    pubPaths[name] = join(tmp.dir, `${name}.pub`);
    writeFileSync(pubPaths[name], `${rec.publicPart}\n`);
  }
  s.lock();
});

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  tmp.cleanup();
});

describe('keyhold key edit / show: agent settings', () => {
  it('shows the defaults (confirm, any host, forwarding denied) and changes them; empty hosts clear', async () => {
    const env = { KEYHOLD_PASSWORD: PASSWORD };
    const shown = await runKeyhold(['--vault', vaultPath, '--json', 'key', 'show', ids.default!], { env });
    expect(shown.json()).toMatchObject({ agent: 'confirm', agentHosts: [], agentForwarding: 'deny' });
    const edited = await runKeyhold(
      [
        '--vault',
        vaultPath,
        '--json',
        'key',
        'edit',
        ids.default!,
        '--agent',
        'confirm',
        '--agent-hosts',
        'github.com,[10.0.0.5]:2222',
        '--agent-forwarding',
        'allow',
      ],
      { env },
    );
    expect(edited.stderr).toBe('');
    expect(edited.json()).toMatchObject({ agent: 'confirm', agentHosts: ['github.com', '[10.0.0.5]:2222'], agentForwarding: 'allow' });
    const cleared = await runKeyhold(
      ['--vault', vaultPath, '--json', 'key', 'edit', ids.default!, '--agent-hosts', '', '--agent-forwarding', 'deny'],
      { env },
    );
    expect(cleared.json()).toMatchObject({ agent: 'confirm', agentHosts: [], agentForwarding: 'deny' });
    const bad = await runKeyhold(['--vault', vaultPath, '--json', 'key', 'edit', ids.default!, '--agent-hosts', 'a b'], { env });
    expect(bad.code).not.toBe(0);
    expect(JSON.parse(bad.stderr)).toMatchObject({ error: { code: 'INVALID_INPUT' } });
  });
});

describe('keyhold agent', () => {
  it('prints the socket as ssh-agent -s does, lists exactly the enabled keys, signs, and SIGTERM removes the socket', async () => {
    const a = await startAgent(['agent']);
    expect(a.firstLine).toMatch(/^SSH_AUTH_SOCK=\/.+; export SSH_AUTH_SOCK;$/);
    expect(statSync(a.socket).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(a.socket)).mode & 0o777).toBe(0o700);

    const listed = await run(SSH_ADD, ['-l'], a.env);
    expect(listed.status).toBe(0);
    const expected = ['on', 'confirm', 'default'].map((n) => sshKeygen(['-l', '-f', pubPaths[n]!]).trim());
    expect(listed.stdout.trim().split('\n').sort()).toEqual(expected.sort());
    expect(listed.stdout).not.toContain(sshKeygen(['-l', '-f', pubPaths.off!]).trim().split(' ')[1]);

    const signed = await signFile(a.env, 'on');
    expect(signed.stderr).not.toMatch(/agent refused/);
    expect(signed.status).toBe(0);
    const signers = join(tmp.dir, 'allowed_signers');
    writeFileSync(signers, `me@keyhold ${readFileSync(pubPaths.on!, 'utf8')}`);
    const verify = await run(
      SSH_KEYGEN,
      ['-Y', 'verify', '-f', signers, '-I', 'me@keyhold', '-n', 'file', '-s', `${signed.file}.sig`],
      a.env,
      readFileSync(signed.file, 'utf8'),
    );
    expect(verify.status).toBe(0);

    // an off key is not served at all
    expect((await signFile(a.env, 'off')).status).not.toBe(0);

    expect(await stop(a)).toBe(0);
    expect(existsSync(a.socket)).toBe(false);

    const s = await openVault(vaultPath, PASSWORD);
    try {
      const uses = recentAgentUses(s, ids.on!);
      expect(uses[0]).toMatchObject({ decision: 'allowed', forwarded: false, host: null });
      expect(uses[0]!.program).toMatch(/ssh-keygen$/);
    } finally {
      s.lock();
    }
  });

  it('--json prints {socket, pid} on one line', async () => {
    const a = await startAgent(['--json', 'agent', '--socket', join(tmp.dir, 'json.sock')]);
    expect(JSON.parse(a.firstLine)).toEqual({ socket: join(tmp.dir, 'json.sock'), pid: a.child.pid });
    expect(await stop(a)).toBe(0);
    expect(existsSync(join(tmp.dir, 'json.sock'))).toBe(false);
  });

  it('confirm keys ask $SSH_ASKPASS: a refusing askpass refuses, an approving one signs; both are audited', async () => {
    const no = askpassScript(tmp.dir, 'askpass-no', 1);
    const refusing = await startAgent(['agent', '--socket', join(tmp.dir, 'no.sock')], { SSH_ASKPASS: no.path });
    expect((await signFile(refusing.env, 'confirm')).status).not.toBe(0);
    expect(readFileSync(no.log, 'utf8')).toMatch(/^confirm\nAllow use of key confirm@keyhold\?/);
    await stop(refusing);

    const yes = askpassScript(tmp.dir, 'askpass-yes', 0);
    const approving = await startAgent(['agent', '--socket', join(tmp.dir, 'yes.sock')], { SSH_ASKPASS: yes.path });
    expect((await signFile(approving.env, 'confirm')).status).toBe(0);
    await stop(approving);

    const s = await openVault(vaultPath, PASSWORD);
    try {
      const uses = recentAgentUses(s, ids.confirm!);
      expect(uses.slice(0, 2).map((u) => [u.decision, u.reason])).toEqual([
        ['allowed', 'approved'],
        ['refused', 'not approved'],
      ]);
    } finally {
      s.lock();
    }
  });

  it('--timeout: after the idle time it refuses to sign and still lists the keys', async () => {
    const a = await startAgent(['agent', '--socket', join(tmp.dir, 'idle.sock'), '--timeout', '0.02']);
    // the vault is forgotten once idle: the agent says so on stderr
    const deadline = Date.now() + 20_000;
    while (!a.stderr().includes('the vault is locked') && Date.now() < deadline) await once(a.child.stderr, 'data');
    expect(a.stderr()).toContain('the vault is locked');
    expect((await signFile(a.env, 'on')).status).not.toBe(0);
    const listed = await run(SSH_ADD, ['-l'], a.env);
    expect(listed.stdout.trim().split('\n')).toHaveLength(3);
    expect(await stop(a)).toBe(0);
  });
});
