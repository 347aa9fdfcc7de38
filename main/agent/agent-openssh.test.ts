// The agent against the real OpenSSH tools: ssh-add, ssh-keygen -Y, and ssh logging in to a real
// sshd on 127.0.0.1, with confirmation through an askpass program and host-bound keys.
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generateEd25519 } from '../keys/ed25519';
import { keygen, makeTempDir, SSH, SSH_KEYGEN, sshKeygen, startSshd, type Sshd } from '../keys/openssh-tools.testkit';
import { parseKeyFile } from '../keys/parse-key-file';
import type { SshPrivateKey } from '../keys/private-key';
import { publicKeyLine } from '../keys/public-key';
import { MemoryKeySource } from './agent.testkit';
import { askpassApprover } from './askpass';
import { readKnownHosts } from './known-hosts';
import type { ApprovalRequest, UseReport } from './policy';
import { startAgentServer, type AgentServer } from './server';
import { chooseSocketPlace } from './socket-path';
import { askpassScript, run, SSH_ADD, sshArgs } from './ssh-tools.testkit';

const tmp = makeTempDir('keyhold-agent-');
const user = userInfo().username;
const source = new MemoryKeySource();
const reports: UseReport[] = [];
const keys: Record<string, SshPrivateKey> = {};
const pubPaths: Record<string, string> = {};
let approve: (req: ApprovalRequest) => Promise<boolean> = async () => true;
/** what the agent reads; ssh itself always checks the plain known_hosts */
let knownHostsPath = join(tmp.dir, 'known_hosts');
let agent: AgentServer;
let sshd: Sshd;
let sshd2: Sshd;
let hostLine2: string;
let hostLine: string;
let env: NodeJS.ProcessEnv;

async function fromKeygen(name: string, type: string, bits?: number): Promise<SshPrivateKey> {
  const path = keygen(tmp.dir, `src-${name}`, type, { comment: name, ...(bits ? { bits } : {}) });
  const parsed = await parseKeyFile(readFileSync(path, 'utf8'));
  if (!parsed.privateKey) throw new Error('no private key');
  return parsed.privateKey;
}

function addKey(name: string, key: SshPrivateKey, agentSetting: 'on' | 'off' | 'confirm' = 'on'): void {
  keys[name] = key;
  source.add(name, key, { agent: agentSetting });
  pubPaths[name] = join(tmp.dir, `${name}.pub`);
  writeFileSync(pubPaths[name], `${publicKeyLine(key.publicKey, key.comment)}\n`);
}

const login = (name: string, extra: { forwardAgent?: boolean; command?: string } = {}) =>
  run(
    SSH,
    sshArgs({
      port: sshd.port,
      pubPath: pubPaths[name]!,
      knownHosts: join(tmp.dir, 'known_hosts'),
      user,
      command: extra.command ?? 'echo ok',
      ...extra,
    }),
    env,
  );

beforeAll(async () => {
  addKey('ed', generateEd25519('ed@keyhold'));
  addKey('rsa', await fromKeygen('rsa', 'rsa', 2048));
  addKey('p256', await fromKeygen('p256', 'ecdsa', 256));
  addKey('p384', await fromKeygen('p384', 'ecdsa', 384));
  addKey('p521', await fromKeygen('p521', 'ecdsa', 521));
  addKey('hidden', generateEd25519('hidden@keyhold'), 'off');
  addKey('bound', generateEd25519('bound@keyhold'));
  const authorized = Object.values(keys)
    .map((k) => publicKeyLine(k.publicKey, k.comment))
    .join('\n');
  const sshdDir = join(tmp.dir, 'sshd');
  mkdirSync(sshdDir);
  sshd = await startSshd(sshdDir, `${authorized}\n`);
  const hostPub = readFileSync(join(sshdDir, 'ssh_host_ed25519_key.pub'), 'utf8').trim().split(/\s+/);
  hostLine = `${hostPub[0]} ${hostPub[1]}`;
  const sshd2Dir = join(tmp.dir, 'sshd2');
  mkdirSync(sshd2Dir);
  sshd2 = await startSshd(sshd2Dir, `${authorized}\n`);
  const hostPub2 = readFileSync(join(sshd2Dir, 'ssh_host_ed25519_key.pub'), 'utf8').trim().split(/\s+/);
  hostLine2 = `${hostPub2[0]} ${hostPub2[1]}`;
  writeFileSync(knownHostsPath, `[127.0.0.1]:${sshd.port} ${hostLine}\n[127.0.0.1]:${sshd2.port} ${hostLine2}\n`);
  agent = await startAgentServer({
    source,
    place: await chooseSocketPlace({ XDG_RUNTIME_DIR: join(tmp.dir) }),
    knownHosts: () => readKnownHosts([knownHostsPath]),
    approve: (req) => approve(req),
    onUse: (r) => reports.push(r),
  });
  env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: tmp.dir, SSH_AUTH_SOCK: agent.path };
});

