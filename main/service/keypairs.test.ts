import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nacl from 'tweetnacl';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KeyholdError } from '../errors';
import { verifyEd25519 } from '../keys/ed25519';
import { randomart } from '../keys/fingerprint';
import { decodeOpenSshPrivateKey } from '../keys/openssh-private';
import { keygen, makeTempDir, sshKeygen } from '../keys/openssh-tools.testkit';
import { parsePublicKeyLine } from '../keys/public-key';
import { createVault } from '../vault';
import type { VaultSession } from '../vault/types';
import { exportKeyPair, generateKeyPair, generateKeyPairs, importKeyPair, keyPairRandomart, publicKeyHex, signWithKey } from './keypairs';
import { keyDetail } from './keys';

const tmp = makeTempDir('keyhold-keypairs-');
afterAll(() => tmp.cleanup());
const KDF = { memoryKiB: 65536, iterations: 3, parallelism: 1 };

let session: VaultSession;
let n = 0;
beforeEach(async () => {
  session = await createVault(join(tmp.dir, `vault${n++}.keyhold`), 'master pw', { kdf: KDF });
});
afterEach(() => session.lock());

async function codeOf(fn: () => unknown): Promise<string> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof KeyholdError) return e.code;
    return `not a KeyholdError: ${String(e)}`;
  }
  return 'no error';
}

/** Every audit detail, to check no secret ever lands there. */
function auditText(): string {
  return session
    .listAudit()
    .map((e) => `${e.action} ${e.detail}`)
    .join('\n');
}

function secretBody(text: string): string {
  return text
    .split('\n')
    .filter((l) => l && !l.startsWith('-----'))
    .join('');
}

