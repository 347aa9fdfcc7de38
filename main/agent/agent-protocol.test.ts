// The agent protocol below what ssh-add sends: framing limits, refused operations, session-bind
// checking, host binding rules, SHA-1, a locked vault, and a bounded fuzz run with a fixed seed.
import { createHash, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generateEd25519 } from '../keys/ed25519';
import { keygen, makeTempDir } from '../keys/openssh-tools.testkit';
import { parseKeyFile } from '../keys/parse-key-file';
import { ed25519KeyObject, ed25519Seed, type SshPrivateKey } from '../keys/private-key';
import { SSH_AGENT_RSA_SHA2_256, verifySsh } from '../keys/ssh-signature';
import { SshReader, SshWriter } from '../keys/ssh-wire';
import { MemoryKeySource, RawAgentClient } from './agent.testkit';
import { parseKnownHosts } from './known-hosts';
import type { UseReport } from './policy';
import { frame, MAX_MESSAGE_SIZE, MSG } from './protocol';
import { startAgentServer, type AgentServer } from './server';

const tmp = makeTempDir('keyhold-agent-proto-');
const source = new MemoryKeySource();
const reports: UseReport[] = [];
const user = generateEd25519('user');
const bound = generateEd25519('bound');
const host = generateEd25519('host');
let rsa: SshPrivateKey;
let agent: AgentServer;

const msg = (type: number, w: SshWriter = new SshWriter()): Buffer => frame(Buffer.concat([Buffer.from([type]), w.toBuffer()]));
const signRequest = (key: SshPrivateKey, data: Buffer, flags = 0) =>
  msg(MSG.SIGN_REQUEST, new SshWriter().string(key.publicKey.blob).string(data).uint32(flags));

function sessionBind(sessionId: Buffer, opts: { forwarded?: boolean; badSignature?: boolean; hostKey?: SshPrivateKey } = {}): Buffer {
  const hostKey = opts.hostKey ?? host;
  const signed = opts.badSignature ? Buffer.concat([sessionId, Buffer.from('x')]) : sessionId;
  const raw = sign(null, signed, ed25519KeyObject(ed25519Seed(hostKey)));
  const sig = new SshWriter().string('ssh-ed25519').string(raw).toBuffer();
  const w = new SshWriter()
    .string('session-bind@openssh.com')
    .string(hostKey.publicKey.blob)
    .string(sessionId)
    .string(sig)
    .raw(Buffer.from([opts.forwarded ? 1 : 0]));
  return msg(MSG.EXTENSION, w);
}

/** The data ssh signs for publickey authentication (RFC 4252 §7). */
function userauth(sessionId: Buffer, key: SshPrivateKey): Buffer {
  return new SshWriter()
    .string(sessionId)
    .raw(Buffer.from([50]))
    .string('root')
    .string('ssh-connection')
    .string('publickey')
    .raw(Buffer.from([1]))
    .string(key.publicKey.type)
    .string(key.publicKey.blob)
    .toBuffer();
}

async function ask(bytes: Buffer): Promise<Buffer | undefined> {
  const c = await RawAgentClient.open(agent.path);
  try {
    c.send(bytes);
    return await c.reply();
  } finally {
    c.close();
  }
}

async function stillServes(): Promise<void> {
  const reply = await ask(msg(MSG.REQUEST_IDENTITIES));
  expect(reply?.[0]).toBe(MSG.IDENTITIES_ANSWER);
}

const sid = (n: number) => createHash('sha256').update(`session ${n}`).digest();

beforeAll(async () => {
  const parsed = await parseKeyFile(readFileSync(keygen(tmp.dir, 'rsa', 'rsa', { bits: 2048 }), 'utf8'));
  rsa = parsed.privateKey!;
  source.add('user', user);
  source.add('bound', bound, { agentHosts: ['host.example'] });
  source.add('rsa', rsa);
  const known = parseKnownHosts(`host.example ${host.publicKey.type} ${host.publicKey.blob.toString('base64')}\n`);
  agent = await startAgentServer({
    source,
    place: { path: join(tmp.dir, 'agent.sock'), cleanup: async () => {} },
    knownHosts: async () => known,
    approve: async () => false,
    onUse: (r) => reports.push(r),
    identify: async () => ({}),
  });
});

