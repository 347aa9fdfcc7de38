import { describe, expect, it } from 'vitest';
import { decodeKeyFile, isEncryptedKey, nameFromFile } from './keyFiles';

// The first 51 bytes of real `ssh-keygen -t ed25519` files (with and without -N), which is
// all the check reads: the magic and the cipher name.
const wrap = (b64: string) => `-----BEGIN OPENSSH PRIVATE KEY-----\n${b64}\n-----END OPENSSH PRIVATE KEY-----\n`;
const PROTECTED = wrap('b3BlbnNzaC1rZXktdjEAAAAACmFlczI1Ni1jdHIAAAAGYmNyeXB0AAAAGAAAABBmWyTI');
const PLAIN = wrap('b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gt');

describe('isEncryptedKey', () => {
  it('sees an OpenSSH key protected by a passphrase (aes256-ctr)', () => {
    expect(isEncryptedKey(PROTECTED)).toBe(true);
  });
  it('sees an unprotected OpenSSH key (cipher none)', () => {
    expect(isEncryptedKey(PLAIN)).toBe(false);
  });
  it('sees encrypted PKCS#8 and PKCS#1 PEM', () => {
    expect(isEncryptedKey('-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----')).toBe(true);
    expect(
      isEncryptedKey(
        '-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n-----END RSA PRIVATE KEY-----',
      ),
    ).toBe(true);
  });
  it('says no (and does not throw) for public lines, garbage and broken base64', () => {
    expect(isEncryptedKey('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOcI t')).toBe(false);
    expect(isEncryptedKey('hello')).toBe(false);
    expect(isEncryptedKey(wrap('%%%not base64%%%'))).toBe(false);
  });
});

describe('nameFromFile', () => {
  it('drops the usual key file extensions', () => {
    expect(nameFromFile('id_ed25519.pub')).toBe('id_ed25519');
    expect(nameFromFile('encord-key.txt')).toBe('encord-key');
    expect(nameFromFile('id_rsa')).toBe('id_rsa');
  });
});

describe('decodeKeyFile', () => {
  it('keeps text files as text and sends binary (DER) files as base64', () => {
    expect(decodeKeyFile(new TextEncoder().encode(PLAIN))).toEqual({ content: PLAIN, encoding: 'text' });
    const der = new Uint8Array([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0xff]);
    expect(decodeKeyFile(der)).toEqual({ content: btoa(String.fromCharCode(...der)), encoding: 'base64' });
  });
});
