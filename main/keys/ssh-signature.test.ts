// SSH signature blobs against ssh-keygen (ours are checked by ssh-keygen -Y verify in the agent
// tests): verifySsh must accept what ssh-keygen signs (inside SSHSIG, whose signed data is
// PROTOCOL.sshsig's blob) and reject it once anything changes.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateEd25519 } from './ed25519';
import { keygen, makeTempDir, sshKeygen } from './openssh-tools.testkit';
import { parseKeyFile } from './parse-key-file';
import { signatureAlgorithmFor, signSsh, SSH_AGENT_RSA_SHA2_256, SSH_AGENT_RSA_SHA2_512, verifySsh } from './ssh-signature';
import { SshReader, SshWriter } from './ssh-wire';

const tmp = makeTempDir('keyhold-sig-');
afterAll(() => tmp.cleanup());

/** The public key, signature blob and signed data of an armored SSHSIG made by ssh-keygen. */
function readSshsig(armored: string, message: Buffer): { publicKey: Buffer; signature: Buffer; signed: Buffer } {
  const b64 = armored.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  const r = new SshReader(Buffer.from(b64, 'base64'), 'sshsig');
  expect(r.bytes(6).toString('latin1')).toBe('SSHSIG');
  r.uint32();
  const publicKey = Buffer.from(r.string());
  const namespace = r.string();
  const reserved = r.string();
  const hashAlg = r.string();
  const signature = Buffer.from(r.string());
  const digest = createHash(hashAlg.toString('latin1')).update(message).digest();
  const signed = new SshWriter().raw(Buffer.from('SSHSIG')).string(namespace).string(reserved).string(hashAlg).string(digest).toBuffer();
  return { publicKey, signature, signed };
}

describe('verifySsh', () => {
  for (const [type, bits] of [
    ['ed25519', 0],
    ['rsa', 2048],
    ['ecdsa', 256],
    ['ecdsa', 384],
    ['ecdsa', 521],
  ] as const) {
    it(`accepts ssh-keygen's ${type}${bits ? ` ${bits}` : ''} signature and rejects a changed message`, async () => {
      const key = keygen(tmp.dir, `k-${type}-${bits}`, type, bits ? { bits } : {});
      const msg = join(tmp.dir, `m-${type}-${bits}`);
      writeFileSync(msg, 'signed by ssh-keygen\n');
      sshKeygen(['-Y', 'sign', '-n', 'file', '-f', key, msg]);
      const sig = readSshsig(readFileSync(`${msg}.sig`, 'utf8'), readFileSync(msg));
      expect(verifySsh(sig.publicKey, sig.signature, sig.signed)).toBe(true);
      expect(verifySsh(sig.publicKey, sig.signature, Buffer.concat([sig.signed, Buffer.from('!')]))).toBe(false);
      // and our own signature with the same key verifies too
      const priv = (await parseKeyFile(readFileSync(key, 'utf8'))).privateKey!;
      expect(verifySsh(sig.publicKey, signSsh(priv, sig.signed, SSH_AGENT_RSA_SHA2_512), sig.signed)).toBe(true);
    });
  }

  it('rejects a signature made by another key and garbage', () => {
    const a = generateEd25519();
    const b = generateEd25519();
    const data = Buffer.from('data');
    expect(verifySsh(a.publicKey.blob, signSsh(b, data, 0), data)).toBe(false);
    expect(verifySsh(a.publicKey.blob, Buffer.from('garbage'), data)).toBe(false);
    expect(verifySsh(Buffer.from('not a key'), signSsh(a, data, 0), data)).toBe(false);
  });
});

describe('signatureAlgorithmFor', () => {
  it('maps the agent flags for RSA and keeps other key types', async () => {
    const rsa = (await parseKeyFile(readFileSync(keygen(tmp.dir, 'flags-rsa', 'rsa', { bits: 2048 }), 'utf8'))).publicKey;
    expect(signatureAlgorithmFor(rsa, 0)).toBe('ssh-rsa');
    expect(signatureAlgorithmFor(rsa, SSH_AGENT_RSA_SHA2_256)).toBe('rsa-sha2-256');
    expect(signatureAlgorithmFor(rsa, SSH_AGENT_RSA_SHA2_512 | SSH_AGENT_RSA_SHA2_256)).toBe('rsa-sha2-512');
    expect(signatureAlgorithmFor(generateEd25519().publicKey, SSH_AGENT_RSA_SHA2_256)).toBe('ssh-ed25519');
  });
});