afterAll(async () => {
  await agent?.stop();
  tmp.cleanup();
});

beforeEach(() => {
  reports.length = 0;
  source.locked = false;
  source.setPolicy('bound', { agentForwarding: 'deny' });
  source.setPolicy('rsa', { agentSha1: 'deny' });
});

describe('framing and refused operations', () => {
  it('answers FAILURE to an empty message and keeps serving on the same connection', async () => {
    const c = await RawAgentClient.open(agent.path);
    c.send(frame(Buffer.alloc(0)));
    expect((await c.reply())?.[0]).toBe(MSG.FAILURE);
    c.send(msg(MSG.REQUEST_IDENTITIES));
    expect((await c.reply())?.[0]).toBe(MSG.IDENTITIES_ANSWER);
    c.close();
  });

  it('answers FAILURE to a truncated sign request and to trailing bytes', async () => {
    const c = await RawAgentClient.open(agent.path);
    const full = signRequest(user, Buffer.from('data'));
    c.send(frame(full.subarray(4, full.length - 2)));
    expect((await c.reply())?.[0]).toBe(MSG.FAILURE);
    c.send(frame(Buffer.concat([full.subarray(4), Buffer.from([0])])));
    expect((await c.reply())?.[0]).toBe(MSG.FAILURE);
    c.send(full);
    expect((await c.reply())?.[0]).toBe(MSG.SIGN_RESPONSE);
    c.close();
  });

  it('answers a message split across many writes', async () => {
    const c = await RawAgentClient.open(agent.path);
    const full = signRequest(user, Buffer.from('split'));
    for (const b of full) c.send(Buffer.from([b]));
    const reply = await c.reply();
    expect(reply?.[0]).toBe(MSG.SIGN_RESPONSE);
    const sig = new SshReader(reply!.subarray(1), 'reply').string();
    expect(verifySsh(user.publicKey.blob, sig, Buffer.from('split'))).toBe(true);
    c.close();
  });

  it('answers many pipelined requests in order, none lost', async () => {
    const c = await RawAgentClient.open(agent.path);
    const reqs = Array.from({ length: 300 }, (_, i) =>
      i % 3 === 2 ? frame(Buffer.from([MSG.LOCK])) : signRequest(user, Buffer.from(`n${i}`)),
    );
    c.send(Buffer.concat(reqs));
    for (let i = 0; i < reqs.length; i++) {
      const reply = await c.reply();
      if (i % 3 === 2) expect(reply?.[0]).toBe(MSG.FAILURE);
      else expect(verifySsh(user.publicKey.blob, new SshReader(reply!.subarray(1), 'reply').string(), Buffer.from(`n${i}`))).toBe(true);
    }
    c.close();
  });

  it('answers FAILURE to an oversized message, closes that connection, and serves the next', async () => {
    const c = await RawAgentClient.open(agent.path);
    const head = Buffer.alloc(5);
    head.writeUInt32BE(MAX_MESSAGE_SIZE + 1, 0);
    head[4] = MSG.REQUEST_IDENTITIES;
    c.send(head);
    expect((await c.reply())?.[0]).toBe(MSG.FAILURE);
    expect(await c.closedByAgent()).toBe(true);
    await stillServes();
  });

  it('refuses adding, removing, locking and smartcard operations', async () => {
    for (const t of [
      MSG.ADD_IDENTITY,
      MSG.REMOVE_IDENTITY,
      MSG.REMOVE_ALL_IDENTITIES,
      MSG.ADD_SMARTCARD_KEY,
      MSG.REMOVE_SMARTCARD_KEY,
      MSG.LOCK,
      MSG.UNLOCK,
      MSG.ADD_ID_CONSTRAINED,
      MSG.ADD_SMARTCARD_KEY_CONSTRAINED,
    ]) {
      expect((await ask(msg(t, new SshWriter().string('x'))))?.[0]).toBe(MSG.FAILURE);
    }
    expect(source.list()).toHaveLength(3);
  });

  it('answers the query extension with its extensions and an unknown extension with FAILURE', async () => {
    const q = await ask(msg(MSG.EXTENSION, new SshWriter().string('query')));
    expect(q?.[0]).toBe(MSG.SUCCESS);
    const r = new SshReader(q!.subarray(1), 'query');
    expect([r.text(), r.text()]).toEqual(['query', 'session-bind@openssh.com']);
    expect((await ask(msg(MSG.EXTENSION, new SshWriter().string('nope@example.com'))))?.[0]).toBe(MSG.FAILURE);
  });
});