afterAll(async () => {
  await agent?.stop();
  await sshd?.stop();
  await sshd2?.stop();
  tmp.cleanup();
});

beforeEach(() => {
  reports.length = 0;
  approve = async () => true;
  knownHostsPath = join(tmp.dir, 'known_hosts');
  for (const name of Object.keys(keys))
    source.setPolicy(name, { agent: name === 'hidden' ? 'off' : 'on', agentHosts: [], agentForwarding: 'deny' });
});

describe('the agent socket', () => {
  it('is 0600 in a 0700 folder under XDG_RUNTIME_DIR', () => {
    expect(agent.path).toBe(join(tmp.dir, 'keyhold', 'agent.sock'));
    expect(statSync(agent.path).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(agent.path)).mode & 0o777).toBe(0o700);
  });
});

describe('ssh-add', () => {
  it('-l lists exactly the served keys, with the fingerprints ssh-keygen -l gives', async () => {
    const res = await run(SSH_ADD, ['-l'], env);
    expect(res.status).toBe(0);
    const served = Object.keys(keys).filter((n) => n !== 'hidden');
    const expected = served.map((n) => sshKeygen(['-l', '-f', pubPaths[n]!]).trim());
    expect(res.stdout.trim().split('\n').sort()).toEqual(expected.sort());
  });

  it('-L prints the served public keys', async () => {
    const res = await run(SSH_ADD, ['-L'], env);
    expect(res.status).toBe(0);
    const expected = Object.keys(keys)
      .filter((n) => n !== 'hidden')
      .map((n) => publicKeyLine(keys[n]!.publicKey, keys[n]!.comment));
    expect(res.stdout.trim().split('\n').sort()).toEqual(expected.sort());
  });

  it('cannot add, remove or lock keys through the socket', async () => {
    const extra = keygen(tmp.dir, 'extra', 'ed25519');
    const add = await run(SSH_ADD, [extra], env);
    expect(add.status).not.toBe(0);
    const removeAll = await run(SSH_ADD, ['-D'], env);
    expect(removeAll.status).not.toBe(0);
    const lock = await run(SSH_ADD, ['-x'], env, 'pw\npw\n');
    expect(lock.status).not.toBe(0);
    const after = await run(SSH_ADD, ['-l'], env);
    expect(after.stdout.trim().split('\n')).toHaveLength(Object.keys(keys).length - 1);
  });
});

describe('ssh-keygen -Y sign through the agent', () => {
  for (const name of ['ed', 'rsa', 'p256', 'p384', 'p521']) {
    it(`signs with the ${name} key and ssh-keygen -Y verify accepts it`, async () => {
      const file = join(tmp.dir, `msg-${name}.txt`);
      writeFileSync(file, `a message for ${name}\n`);
      const res = await run(SSH_KEYGEN, ['-Y', 'sign', '-n', 'file', '-f', pubPaths[name]!, file], env);
      expect(res.stderr).not.toMatch(/agent refused|failed/i);
      expect(res.status).toBe(0);
      const signers = join(tmp.dir, `signers-${name}`);
      writeFileSync(signers, `me@keyhold ${publicKeyLine(keys[name]!.publicKey)}\n`);
      const verify = await run(
        SSH_KEYGEN,
        ['-Y', 'verify', '-f', signers, '-I', 'me@keyhold', '-n', 'file', '-s', `${file}.sig`],
        env,
        readFileSync(file, 'utf8'),
      );
      expect(verify.status).toBe(0);
      expect(reports.at(-1)).toMatchObject({ decision: 'allowed', program: SSH_KEYGEN, forwarded: false });
    });
  }
});

