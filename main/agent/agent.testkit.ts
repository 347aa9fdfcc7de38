// Test support: an in-memory key source over real key material, and a small agent client that
// speaks the protocol over the socket for the tests that go below what ssh-add can send.
import { connect, type Socket } from 'node:net';
import { KeyholdError } from '../errors';
import { toKeyObject, type SshPrivateKey } from '../keys/private-key';
import { signSsh } from '../keys/ssh-signature';
import { DEFAULT_AGENT_POLICY, type AgentKey, type AgentKeyPolicy, type KeySource } from './key-source';

export class MemoryKeySource implements KeySource {
  locked = false;
  readonly signed: string[] = [];
  private readonly keys = new Map<string, { key: SshPrivateKey; policy: AgentKeyPolicy }>();

  add(keyId: string, key: SshPrivateKey, policy: Partial<AgentKeyPolicy> = {}): void {
    this.keys.set(keyId, { key, policy: { ...DEFAULT_AGENT_POLICY, ...policy } });
  }

  setPolicy(keyId: string, policy: Partial<AgentKeyPolicy>): void {
    const k = this.keys.get(keyId);
    if (!k) throw new Error(`no key ${keyId}`);
    k.policy = { ...k.policy, ...policy };
  }

  list(): AgentKey[] {
    return [...this.keys].map(([keyId, { key, policy }]) => ({ keyId, publicKeyBlob: key.publicKey.blob, comment: key.comment, policy }));
  }

  async sign(keyId: string, data: Buffer, flags: number): Promise<Buffer> {
    if (this.locked) throw new KeyholdError('LOCKED', 'The vault is locked.');
    const k = this.keys.get(keyId);
    if (!k) throw new KeyholdError('NOT_FOUND', 'No such key.');
    this.signed.push(keyId);
    return signSsh(k.key, data, flags, toKeyObject(k.key));
  }
}

/** A raw agent client: send bytes, read framed replies. */
export class RawAgentClient {
  private buf = Buffer.alloc(0);
  private waiters: (() => void)[] = [];
  closed = false;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (c: Buffer) => {
      this.buf = Buffer.concat([this.buf, c]);
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  static open(path: string): Promise<RawAgentClient> {
    return new Promise((resolve, reject) => {
      const s = connect(path);
      s.once('connect', () => resolve(new RawAgentClient(s)));
      s.once('error', reject);
    });
  }

  send(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** The next reply's body, or undefined if the agent closed the connection first. */
  async reply(timeoutMs = 10_000): Promise<Buffer | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.buf.length >= 4) {
        const n = this.buf.readUInt32BE(0);
        if (this.buf.length >= 4 + n) {
          const body = this.buf.subarray(4, 4 + n);
          this.buf = this.buf.subarray(4 + n);
          return body;
        }
      }
      if (this.closed) return undefined;
      if (Date.now() > deadline) throw new Error('no reply from the agent');
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.max(0, deadline - Date.now()));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Waits until the agent closes the connection. */
  async closedByAgent(timeoutMs = 10_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.max(0, deadline - Date.now()));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return this.closed;
  }

  close(): void {
    this.socket.destroy();
  }
}