describe('signatures and their rules', () => {
  it('RSA signs rsa-sha2-256 when asked and refuses SHA-1 ssh-rsa unless the key allows it', async () => {
    const data = Buffer.from('rsa data');
    const r256 = await ask(signRequest(rsa, data, SSH_AGENT_RSA_SHA2_256));
    const sig = new SshReader(r256!.subarray(1), 'reply').string();
    expect(new SshReader(sig, 'sig').text()).toBe('rsa-sha2-256');
    expect(verifySsh(rsa.publicKey.blob, sig, data)).toBe(true);
    expect((await ask(signRequest(rsa, data, 0)))?.[0]).toBe(MSG.FAILURE);
    expect(reports.at(-1)).toMatchObject({ decision: 'refused', reason: expect.stringMatching(/SHA-1/) });
    source.setPolicy('rsa', { agentSha1: 'allow' });
    const sha1 = await ask(signRequest(rsa, data, 0));
    const sig1 = new SshReader(sha1!.subarray(1), 'reply').string();
    expect(new SshReader(sig1, 'sig').text()).toBe('ssh-rsa');
    expect(verifySsh(rsa.publicKey.blob, sig1, data)).toBe(true);
  });

  it('refuses while the key source is locked and reports why', async () => {
    source.locked = true;
    expect((await ask(signRequest(user, Buffer.from('x'))))?.[0]).toBe(MSG.FAILURE);
    expect(reports.at(-1)).toMatchObject({ decision: 'refused', reason: 'the vault is locked' });
  });

  it('refuses a key it does not serve', async () => {
    expect((await ask(signRequest(generateEd25519(), Buffer.from('x'))))?.[0]).toBe(MSG.FAILURE);
  });
});

describe('session-bind and host-bound keys', () => {
  it('refuses a binding whose host signature does not verify', async () => {
    expect((await ask(sessionBind(sid(1), { badSignature: true })))?.[0]).toBe(MSG.FAILURE);
  });

  it('signs authentication for the bound session of a listed host, and nothing else', async () => {
    const c = await RawAgentClient.open(agent.path);
    c.send(signRequest(bound, userauth(sid(2), bound)));
    expect((await c.reply())?.[0]).toBe(MSG.FAILURE); // not bound yet
    c.send(sessionBind(sid(2)));
    expect((await c.reply())?.[0]).toBe(MSG.SUCCESS);
    c.send(signRequest(bound, userauth(sid(3), bound)));
    expect((await c.reply())?.[0]).toBe(MSG.FAILURE); // another session's data
    c.send(signRequest(bound, Buffer.from('not an auth request')));
    expect((await c.reply())?.[0]).toBe(MSG.FAILURE);
    c.send(signRequest(bound, userauth(sid(2), bound)));
    expect((await c.reply())?.[0]).toBe(MSG.SIGN_RESPONSE);
    expect(reports.at(-1)).toMatchObject({ decision: 'allowed', host: 'host.example', forwarded: false });
    c.send(sessionBind(sid(4)));
    expect((await c.reply())?.[0]).toBe(MSG.FAILURE); // already bound for authentication
    c.close();
  });

  it('accepts a repeated forwarded binding with the same host key and refuses one with another key', async () => {
    const c = await RawAgentClient.open(agent.path);
    c.send(sessionBind(sid(8), { forwarded: true }));
    expect((await c.reply())?.[0]).toBe(MSG.SUCCESS);
    c.send(sessionBind(sid(8), { forwarded: true }));
    expect((await c.reply())?.[0]).toBe(MSG.SUCCESS);
    c.send(sessionBind(sid(8), { forwarded: true, hostKey: generateEd25519('other') }));
    expect((await c.reply())?.[0]).toBe(MSG.FAILURE);
    c.close();
  });

  it('neither lists nor signs with a host-bound key in a session bound to an unlisted host', async () => {
    const c = await RawAgentClient.open(agent.path);
    c.send(sessionBind(sid(7), { hostKey: generateEd25519('stranger host') }));
    expect((await c.reply())?.[0]).toBe(MSG.SUCCESS);
    c.send(msg(MSG.REQUEST_IDENTITIES));
    const list = await c.reply();
    expect(new SshReader(list!.subarray(1), 'list').uint32()).toBe(2);
    expect(list!.includes(bound.publicKey.blob)).toBe(false);
    c.send(signRequest(bound, userauth(sid(7), bound)));
    expect((await c.reply())?.[0]).toBe(MSG.FAILURE);
    expect(reports.at(-1)).toMatchObject({ decision: 'refused', reason: 'the bound host is not one this key is for' });
    c.close();
  });

  it('refuses a forwarded request unless the key allows forwarding', async () => {
    const c = await RawAgentClient.open(agent.path);
    c.send(sessionBind(sid(5), { forwarded: true }));
    expect((await c.reply())?.[0]).toBe(MSG.SUCCESS);
    c.send(sessionBind(sid(6)));
    expect((await c.reply())?.[0]).toBe(MSG.SUCCESS);
    c.send(signRequest(bound, userauth(sid(6), bound)));
    expect((await c.reply())?.[0]).toBe(MSG.FAILURE);
    expect(reports.at(-1)).toMatchObject({ decision: 'refused', forwarded: true, reason: expect.stringMatching(/forwarded/) });
    c.send(signRequest(user, Buffer.from('plain key, forwarded')));
    expect((await c.reply())?.[0]).toBe(MSG.FAILURE);
    source.setPolicy('bound', { agentForwarding: 'allow' });
    c.send(signRequest(bound, userauth(sid(6), bound)));
    expect((await c.reply())?.[0]).toBe(MSG.SIGN_RESPONSE);
    c.close();
  });
});