describe('ssh login to a real sshd through the agent', () => {
  it('logs in with an ed25519 and an RSA key', async () => {
    for (const name of ['ed', 'rsa']) {
      const res = await login(name);
      expect(res.stderr).not.toMatch(/Permission denied/);
      expect(res.stdout.trim()).toBe('ok');
    }
    expect(reports.every((r) => r.decision === 'allowed' && r.program === SSH)).toBe(true);
  });

  it('a key set to off is not offered and the login fails', async () => {
    const res = await login('hidden');
    expect(res.status).not.toBe(0);
    expect(res.stderr).toMatch(/Permission denied/);
  });

  it('confirm: refused by the askpass program refuses the login', async () => {
    source.setPolicy('ed', { agent: 'confirm' });
    const script = askpassScript(tmp.dir, 'askpass-no', 1);
    approve = askpassApprover({ askpass: script.path, env: {} });
    const res = await login('ed');
    expect(res.status).not.toBe(0);
    expect(res.stderr).toMatch(/Permission denied/);
    const asked = readFileSync(script.log, 'utf8');
    expect(asked).toMatch(/^confirm\n/);
    expect(asked).toContain('ed@keyhold');
    expect(asked).toContain(`Program: ${SSH}`);
    expect(asked).toContain(`Host: [127.0.0.1]:${sshd.port}`);
    expect(reports).toContainEqual(expect.objectContaining({ decision: 'refused', reason: 'not approved', program: SSH }));
  });

  it('confirm: approved by the askpass program logs in', async () => {
    source.setPolicy('ed', { agent: 'confirm' });
    approve = askpassApprover({ askpass: askpassScript(tmp.dir, 'askpass-yes', 0).path, env: {} });
    const res = await login('ed');
    expect(res.stdout.trim()).toBe('ok');
    expect(reports).toContainEqual(expect.objectContaining({ decision: 'allowed', reason: 'approved' }));
  });

  it('a key bound to another host refuses; bound to this host (by its known_hosts key) it logs in', async () => {
    source.setPolicy('bound', { agentHosts: ['other.example.com'] });
    const refused = await login('bound');
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/Permission denied/);
    // hidden from a session bound to another host, so ssh never even asks
    expect(reports).toEqual([]);
    source.setPolicy('bound', { agentHosts: ['other.example.com', `[127.0.0.1]:${sshd.port}`] });
    const allowed = await login('bound');
    expect(allowed.stdout.trim()).toBe('ok');
    expect(reports.at(-1)).toMatchObject({ decision: 'allowed', host: `[127.0.0.1]:${sshd.port}` });
  });

  it('host binding works with a hashed known_hosts and a revoked host key never matches', async () => {
    source.setPolicy('bound', { agentHosts: [`[127.0.0.1]:${sshd.port}`] });
    const hashed = join(tmp.dir, 'known_hosts_hashed');
    writeFileSync(hashed, `[127.0.0.1]:${sshd.port} ${hostLine}\n`);
    sshKeygen(['-H', '-f', hashed]);
    expect(readFileSync(hashed, 'utf8')).toMatch(/^\|1\|/);
    knownHostsPath = hashed;
    expect((await login('bound')).stdout.trim()).toBe('ok');

    const revoked = join(tmp.dir, 'known_hosts_revoked');
    writeFileSync(revoked, `[127.0.0.1]:${sshd.port} ${hostLine}\n@revoked * ${hostLine}\n`);
    knownHostsPath = revoked;
    reports.length = 0;
    const res = await login('bound');
    expect(res.status).not.toBe(0);
    expect(res.stderr).toMatch(/Permission denied/);
    expect(reports.some((r) => r.decision === 'allowed')).toBe(false);
  });

  it('a host-bound key signs nothing outside a bound session (ssh-keygen -Y sign)', async () => {
    source.setPolicy('bound', { agentHosts: [`[127.0.0.1]:${sshd.port}`] });
    const file = join(tmp.dir, 'msg-bound.txt');
    writeFileSync(file, 'x\n');
    const res = await run(SSH_KEYGEN, ['-Y', 'sign', '-n', 'file', '-f', pubPaths.bound!, file], env);
    expect(res.status).not.toBe(0);
    expect(reports.at(-1)).toMatchObject({
      decision: 'refused',
      reason: 'the key is bound to hosts and the connection is not bound to a session',
    });
  });
});

