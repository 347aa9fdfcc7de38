// The SSH agent: ed25519 signatures per second through the socket (one client, one request at a
// time) from `keyhold agent` and from OpenSSH's own `ssh-agent` holding the same key, in one run;
// and the first signature after an unlock (in process: the vault key source loading the key).
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MSG } from '../main/agent/protocol';
import { encodeOpenSshPrivateKey } from '../main/keys/openssh-private';
import { parsePublicKeyLine } from '../main/keys/public-key';
import { SshWriter } from '../main/keys/ssh-wire';
import { VaultKeySource } from '../main/service/agent';
import { setAgentSettings } from '../main/service/agent-settings';
import { generateKeyPair, loadKeyPair } from '../main/service/keypairs';
import { createVault, openVault } from '../main/vault';
import { percentile } from './percentile';
import type { BenchSuite } from './suite';
import { BENCH_PASSWORD, FLOOR_KDF } from './vault-data';

const SIGNATURES = 2000;
const WARMUP = 50;
const FIRST_SIGN_RUNS = 7;
const ROUNDS = 5;

/** One connection, one request at a time, as ssh or git would ask. */
class OneClient {
  private buf: Buffer = Buffer.alloc(0);
  private waiter: (() => void) | undefined;
  private constructor(private readonly socket: Socket) {
    socket.on('data', (c: Buffer) => {
      this.buf = this.buf.length ? Buffer.concat([this.buf, c]) : c;
      this.waiter?.();
    });
  }
  static async open(path: string): Promise<OneClient> {
    const s = connect(path);
    await once(s, 'connect');
    return new OneClient(s);
  }
  async sign(blob: Buffer, data: Buffer): Promise<void> {
    const body = new SshWriter()
      .raw(Buffer.from([MSG.SIGN_REQUEST]))
      .string(blob)
      .string(data)
      .uint32(0)
      .toBuffer();
    const head = Buffer.alloc(4);
    head.writeUInt32BE(body.length);
    this.socket.write(Buffer.concat([head, body]));
    for (;;) {
      if (this.buf.length >= 4 && this.buf.length >= 4 + this.buf.readUInt32BE(0)) {
        const n = this.buf.readUInt32BE(0);
        const type = this.buf[4];
        this.buf = this.buf.subarray(4 + n);
        if (type !== MSG.SIGN_RESPONSE) throw new Error('the agent refused to sign');
        return;
      }
      await new Promise<void>((r) => (this.waiter = r));
    }
  }
  close(): void {
    this.socket.destroy();
  }
}

async function signRate(socket: string, blob: Buffer): Promise<number> {
  const c = await OneClient.open(socket);
  try {
    for (let i = 0; i < WARMUP; i++) await c.sign(blob, Buffer.from(`warm ${i}`));
    const t = process.hrtime.bigint();
    for (let i = 0; i < SIGNATURES; i++) await c.sign(blob, Buffer.from(`bench data ${i}`));
    return SIGNATURES / (Number(process.hrtime.bigint() - t) / 1e9);
  } finally {
    c.close();
  }
}

async function untilLine(child: ChildProcess): Promise<string> {
  let out = '';
  while (!out.includes('\n')) {
    const [c] = (await once(child.stdout!, 'data')) as [Buffer];
    out += c.toString();
  }
  return out.split('\n')[0]!;
}

export const agentSuite: BenchSuite = {
  name: 'agent',
  title: 'SSH agent: ed25519 signatures/s through the socket vs OpenSSH ssh-agent; first signature after unlock',
  targets: { 'agent.keyhold_vs_ssh_agent': '>= 0.5x', 'agent.first_sign_after_unlock_ms_p50': '< 20 ms' },
  async run(log) {
    const dir = mkdtempSync(join(tmpdir(), 'keyhold-bench-agent-'));
    const vaultPath = join(dir, 'bench.keyhold');
    const children: ChildProcess[] = [];
    try {
      const session = await createVault(vaultPath, BENCH_PASSWORD, { kdf: FLOOR_KDF });
      const rec = await generateKeyPair(session, { name: 'bench', comment: 'bench@keyhold' });
      setAgentSettings(session, rec.id, { agent: 'on' });
      const keyFile = join(dir, 'id_ed25519');
      writeFileSync(keyFile, encodeOpenSshPrivateKey(loadKeyPair(session, rec.id).key.privateKey!), { mode: 0o600 });
      session.lock();
      const blob = parsePublicKeyLine(rec.publicPart!).key.blob;

      // first signature after an unlock: the key source loads and parses the private key
      const firsts: number[] = [];
      for (let i = 0; i < FIRST_SIGN_RUNS; i++) {
        const s = await openVault(vaultPath, BENCH_PASSWORD);
        const source = new VaultKeySource({ vaultPath, current: () => s });
        const t = process.hrtime.bigint();
        await source.sign(rec.id, Buffer.from('first'), 0);
        firsts.push(Number(process.hrtime.bigint() - t) / 1e6);
        s.lock();
      }
      log(`  first signature after unlock: ${firsts.map((f) => f.toFixed(2)).join(', ')} ms`);

      const keyhold = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          join(__dirname, '..', 'main', 'cli.ts'),
          '--vault',
          vaultPath,
          '--json',
          'agent',
          '--socket',
          join(dir, 'keyhold.sock'),
        ],
        {
          env: { ...process.env, KEYHOLD_PASSWORD: BENCH_PASSWORD },
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      children.push(keyhold);
      const khSocket = (JSON.parse(await untilLine(keyhold)) as { socket: string }).socket;
      const sshSocket = join(dir, 'ssh-agent.sock');
      const sshAgent = spawn('/usr/bin/ssh-agent', ['-D', '-a', sshSocket], { stdio: ['ignore', 'pipe', 'inherit'] });
      children.push(sshAgent);
      await untilLine(sshAgent);
      execFileSync('/usr/bin/ssh-add', [keyFile], { env: { PATH: '/usr/bin:/bin', SSH_AUTH_SOCK: sshSocket }, stdio: 'ignore' });

      // alternate, so that neither gets the quieter machine
      const kh: number[] = [];
      const ossh: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        kh.push(await signRate(khSocket, blob));
        ossh.push(await signRate(sshSocket, blob));
        log(`  round ${round + 1}: keyhold ${kh.at(-1)!.toFixed(0)}/s, ssh-agent ${ossh.at(-1)!.toFixed(0)}/s`);
      }
      // the ratio of each round (both measured back to back), then the median: a loaded machine
      // slows whole rounds, and best-of would compare different moments
      const ratios = kh.map((k, i) => k / ossh[i]!);
      return {
        'agent.keyhold_signs_per_s': percentile(kh, 50),
        'agent.ssh_agent_signs_per_s': percentile(ossh, 50),
        'agent.keyhold_vs_ssh_agent': percentile(ratios, 50),
        'agent.first_sign_after_unlock_ms_p50': percentile(firsts, 50),
        'agent.first_sign_after_unlock_ms_max': Math.max(...firsts),
      };
    } finally {
      for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
      await Promise.all(children.map((c) => (c.exitCode === null ? once(c, 'exit') : undefined)));
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
