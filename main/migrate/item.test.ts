import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateEd25519 } from '../keys/ed25519';
import { fingerprint } from '../keys/fingerprint';
import { encodeOpenSshPrivateKey } from '../keys/openssh-private';
import { encodePkcs8 } from '../keys/pem';
import { publicKeyLine } from '../keys/public-key';
import { checkedItem, contentHash, type MigrationItem } from './item';

const key = randomBytes(32);
const login: MigrationItem = {
  source: 'keepassxc-xml',
  sourceRef: 'Prod/db',
  groupPath: ['Prod'],
  kind: 'login',
  name: 'db',
  login: 'root',
  url: 'https://db',
  secret: 's3cret',
};

describe('content hash', () => {
  it('is the same for the same credential under another name, group, source or notes', () => {
    const moved: MigrationItem = { ...login, source: 'keepassxc-csv', sourceRef: 'line 2', groupPath: [], name: 'renamed', notes: 'n' };
    expect(contentHash(moved, key)).toBe(contentHash(login, key));
  });

  it('differs when the secret, login, URL or kind differs', () => {
    const base = contentHash(login, key);
    for (const other of [
      { ...login, secret: 's3cret ' },
      { ...login, login: 'admin' },
      { ...login, url: 'https://db2' },
      { ...login, kind: 'api_key' as const },
    ]) {
      expect(contentHash(other, key)).not.toBe(base);
    }
  });

  it('recognises a key pair by its public key, whatever the file encoding', () => {
    const k = generateEd25519('a');
    const pair = (privateKey: string): MigrationItem => ({
      source: 'ssh-dir',
      sourceRef: 'id',
      groupPath: [],
      kind: 'ssh_key_pair',
      name: 'id',
      privateKey,
      publicKey: publicKeyLine(k.publicKey),
      fingerprint: fingerprint(k.publicKey),
    });
    expect(contentHash(pair(encodeOpenSshPrivateKey(k)), key)).toBe(contentHash(pair(encodePkcs8(k)), key));
  });

  it('is keyed: another vault key gives another hash, so a stored hash is no password oracle', () => {
    expect(contentHash(login, randomBytes(32))).not.toBe(contentHash(login, key));
    expect(contentHash(login, key)).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('item checks', () => {
  it('refuses an oversized secret with the sourceRef and limit, never the value', () => {
    const huge = 'x'.repeat(70 * 1024);
    expect(() => checkedItem({ ...login, secret: huge })).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringContaining('Prod/db: cannot be imported (secret:') }),
    );
    try {
      checkedItem({ ...login, secret: huge });
    } catch (e) {
      expect(String((e as Error).message)).not.toContain('xxxx');
    }
  });
});
