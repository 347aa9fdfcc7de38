import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import nacl from 'tweetnacl';
import { afterAll, describe, expect, it } from 'vitest';
import { generateEd25519 } from './ed25519';
import { fingerprint, fingerprintLine } from './fingerprint';
import { encodeOpenSshPrivateKey } from './openssh-private';
import { keygen, makeTempDir, sshKeygen, writeKeyFile } from './openssh-tools.testkit';
import { keyFileNeedsPassphrase, parseKeyFile } from './parse-key-file';
import { ed25519Seed } from './private-key';
import { ed25519PublicBytes, publicKeyLine } from './public-key';
import { failure } from '../errors.testkit';

const tmp = makeTempDir();
afterAll(() => tmp.cleanup());

describe('import of keys made by ssh-keygen', () => {
  it.each([
    ['ed25519', undefined, undefined],
    ['ed25519', undefined, 'pass phrase'],
    ['rsa', 3072, undefined],
    ['rsa', 2048, 'pw'],
    ['ecdsa', 256, undefined],
    ['ecdsa', 384, 'pw'],
    ['ecdsa', 521, undefined],
  ])('%s %s (passphrase %s) imports with the fingerprint ssh-keygen prints', async (type, bits, passphrase) => {
    const path = keygen(tmp.dir, `${type}-${bits ?? 0}-${passphrase ? 'enc' : 'plain'}`, type, {
      comment: `${type}@made-by-ssh-keygen`,
      ...(bits ? { bits } : {}),
      ...(passphrase ? { passphrase } : {}),
    });
    const text = readFileSync(path, 'utf8');
    expect(keyFileNeedsPassphrase(text)).toBe(Boolean(passphrase));
    const parsed = await parseKeyFile(text, passphrase ? { passphrase } : {});
    expect(parsed.source).toBe('openssh');
    expect(parsed.encrypted).toBe(Boolean(passphrase));
    expect(parsed.privateKey).not.toBeNull();
    // e.g. "3072 SHA256:... rsa@made-by-ssh-keygen (RSA)"
    expect(fingerprintLine(parsed.publicKey, parsed.comment)).toBe(sshKeygen(['-l', '-f', `${path}.pub`]).trim());
    expect(publicKeyLine(parsed.publicKey, parsed.comment)).toBe(readFileSync(`${path}.pub`, 'utf8').trim());
    // the .pub file alone imports as a public-only key with the same fingerprint
    const pub = await parseKeyFile(readFileSync(`${path}.pub`));
    expect(pub.source).toBe('public-line');
    expect(pub.privateKey).toBeNull();
    expect(fingerprint(pub.publicKey)).toBe(fingerprint(parsed.publicKey));
  });

  it('a protected key without its passphrase asks for it (WRONG_PASSWORD), with a wrong one refuses', async () => {
    const path = keygen(tmp.dir, 'needs-pass', 'ed25519', { passphrase: 'right' });
    expect((await failure(parseKeyFile(readFileSync(path)))).code).toBe('WRONG_PASSWORD');
    expect((await failure(parseKeyFile(readFileSync(path), { passphrase: 'wrong' }))).code).toBe('WRONG_PASSWORD');
  });
});

describe('import of PEM keys (PKCS#8, PKCS#1, SEC1, SPKI)', () => {
  it('reads an ed25519 PKCS#8 key to the same seed and public key as tweetnacl derives', async () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const parsed = await parseKeyFile(pem);
    expect(parsed.source).toBe('pkcs8');
    const seed = ed25519Seed(parsed.privateKey!);
    const fromNacl = Buffer.from(nacl.sign.keyPair.fromSeed(seed).publicKey);
    expect(ed25519PublicBytes(parsed.publicKey).equals(fromNacl)).toBe(true);
  });

  it.each([
    ['PKCS#1 RSA', 'rsa', 'pkcs1', 'pkcs1'],
    ['PKCS#8 RSA', 'rsa', 'pkcs8', 'pkcs8'],
    ['SEC1 EC P-256', 'ec', 'sec1', 'sec1'],
    ['PKCS#8 EC P-384', 'ec', 'pkcs8', 'pkcs8'],
  ] as const)(
    'reads a %s key to the fingerprint and public line ssh-keygen derives from the same file',
    async (_label, kind, type, source) => {
      const pair =
        kind === 'rsa'
          ? generateKeyPairSync('rsa', { modulusLength: 2048 })
          : generateKeyPairSync('ec', { namedCurve: source === 'sec1' ? 'prime256v1' : 'secp384r1' });
      const pem = pair.privateKey.export({ type, format: 'pem' }).toString();
      const path = writeKeyFile(tmp.dir, `pem-${source}-${kind}`, pem);
      const parsed = await parseKeyFile(pem);
      expect(parsed.source).toBe(source);
      expect(fingerprintLine(parsed.publicKey, '')).toBe(sshKeygen(['-l', '-f', path]).trim());
      expect(publicKeyLine(parsed.publicKey)).toBe(sshKeygen(['-y', '-f', path]).trim());
    },
  );

  it('reads encrypted PKCS#8 and PKCS#1 files with the passphrase; without or with a wrong one, WRONG_PASSWORD', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    for (const type of ['pkcs8', 'pkcs1'] as const) {
      const pem = privateKey.export({ type, format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' }).toString();
      expect(keyFileNeedsPassphrase(pem)).toBe(true);
      expect((await parseKeyFile(pem, { passphrase: 'pw' })).encrypted).toBe(true);
      expect((await failure(parseKeyFile(pem))).code).toBe('WRONG_PASSWORD');
      expect((await failure(parseKeyFile(pem, { passphrase: 'nope' }))).code).toBe('WRONG_PASSWORD');
    }
  });

  it('reads an SPKI public key PEM as a public-only key', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const parsed = await parseKeyFile(publicKey.export({ type: 'spki', format: 'pem' }).toString());
    expect(parsed.privateKey).toBeNull();
    const fromPrivate = await parseKeyFile(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    expect(parsed.publicKey.blob.equals(fromPrivate.publicKey.blob)).toBe(true);
  });
});

