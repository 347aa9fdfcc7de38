import { readFileSync } from 'node:fs';
import sshpk from 'sshpk';
import { afterAll, describe, expect, it } from 'vitest';
import { KeyholdError } from '../errors';
import { generateEd25519 } from './ed25519';
import { fingerprint, fingerprintLine, randomart } from './fingerprint';
import {
  decodeOpenSshPrivateKey,
  decodeOpenSshPrivateKeyAsync,
  DEFAULT_KDF_ROUNDS,
  encodeOpenSshPrivateKey,
  encodeOpenSshPrivateKeyAsync,
} from './openssh-private';
import { keygen, makeTempDir, sshKeygen, sshKeygenResult, writeKeyFile } from './openssh-tools.testkit';
import { ed25519PrivateKey } from './private-key';
import { publicKeyLine } from './public-key';
import { SshReader, SshWriter } from './ssh-wire';

const tmp = makeTempDir();
afterAll(() => tmp.cleanup());

async function codeOfAsync(pending: Promise<unknown>): Promise<string> {
  try {
    await pending;
  } catch (e) {
    if (e instanceof KeyholdError) return e.code;
    return `not a KeyholdError: ${String(e)}`;
  }
  return 'no error';
}

function unarmor(text: string): Buffer {
  return Buffer.from(
    text
      .split('\n')
      .filter((l) => l && !l.startsWith('-----'))
      .join(''),
    'base64',
  );
}

function armor(data: Buffer): string {
  const b64 = data.toString('base64').replace(/.{70}/g, '$&\n');
  return `-----BEGIN OPENSSH PRIVATE KEY-----\n${b64}\n-----END OPENSSH PRIVATE KEY-----\n`;
}

/** The container's fields, to rebuild hostile variants of a real file. */
function fieldsOf(text: string) {
  const r = new SshReader(unarmor(text), 'test');
  return {
    magic: r.cstring(),
    cipher: r.string(),
    kdf: r.string(),
    kdfOptions: r.string(),
    n: r.uint32(),
    pub: r.string(),
    priv: r.string(),
  };
}

function rebuild(f: ReturnType<typeof fieldsOf>): string {
  const w = new SshWriter()
    .raw(Buffer.from(`${f.magic}\0`, 'latin1'))
    .string(f.cipher)
    .string(f.kdf)
    .string(f.kdfOptions)
    .uint32(f.n)
    .string(f.pub)
    .string(f.priv);
  return armor(w.toBuffer());
}

