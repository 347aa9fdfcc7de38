import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { encodeOpenSshPrivateKey } from './openssh-private';
import { parseKeyFile } from './parse-key-file';
import { ECDSA_CURVES } from './public-key';
import { ed25519PrivateKey, ed25519RawFromKeyObject } from './private-key';
import { SshWriter } from './ssh-wire';

// What OpenSSL's EC_KEY_check_key and OpenSSH's ed25519 loader refuse, refused on import too.
describe('ECDSA and ed25519 key material is checked on import', () => {
  it('an ECDSA scalar of 0, one past the curve order, or of another point is INVALID_INPUT', async () => {
    const curve = ECDSA_CURVES['ecdsa-sha2-nistp256'];
    const jwk = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
    const point = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x ?? '', 'base64url'), Buffer.from(jwk.y ?? '', 'base64url')]);
    const blob = new SshWriter().string('ecdsa-sha2-nistp256').string(curve.name).string(point).toBuffer();
    const file = (d: Buffer) =>
      encodeOpenSshPrivateKey({
        publicKey: { type: 'ecdsa-sha2-nistp256', algorithm: 'ECDSA', bits: 256, blob },
        comment: '',
        body: new SshWriter().string('ecdsa-sha2-nistp256').string(curve.name).string(point).mpint(d).toBuffer(),
      });
    expect((await parseKeyFile(file(Buffer.from(jwk.d ?? '', 'base64url')))).publicKey.algorithm).toBe('ECDSA');
    for (const d of [Buffer.alloc(0), Buffer.alloc(32, 0xff), Buffer.from(other.d ?? '', 'base64url')]) {
      await expect(parseKeyFile(file(d))).rejects.toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    }
  });

  it('an ed25519 public key that does not derive from the seed is INVALID_INPUT', async () => {
    const a = ed25519RawFromKeyObject(generateKeyPairSync('ed25519').privateKey);
    const b = ed25519RawFromKeyObject(generateKeyPairSync('ed25519').privateKey);
    await expect(parseKeyFile(encodeOpenSshPrivateKey(ed25519PrivateKey(a.seed, b.publicKey, '')))).rejects.toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
  });
});