/** mulberry32: a small PRNG so the fuzz run is the same every time. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('fuzzing', () => {
  it('answers every well-framed random message with exactly one reply, mostly FAILURE', async () => {
    const rand = prng(0x5eed);
    const types = [0, 5, 11, 13, 17, 18, 19, 22, 23, 25, 27, 99, 255];
    const c = await RawAgentClient.open(agent.path);
    const valid = signRequest(user, Buffer.from('fuzz')).subarray(4);
    let failures = 0;
    for (let i = 0; i < 400; i++) {
      let body: Buffer;
      if (i % 4 === 0) {
        // a valid sign request with random bytes flipped or cut
        body = Buffer.from(valid.subarray(0, 1 + Math.floor(rand() * valid.length)));
        for (let k = 0; k < 3; k++) body[Math.floor(rand() * body.length)] = Math.floor(rand() * 256);
      } else {
        const len = Math.floor(rand() * 64);
        body = Buffer.alloc(len + 1);
        body[0] = types[Math.floor(rand() * types.length)]!;
        for (let k = 1; k <= len; k++) body[k] = Math.floor(rand() * 256);
      }
      c.send(frame(body));
      const reply = await c.reply();
      expect([MSG.FAILURE, MSG.SUCCESS, MSG.IDENTITIES_ANSWER, MSG.SIGN_RESPONSE]).toContain(reply?.[0]);
      if (reply?.[0] === MSG.FAILURE) failures++;
    }
    expect(failures).toBeGreaterThan(300);
    c.send(msg(MSG.REQUEST_IDENTITIES));
    expect((await c.reply())?.[0]).toBe(MSG.IDENTITIES_ANSWER);
    c.close();
  });

  it('survives random byte streams on fresh connections', async () => {
    const rand = prng(42);
    for (let i = 0; i < 60; i++) {
      const c = await RawAgentClient.open(agent.path);
      const bytes = Buffer.alloc(1 + Math.floor(rand() * 300));
      for (let k = 0; k < bytes.length; k++) bytes[k] = Math.floor(rand() * 256);
      c.send(bytes);
      if (i % 3 === 0) c.close();
      else await Promise.race([c.reply(200).catch(() => undefined), c.closedByAgent(200)]);
      c.close();
    }
    await stillServes();
  });
});