describe('openssh-key-v1 private keys, byte for byte with ssh-keygen', () => {
  it.each([
    ['ed25519', undefined],
    ['rsa', 2048],
    ['ecdsa', 256],
    ['ecdsa', 521],
  ])('re-encodes an unprotected %s key from ssh-keygen to the identical file', async (type, bits) => {
    const path = keygen(tmp.dir, `plain-${type}-${bits ?? 0}`, type, { comment: `${type}@host`, ...(bits ? { bits } : {}) });
    const text = readFileSync(path, 'utf8');
    const decoded = decodeOpenSshPrivateKey(text);
    expect(decoded.encrypted).toBe(false);
    expect(decoded.privateKey?.comment).toBe(`${type}@host`);
    expect(encodeOpenSshPrivateKey(decoded.privateKey!, { checkint: decoded.checkint! })).toBe(text);
  });

  it('re-encodes a passphrase-protected ssh-keygen key (bcrypt, aes256-ctr, default rounds) to the identical file', async () => {
    const path = keygen(tmp.dir, 'enc-ed25519', 'ed25519', { passphrase: 'correct horse', comment: 'enc@host' });
    const text = readFileSync(path, 'utf8');
    const decoded = await decodeOpenSshPrivateKeyAsync(text, 'correct horse');
    expect(decoded.cipher).toBe('aes256-ctr');
    expect(decoded.rounds).toBe(DEFAULT_KDF_ROUNDS);
    expect(decoded.salt?.length).toBe(16);
    const again = await encodeOpenSshPrivateKeyAsync(decoded.privateKey!, {
      passphrase: 'correct horse',
      checkint: decoded.checkint!,
      salt: decoded.salt!,
      rounds: decoded.rounds!,
    });
    expect(again).toBe(text);
  });

  it('writes keys that ssh-keygen reads: -y gives the public line, -l the fingerprint, -lv the randomart', async () => {
    const key = generateEd25519('alice@laptop');
    const text = await encodeOpenSshPrivateKeyAsync(key);
    expect(text.split('\n').every((l) => l.length <= 70)).toBe(true);
    const path = writeKeyFile(tmp.dir, 'ours', text);
    expect(sshKeygen(['-y', '-f', path]).trim()).toBe(publicKeyLine(key.publicKey, 'alice@laptop'));
    expect(sshKeygen(['-l', '-f', path]).trim()).toBe(fingerprintLine(key.publicKey, 'alice@laptop'));
    const lv = sshKeygen(['-lv', '-f', path]).trimEnd().split('\n');
    expect(lv.slice(1).join('\n')).toBe(randomart(key.publicKey));
  });

  it('writes passphrase-protected keys that ssh-keygen opens with -P and refuses with a wrong one', async () => {
    const key = generateEd25519('bob@server');
    const text = await encodeOpenSshPrivateKeyAsync(key, { passphrase: 's3cret pass' });
    const f = fieldsOf(text);
    expect(f.cipher.toString()).toBe('aes256-ctr');
    expect(f.kdf.toString()).toBe('bcrypt');
    const kdf = new SshReader(f.kdfOptions, 'kdf');
    expect(kdf.string().length).toBe(16);
    expect(kdf.uint32()).toBe(16);
    expect(f.priv.length % 16).toBe(0);
    const path = writeKeyFile(tmp.dir, 'ours-enc', text);
    expect(sshKeygen(['-y', '-P', 's3cret pass', '-f', path]).trim()).toBe(publicKeyLine(key.publicKey, 'bob@server'));
    expect(sshKeygenResult(['-y', '-P', 'wrong', '-f', path]).status).not.toBe(0);
    // two exports of one key differ (random salt and checkint) yet both open
    expect(await encodeOpenSshPrivateKeyAsync(key, { passphrase: 's3cret pass' })).not.toBe(text);
  });

  it('reads back a key after ssh-keygen changed its passphrase (-p)', async () => {
    const key = generateEd25519('carol');
    const path = writeKeyFile(tmp.dir, 'repass', await encodeOpenSshPrivateKeyAsync(key, { passphrase: 'old one' }));
    sshKeygen(['-p', '-P', 'old one', '-N', 'new one', '-f', path]);
    const decoded = await decodeOpenSshPrivateKeyAsync(readFileSync(path, 'utf8'), 'new one');
    expect(decoded.privateKey?.body.equals(key.body)).toBe(true);
    expect(decoded.privateKey?.comment).toBe('carol');
  });

  it('is read by sshpk (an independent parser) with the same fingerprint', async () => {
    const key = generateEd25519('dave');
    for (const opts of [{}, { passphrase: 'pw' }]) {
      const parsed = sshpk.parsePrivateKey(await encodeOpenSshPrivateKeyAsync(key, opts), 'openssh', opts);
      expect(parsed.fingerprint('sha256').toString()).toBe(fingerprint(key.publicKey));
      expect(parsed.comment).toBe('dave');
    }
  });

  it('gives the public key of a protected file without the passphrase, and nothing private', async () => {
    const key = generateEd25519('x');
    const text = await encodeOpenSshPrivateKeyAsync(key, { passphrase: 'pw' });
    // the synchronous reader never runs the KDF: the public part only, even for the right passphrase's file
    expect(decodeOpenSshPrivateKey(text)).toEqual(await decodeOpenSshPrivateKeyAsync(text));
    const decoded = await decodeOpenSshPrivateKeyAsync(text);
    expect(decoded.encrypted).toBe(true);
    expect(decoded.privateKey).toBeUndefined();
    expect(decoded.publicKey.blob.equals(key.publicKey.blob)).toBe(true);
  });
});