describe('agent forwarding through a second sshd', () => {
  // ssh -A to the first sshd, and from there ssh to the second one with the forwarded agent
  const hop = (name: string) =>
    login(name, {
      forwardAgent: true,
      command: sshArgs({
        port: sshd2.port,
        pubPath: pubPaths[name]!,
        knownHosts: join(tmp.dir, 'known_hosts'),
        user,
        command: 'echo second',
      })
        .map((a) => `'${a}'`)
        .join(' ')
        .replace(/^/, `${SSH} `),
    });

  it('hides the key from the forwarded agent by default, so the second hop fails', async () => {
    const res = await hop('ed');
    expect(res.stdout).not.toContain('second');
    expect(res.stderr).toMatch(/Permission denied/);
    // the first hop itself was allowed; nothing was signed for the forwarded connection
    expect(reports).toEqual([expect.objectContaining({ decision: 'allowed', forwarded: false, host: `[127.0.0.1]:${sshd.port}` })]);
    source.setPolicy('rsa', { agentForwarding: 'allow' });
    const listed = await login('ed', { forwardAgent: true, command: `${SSH_ADD} -L` });
    expect(listed.stdout).not.toContain(keys.ed!.publicKey.blob.toString('base64'));
    expect(listed.stdout).toContain(keys.rsa!.publicKey.blob.toString('base64'));
  });

  it('signs the forwarded request when the key allows forwarding', async () => {
    source.setPolicy('ed', { agentForwarding: 'allow' });
    const res = await hop('ed');
    expect(res.stdout.trim()).toBe('second');
    expect(reports.at(-1)).toMatchObject({ decision: 'allowed', forwarded: true, host: `[127.0.0.1]:${sshd2.port}` });
  });
});

describe('git commit signing with gpg.format=ssh through the agent', () => {
  it('git commit -S then git verify-commit passes with an allowed-signers file', async () => {
    const repo = join(tmp.dir, 'repo');
    mkdirSync(repo);
    const signers = join(tmp.dir, 'git-signers');
    writeFileSync(signers, `me@keyhold ${publicKeyLine(keys.ed!.publicKey)}\n`);
    const git = (...args: string[]) => run('/usr/bin/git', ['-C', repo, ...args], env);
    expect((await git('init', '-q')).status).toBe(0);
    for (const [k, v] of [
      ['user.name', 'Keyhold Test'],
      ['user.email', 'me@keyhold'],
      ['gpg.format', 'ssh'],
      ['user.signingkey', pubPaths.ed!],
      ['gpg.ssh.allowedSignersFile', signers],
    ] as const) {
      await git('config', k, v);
    }
    writeFileSync(join(repo, 'file.txt'), 'hello\n');
    await git('add', 'file.txt');
    const commit = await git('commit', '-q', '-S', '-m', 'signed through the agent');
    expect(commit.stderr).toBe('');
    expect(commit.status).toBe(0);
    const verify = await git('verify-commit', 'HEAD');
    expect(verify.status).toBe(0);
    expect(verify.stderr).toMatch(/Good "git" signature for me@keyhold/);
    expect(reports.at(-1)).toMatchObject({ decision: 'allowed', program: SSH_KEYGEN });
  });
});
