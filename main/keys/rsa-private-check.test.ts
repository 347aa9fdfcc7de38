import { generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import { createPrivateKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { encodeOpenSshPrivateKey } from './openssh-private';
import { parseKeyFile } from './parse-key-file';
import { SshWriter } from './ssh-wire';
import { failure } from '../errors.testkit';

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = privateKey.export({ format: 'jwk' });
const num = (v: string | undefined): bigint => BigInt(`0x${Buffer.from(v ?? '', 'base64url').toString('hex') || '0'}`);
function bytes(v: bigint): Buffer {
  let h = v.toString(16);
  if (h.length % 2) h = `0${h}`;
  return Buffer.from(h, 'hex');
}
const field = (v: bigint) => bytes(v).toString('base64url');
const K = { n: num(jwk.n), e: num(jwk.e), d: num(jwk.d), p: num(jwk.p), q: num(jwk.q), qi: num(jwk.qi) };

/** Key material Node (OpenSSL) takes without complaint, each broken in one way. */
const BROKEN: Record<string, Partial<typeof K>> = {
  'p = 1 (q = n)': { p: 1n, q: K.n },
  'p and q swapped for n and 1': { p: K.n, q: 1n },
  'p * q is not n': { q: K.q + 2n },
  'e even': { e: 65538n },
  'e = 1': { e: 1n },
  'd not the inverse of e': { d: K.d + 2n },
  'iqmp not the inverse of q mod p': { qi: K.qi + 1n },
};

function pkcs1(k: typeof K): string {
  const key: JsonWebKey = {
    kty: 'RSA',
    n: field(k.n),
    e: field(k.e),
    d: field(k.d),
    p: field(k.p),
    q: field(k.q),
    dp: jwk.dp,
    dq: jwk.dq,
    qi: field(k.qi),
  };
  return createPrivateKey({ key, format: 'jwk' }).export({ type: 'pkcs1', format: 'pem' }).toString();
}

function openssh(k: typeof K): string {
  const body = new SshWriter()
    .string('ssh-rsa')
    .mpint(bytes(k.n))
    .mpint(bytes(k.e))
    .mpint(bytes(k.d))
    .mpint(bytes(k.qi))
    .mpint(bytes(k.p))
    .mpint(bytes(k.q))
    .toBuffer();
  const blob = new SshWriter().string('ssh-rsa').mpint(bytes(k.e)).mpint(bytes(k.n)).toBuffer();
  return encodeOpenSshPrivateKey({ publicKey: { type: 'ssh-rsa', algorithm: 'RSA', bits: 2048, blob }, comment: '', body });
}

describe('RSA private key material is checked on import, as OpenSSL RSA_check_key does', () => {
  it('a sound key reads from both PKCS#1 and OpenSSH', async () => {
    expect((await parseKeyFile(pkcs1(K))).publicKey.algorithm).toBe('RSA');
    expect((await parseKeyFile(openssh(K))).publicKey.algorithm).toBe('RSA');
  });

  it.each(Object.entries(BROKEN))('%s: INVALID_INPUT from PKCS#1 and OpenSSH files, naming no key number', async (_, change) => {
    const bad = { ...K, ...change };
    for (const text of [pkcs1(bad), openssh(bad)]) {
      const err = await failure(parseKeyFile(text));
      expect(err.code).toBe('INVALID_INPUT');
      expect(err.message).toMatch(/RSA/);
      for (const secret of [K.d, K.p, K.q]) {
        expect(err.message).not.toContain(secret.toString(16).slice(0, 16));
        expect(err.message).not.toContain(field(secret).slice(0, 16));
      }
    }
  });
});