describe('openssh-key-v1 bad input', () => {
  const key = ed25519PrivateKey(Buffer.alloc(32, 7), Buffer.alloc(32), 'x');
  const good = encodeOpenSshPrivateKey(generateEd25519('victim'));

  it('a wrong passphrase is WRONG_PASSWORD, on ssh-keygen files and ours', async () => {
    const path = keygen(tmp.dir, 'wrongpass', 'ed25519', { passphrase: 'right' });
    expect(await codeOfAsync(decodeOpenSshPrivateKeyAsync(readFileSync(path, 'utf8'), 'wrong'))).toBe('WRONG_PASSWORD');
    const ours = await encodeOpenSshPrivateKeyAsync(generateEd25519(), { passphrase: 'right' });
    expect(await codeOfAsync(decodeOpenSshPrivateKeyAsync(ours, 'Right'))).toBe('WRONG_PASSWORD');
  });

  it('a truncated file (END line lost, or body cut short) is INVALID_INPUT', async () => {
    expect(await codeOfAsync(decodeOpenSshPrivateKeyAsync(good.slice(0, good.length / 2)))).toBe('INVALID_INPUT');
    const lines = good.trimEnd().split('\n');
    const cut = [...lines.slice(0, 3), lines.at(-1)].join('\n');
    expect(await codeOfAsync(decodeOpenSshPrivateKeyAsync(cut))).toBe('INVALID_INPUT');
  });

  it('garbage base64 is INVALID_INPUT with a message that quotes nothing of the file', async () => {
    const garbled = good.replace(/^(b3Blbn\S{10})/m, '$1!*~');
    try {
      await decodeOpenSshPrivateKeyAsync(garbled);
      throw new Error('no error');
    } catch (e) {
      expect(e).toBeInstanceOf(KeyholdError);
      expect((e as KeyholdError).code).toBe('INVALID_INPUT');
      expect((e as KeyholdError).message).toMatch(/base64/);
      for (const line of good.split('\n').slice(1, -2)) expect((e as KeyholdError).message).not.toContain(line.slice(0, 12));
    }
  });

  it('a key whose private half does not match its public half is INVALID_INPUT', async () => {
    // seed 7...7 does not give the all-zero public key
    expect(await codeOfAsync(decodeOpenSshPrivateKeyAsync(encodeOpenSshPrivateKey(key)))).toBe('INVALID_INPUT');
    // header public key swapped for another key's
    const f = fieldsOf(good);
    f.pub = generateEd25519().publicKey.blob;
    expect(await codeOfAsync(decodeOpenSshPrivateKeyAsync(rebuild(f)))).toBe('INVALID_INPUT');
  });

  it('differing check numbers, bad padding, two keys or an unknown magic are INVALID_INPUT', async () => {
    const f = fieldsOf(good);
    const badCheck = { ...f, priv: Buffer.from(f.priv) };
    badCheck.priv[0] = badCheck.priv[0]! ^ 0xff;
    expect(await codeOfAsync(decodeOpenSshPrivateKeyAsync(rebuild(badCheck)))).toBe('INVALID_INPUT');
    const badPad = { ...f, priv: Buffer.from(f.priv) };
    badPad.priv[badPad.priv.length - 1] = 0x42;
    expect(await codeOfAsync(decodeOpenSshPrivateKeyAsync(rebuild(badPad)))).toBe('INVALID_INPUT');
    expect(await codeOfAsync(decodeOpenSshPrivateKeyAsync(rebuild({ ...f, n: 2 })))).toBe('INVALID_INPUT');
    expect(await codeOfAsync(decodeOpenSshPrivateKeyAsync(rebuild({ ...f, magic: 'openssh-key-v2' })))).toBe('INVALID_INPUT');
  });

  it('an absurd KDF round count is refused at once instead of hanging', async () => {
    const f = fieldsOf(await encodeOpenSshPrivateKeyAsync(generateEd25519(), { passphrase: 'pw' }));
    const kdf = new SshReader(f.kdfOptions, 'kdf');
    const salt = kdf.string();
    const hostile = rebuild({
      ...f,
      kdfOptions: new SshWriter()
        .string(salt)
        .uint32(2 ** 31)
        .toBuffer(),
    });
    const started = Date.now();
    expect(await codeOfAsync(decodeOpenSshPrivateKeyAsync(hostile, 'pw'))).toBe('INVALID_INPUT');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('a cipher Keyhold does not implement is INVALID_INPUT naming the cipher', async () => {
    const path = keygen(tmp.dir, 'chacha', 'ed25519', { passphrase: 'pw' });
    sshKeygen(['-p', '-P', 'pw', '-N', 'pw', '-Z', 'chacha20-poly1305@openssh.com', '-f', path]);
    await expect(decodeOpenSshPrivateKeyAsync(readFileSync(path, 'utf8'), 'pw')).rejects.toThrow(/cipher chacha20-poly1305@openssh.com/);
  });
});
