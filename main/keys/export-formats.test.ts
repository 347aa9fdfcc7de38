import { execFileSync } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { KeyholdError } from '../errors';
import { generateEd25519 } from './ed25519';
import { ENCORD_PASSPHRASE_WARNING, renderExport, type ExportableKey } from './export-formats';
import { makeTempDir, sshKeygen, writeKeyFile, keygen } from './openssh-tools.testkit';
import { parseKeyFile } from './parse-key-file';
import { publicKeyLine } from './public-key';

const tmp = makeTempDir();
afterAll(() => tmp.cleanup());

function exportable(comment = 'me@host'): ExportableKey {
  const privateKey = generateEd25519(comment);
  return { publicKey: privateKey.publicKey, comment, privateKey };
}

function openssl(args: string[]): string {
  return execFileSync('/usr/bin/openssl', args, { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

describe('export formats', () => {
  it('pub is the public line ssh-keygen -y derives from the openssh export', async () => {
    const key = exportable();
    const pub = await renderExport(key, 'pub');
    expect(pub.isPrivate).toBe(false);
    const path = writeKeyFile(tmp.dir, 'exp-openssh', (await renderExport(key, 'openssh')).text);
    expect(pub.text).toBe(`${sshKeygen(['-y', '-f', path]).trim()}\n`);
  });

  it('openssh with a passphrase opens with ssh-keygen -y -P', async () => {
    const key = exportable();
    const out = await renderExport(key, 'openssh', { passphrase: 'hunter2 hunter2' });
    expect(out.passphraseProtected).toBe(true);
    const path = writeKeyFile(tmp.dir, 'exp-openssh-enc', out.text);
    expect(sshKeygen(['-y', '-P', 'hunter2 hunter2', '-f', path]).trim()).toBe(publicKeyLine(key.publicKey, key.comment));
  });

  it('pkcs8 is a PEM that OpenSSL reads to the same public key, plain and encrypted', async () => {
    const key = exportable();
    const plain = await renderExport(key, 'pkcs8');
    expect(plain.text.startsWith('-----BEGIN PRIVATE KEY-----\n')).toBe(true);
    const spki = createPublicKey(openssl(['pkey', '-in', writeKeyFile(tmp.dir, 'exp.p8', plain.text), '-pubout']));
    const expected = await parseKeyFile(spki.export({ type: 'spki', format: 'pem' }).toString());
    expect(expected.publicKey.blob.equals(key.publicKey.blob)).toBe(true);

    const enc = await renderExport(key, 'pkcs8', { passphrase: 'pw' });
    expect(enc.text.startsWith('-----BEGIN ENCRYPTED PRIVATE KEY-----\n')).toBe(true);
    const encPath = writeKeyFile(tmp.dir, 'exp-enc.p8', enc.text);
    expect(openssl(['pkey', '-in', encPath, '-passin', 'pass:pw', '-pubout'])).toBe(
      openssl(['pkey', '-in', writeKeyFile(tmp.dir, 'exp2.p8', plain.text), '-pubout']),
    );
    // and it imports back with the passphrase
    expect((await parseKeyFile(enc.text, { passphrase: 'pw' })).privateKey?.body.equals(key.privateKey!.body)).toBe(true);
  });

  it("txt (Encord's download form) is the unprotected OpenSSH private key, with the reason if a passphrase was asked", async () => {
    const key = exportable();
    const txt = await renderExport(key, 'txt');
    expect(txt.passphraseProtected).toBe(false);
    expect(txt.note).toBeUndefined();
    expect(txt.text).toMatch(/^-----BEGIN OPENSSH PRIVATE KEY-----\n/);
    const path = writeKeyFile(tmp.dir, 'encord.txt', txt.text);
    // no passphrase needed: ssh-keygen -y with an empty -P opens it
    expect(sshKeygen(['-y', '-P', '', '-f', path]).trim()).toBe(publicKeyLine(key.publicKey, key.comment));
  });

  it('a key meant for Encord is protected when a passphrase is asked for (its SDK loads protected keys), with the warning that Encord says to leave it blank', async () => {
    const key = exportable();
    for (const [format, opts] of [
      ['openssh', { forEncord: true }],
      ['pkcs8', { forEncord: true }],
      ['txt', {}],
    ] as const) {
      const out = await renderExport(key, format, { passphrase: 'pw', ...opts });
      expect(out.passphraseProtected).toBe(true);
      expect(out.note).toBe(ENCORD_PASSPHRASE_WARNING);
      expect((await parseKeyFile(out.text, { passphrase: 'pw' })).privateKey?.body.equals(key.privateKey!.body)).toBe(true);
    }
    expect((await renderExport(key, 'openssh', { forEncord: true })).note).toBeUndefined();
  });

  it('RSA keys export as openssh, pkcs8 and pub but not as Encord txt', async () => {
    const path = keygen(tmp.dir, 'rsa-exp', 'rsa', { bits: 2048, comment: 'r' });
    const parsed = await parseKeyFile(readFileSync(path, 'utf8'));
    const key: ExportableKey = { publicKey: parsed.publicKey, comment: parsed.comment, privateKey: parsed.privateKey };
    const pkcs8Path = writeKeyFile(tmp.dir, 'rsa.p8', (await renderExport(key, 'pkcs8')).text);
    expect(sshKeygen(['-y', '-f', pkcs8Path]).trim()).toBe(publicKeyLine(parsed.publicKey));
    expect(sshKeygen(['-y', '-f', writeKeyFile(tmp.dir, 'rsa.ossh', (await renderExport(key, 'openssh')).text)]).trim()).toBe(
      publicKeyLine(parsed.publicKey, 'r'),
    );
    await expect(renderExport(key, 'txt')).rejects.toThrow(/ed25519 keys only/);
  });

  it('a public-only key exports only as pub', async () => {
    const key = exportable();
    const publicOnly: ExportableKey = { publicKey: key.publicKey, comment: key.comment, privateKey: null };
    expect((await renderExport(publicOnly, 'pub')).text).toBe(`${publicKeyLine(key.publicKey, key.comment)}\n`);
    for (const format of ['openssh', 'pkcs8', 'txt'] as const) {
      await expect(renderExport(publicOnly, format)).rejects.toThrow(KeyholdError);
    }
  });
});