describe('import of bad input', () => {
  const good = generateEd25519('good');

  it('random bytes are INVALID_INPUT', async () => {
    for (let i = 0; i < 20; i++) expect((await failure(parseKeyFile(randomBytes(64 + i * 37)))).code).toBe('INVALID_INPUT');
  });

  it('an empty file, text that is no key, and an oversized file are INVALID_INPUT', async () => {
    expect((await failure(parseKeyFile(''))).code).toBe('INVALID_INPUT');
    expect((await failure(parseKeyFile('hello world, this is not a key'))).code).toBe('INVALID_INPUT');
    expect((await failure(parseKeyFile('x'.repeat(300 * 1024)))).code).toBe('INVALID_INPUT');
  });

  it('truncated OpenSSH, PKCS#8 and PKCS#1 files are INVALID_INPUT', async () => {
    const openssh = encodeOpenSshPrivateKey(good);
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pkcs1 = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    for (const text of [openssh, pkcs1, pkcs8]) {
      expect((await failure(parseKeyFile(text.slice(0, Math.floor(text.length * 0.6))))).code).toBe('INVALID_INPUT');
      const lines = text.trimEnd().split('\n');
      const cut = [...lines.slice(0, Math.floor(lines.length / 2)), lines.at(-1)].join('\n');
      expect((await failure(parseKeyFile(cut))).code).toBe('INVALID_INPUT');
    }
  });

  it('a public line with garbage base64 is INVALID_INPUT, and the message names no key material', async () => {
    const line = publicKeyLine(good.publicKey, 'c');
    const garbled = line.replace('AAAAC3', 'AA!!C3');
    const err = await failure(parseKeyFile(garbled));
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.message).toMatch(/base64/);
    expect(err.message).not.toContain(good.publicKey.blob.toString('base64').slice(8, 30));
    // valid base64, wrong content
    expect((await failure(parseKeyFile(`ssh-ed25519 ${Buffer.from('not a key blob').toString('base64')}`))).code).toBe('INVALID_INPUT');
    // a blob cut short
    expect((await failure(parseKeyFile(`ssh-ed25519 ${good.publicKey.blob.subarray(0, 30).toString('base64')}`))).code).toBe(
      'INVALID_INPUT',
    );
  });

  it('a line whose named type differs from its key is INVALID_INPUT', async () => {
    expect((await failure(parseKeyFile(`ssh-rsa ${good.publicKey.blob.toString('base64')} x`))).code).toBe('INVALID_INPUT');
  });

  it('two keys in one public file are refused (import one at a time)', async () => {
    const two = `${publicKeyLine(good.publicKey)}\n${publicKeyLine(generateEd25519().publicKey)}\n`;
    expect((await failure(parseKeyFile(two))).message).toMatch(/one key/);
  });

  it('keys of unsupported types (DSA, Ed448, secp256k1, small RSA) are INVALID_INPUT naming the problem', async () => {
    const dsa = keygen(tmp.dir, 'dsa', 'dsa');
    expect((await failure(parseKeyFile(readFileSync(`${dsa}.pub`)))).message).toMatch(/Unsupported key type ssh-dss/);
    expect((await failure(parseKeyFile(readFileSync(dsa)))).message).toMatch(/Unsupported key type ssh-dss/);
    const ed448 = generateKeyPairSync('ed448').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect((await failure(parseKeyFile(ed448))).message).toMatch(/Unsupported key type ed448/);
    const k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect((await failure(parseKeyFile(k1))).code).toBe('INVALID_INPUT');
    const small = generateKeyPairSync('rsa', { modulusLength: 512 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    expect((await failure(parseKeyFile(small))).message).toMatch(/512 bits/);
    expect((await failure(parseKeyFile('-----BEGIN DSA PRIVATE KEY-----\nAAAA\n-----END DSA PRIVATE KEY-----\n'))).message).toMatch(
      /Unsupported key file/,
    );
  });
});