describe('generate', () => {
  it('stores an ed25519 key pair whose secret ssh-keygen reads to the stored public line', async () => {
    const rec = await generateKeyPair(session, { name: 'deploy', comment: 'deploy@ci' });
    expect(rec.kind).toBe('ssh_key_pair');
    expect(rec.hasSecret).toBe(true);
    expect(rec.meta).toMatchObject({ comment: 'deploy@ci', algorithm: 'ed25519', bits: '256' });
    expect(rec.publicPart).toMatch(/^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI\S+ deploy@ci$/);
    const secret = session.readSecret(rec.id);
    const path = join(tmp.dir, `gen-${rec.id}`);
    writeFileSync(path, secret, { mode: 0o600 });
    expect(sshKeygen(['-y', '-f', path]).trim()).toBe(rec.publicPart);
    expect(sshKeygen(['-l', '-f', path]).trim()).toBe(`256 ${rec.fingerprint} deploy@ci (ED25519)`);
    expect(auditText()).toMatch(/created ed25519 key pair generated \(SHA256:/);
    expect(auditText()).not.toContain(secretBody(secret).slice(40, 80));
  });

  it('generates a batch in one transaction, all different', async () => {
    const recs = await generateKeyPairs(
      session,
      Array.from({ length: 25 }, (_, i) => ({ name: `k${i}`, comment: `c${i}` })),
    );
    expect(new Set(recs.map((r) => r.fingerprint)).size).toBe(25);
    expect(session.stats().keys).toBe(25);
  });

  it('defaults the comment to user@host like ssh-keygen, and puts keys in a workspace and environment', async () => {
    const ws = session.addWorkspace({ name: 'enc', provider: 'encord' });
    const env = session.addEnvironment({ workspaceId: ws.id, name: 'proj' });
    const rec = await generateKeyPair(session, { name: 'x', environmentId: env.id });
    expect(rec.workspaceId).toBe(ws.id);
    expect(rec.environmentId).toBe(env.id);
    expect(rec.meta.comment).toMatch(/^\S+@\S+$/);
    expect(await codeOf(() => generateKeyPair(session, { name: 'y', workspaceId: 'nope' }))).toBe('NOT_FOUND');
  });

  it("shows publicKey and the randomart in the key's detail view", async () => {
    const rec = await generateKeyPair(session, { name: 'v', comment: 'v' });
    const view = keyDetail(session, session.getKey(rec.id));
    expect(view.publicKey).toBe(rec.publicPart);
    expect(view.randomart).toBe(randomart(parsePublicKeyLine(rec.publicPart!).key));
    const art = keyPairRandomart(session, rec.id);
    const path = join(tmp.dir, `art-${rec.id}.pub`);
    writeFileSync(path, `${rec.publicPart}\n`);
    expect([art.fingerprintLine, art.randomart].join('\n')).toBe(sshKeygen(['-lv', '-f', path]).trimEnd());
  });
});

describe('import', () => {
  it('imports a passphrase-protected ssh-keygen key, stores it unprotected, and exports what ssh-keygen expects', async () => {
    const src = keygen(tmp.dir, 'imp-enc', 'ed25519', { passphrase: 'file pw', comment: 'imp@host' });
    const rec = await importKeyPair(session, { name: 'imported', content: readFileSync(src), passphrase: 'file pw', origin: src });
    expect(rec.publicPart).toBe(readFileSync(`${src}.pub`, 'utf8').trim());
    expect(decodeOpenSshPrivateKey(session.readSecret(rec.id)).encrypted).toBe(false);
    expect(auditText()).toContain(`imported OpenSSH private key imported from ${src}`);
    const out = join(tmp.dir, 'imp-enc-out');
    await exportKeyPair(session, { id: rec.id, format: 'openssh', out });
    expect(sshKeygen(['-y', '-f', out]).trim()).toBe(rec.publicPart);
  });

  it('imports RSA and ECDSA keys with the fingerprints ssh-keygen prints', async () => {
    for (const [type, bits] of [
      ['rsa', 3072],
      ['ecdsa', 256],
    ] as const) {
      const src = keygen(tmp.dir, `imp-${type}`, type, { bits, comment: type });
      const rec = await importKeyPair(session, { name: type, content: readFileSync(src, 'utf8') });
      const [b, fp] = sshKeygen(['-l', '-f', src]).trim().split(' ');
      expect(rec.fingerprint).toBe(fp);
      expect(rec.meta.bits).toBe(b);
    }
  });

  it('imports a public key line without a secret; it exports only as pub and cannot sign', async () => {
    const src = keygen(tmp.dir, 'imp-pub', 'ed25519', { comment: 'pubonly' });
    const rec = await importKeyPair(session, { name: 'pub', content: readFileSync(`${src}.pub`, 'utf8') });
    expect(rec.hasSecret).toBe(false);
    expect(await codeOf(() => exportKeyPair(session, { id: rec.id, format: 'openssh', out: join(tmp.dir, 'nope') }))).toBe('INVALID_INPUT');
    expect((await exportKeyPair(session, { id: rec.id, format: 'pub', out: '-' })).content).toBe(`${rec.publicPart}\n`);
    expect(await codeOf(() => signWithKey(session, rec.id, Buffer.from('x')))).toBe('NOT_FOUND');
  });

  it('a wrong or missing passphrase, garbage, and a duplicate key store nothing', async () => {
    const src = keygen(tmp.dir, 'imp-bad', 'ed25519', { passphrase: 'right' });
    expect(await codeOf(() => importKeyPair(session, { name: 'a', content: readFileSync(src), passphrase: 'wrong' }))).toBe(
      'WRONG_PASSWORD',
    );
    expect(await codeOf(() => importKeyPair(session, { name: 'a', content: readFileSync(src) }))).toBe('WRONG_PASSWORD');
    expect(await codeOf(() => importKeyPair(session, { name: 'a', content: Buffer.from([1, 2, 3, 0, 255]) }))).toBe('INVALID_INPUT');
    expect(session.stats().keys).toBe(0);
    await importKeyPair(session, { name: 'a', content: readFileSync(src), passphrase: 'right' });
    expect(await codeOf(() => importKeyPair(session, { name: 'b', content: readFileSync(`${src}.pub`) }))).toBe('CONFLICT');
    expect(session.stats().keys).toBe(1);
  });
});

describe('export', () => {
  it('writes private keys 0600 and public keys 0644, refuses to overwrite without force, and audits the target', async () => {
    const rec = await generateKeyPair(session, { name: 'e', comment: 'e' });
    const priv = join(tmp.dir, `exp-${rec.id}`);
    const pub = `${priv}.pub`;
    const r1 = await exportKeyPair(session, { id: rec.id, format: 'openssh', out: priv });
    await exportKeyPair(session, { id: rec.id, format: 'pub', out: pub });
    expect(statSync(priv).mode & 0o777).toBe(0o600);
    expect(statSync(pub).mode & 0o777).toBe(0o644);
    expect(r1).toMatchObject({ path: priv, mode: 0o600, replaced: false, passphraseProtected: false });
    expect(readFileSync(pub, 'utf8')).toBe(`${rec.publicPart}\n`);
    const before = readFileSync(priv, 'utf8');
    expect(await codeOf(() => exportKeyPair(session, { id: rec.id, format: 'openssh', out: priv }))).toBe('CONFLICT');
    expect(readFileSync(priv, 'utf8')).toBe(before);
    const r2 = await exportKeyPair(session, { id: rec.id, format: 'openssh', out: priv, force: true, passphrase: 'pp' });
    expect(r2).toMatchObject({ replaced: true, passphraseProtected: true });
    expect(sshKeygen(['-y', '-P', 'pp', '-f', priv]).trim()).toBe(rec.publicPart);
    expect(auditText()).toContain(`exported as openssh to ${priv}`);
    expect(auditText()).toContain(`exported as pub to ${pub}`);
    expect(auditText()).not.toContain(secretBody(before).slice(40, 80));
  });

  it('exports a key of an Encord workspace with the passphrase asked for (its SDK loads it), warning that Encord says to leave it blank', async () => {
    const ws = session.addWorkspace({ name: 'encord ws', provider: 'encord' });
    const rec = await generateKeyPair(session, { name: 'enc', workspaceId: ws.id });
    const out = join(tmp.dir, `encord-${rec.id}.txt`);
    const res = await exportKeyPair(session, { id: rec.id, format: 'openssh', out, passphrase: 'kept as asked' });
    expect(res.passphraseProtected).toBe(true);
    expect(res.note).toMatch(/Encord's docs say to leave it blank/);
    expect(sshKeygen(['-y', '-P', 'kept as asked', '-f', out]).trim()).toBe(rec.publicPart);
    const txt = await exportKeyPair(session, { id: rec.id, format: 'txt', out: '-' });
    expect(txt.content).toMatch(/^-----BEGIN OPENSSH PRIVATE KEY-----/);
  });

  it('names a missing folder without writing anything', async () => {
    const rec = await generateKeyPair(session, { name: 'f' });
    expect(
      await codeOf(() => exportKeyPair(session, { id: rec.id, format: 'openssh', out: join(tmp.dir, 'no', 'such', 'dir', 'k') })),
    ).toBe('INVALID_INPUT');
  });
});

describe('signWithKey', () => {
  it('signs with the stored ed25519 key so that the public key (and tweetnacl) verify it', async () => {
    const rec = await generateKeyPair(session, { name: 's' });
    const data = Buffer.from('"@method": GET\n"@request-target": /v2/public/projects');
    const sig = signWithKey(session, rec.id, data);
    const pub = parsePublicKeyLine(rec.publicPart!).key;
    expect(verifyEd25519(pub, data, sig)).toBe(true);
    const hex = publicKeyHex(session, rec.id);
    expect(hex).toMatch(/^[0-9a-f]{64}$/);
    expect(nacl.sign.detached.verify(data, sig, Buffer.from(hex, 'hex'))).toBe(true);
  });

  it('refuses a key that is not a key pair or not ed25519', async () => {
    const api = session.addKey({ kind: 'api_key', name: 'api', secret: 'abc' });
    expect(await codeOf(() => signWithKey(session, api.id, Buffer.from('x')))).toBe('INVALID_INPUT');
    const src = keygen(tmp.dir, 'sign-rsa', 'rsa', { bits: 2048 });
    const rsa = await importKeyPair(session, { name: 'rsa', content: readFileSync(src) });
    expect(await codeOf(() => signWithKey(session, rsa.id, Buffer.from('x')))).toBe('INVALID_INPUT');
  });
});
