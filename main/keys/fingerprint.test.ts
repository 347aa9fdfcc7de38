import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { generateEd25519 } from './ed25519';
import { fingerprint, fingerprintLine, randomart } from './fingerprint';
import { keygen, makeTempDir, sshKeygen, writeKeyFile } from './openssh-tools.testkit';
import { parsePublicKeyLine, publicKeyLine } from './public-key';

const tmp = makeTempDir();
afterAll(() => tmp.cleanup());

describe('fingerprint and randomart, as ssh-keygen -l / -lv print them', () => {
  it('match ssh-keygen -lv for 12 fresh ed25519 keys, with and without a comment', () => {
    for (let i = 0; i < 12; i++) {
      const comment = i % 3 === 0 ? '' : `user${i}@host`;
      const key = generateEd25519(comment);
      const path = writeKeyFile(tmp.dir, `ed${i}.pub`, `${publicKeyLine(key.publicKey, comment)}\n`, 0o644);
      const out = sshKeygen(['-lv', '-f', path]).trimEnd().split('\n');
      expect(out[0]).toBe(fingerprintLine(key.publicKey, comment));
      expect(out.slice(1).join('\n')).toBe(randomart(key.publicKey));
      expect(out[1]).toBe('+--[ED25519 256]--+');
      expect(out.at(-1)).toBe('+----[SHA256]-----+');
      expect(fingerprint(key.publicKey)).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    }
  });

  it.each([
    ['rsa', 3072, 'RSA 3072'],
    ['rsa', 1024, 'RSA 1024'],
    ['ecdsa', 256, 'ECDSA 256'],
    ['ecdsa', 384, 'ECDSA 384'],
    ['ecdsa', 521, 'ECDSA 521'],
  ])('match ssh-keygen for a %s %i key', (type, bits, title) => {
    const path = keygen(tmp.dir, `${type}${bits}`, type, { bits, comment: `${type}@test` });
    const { key, comment } = parsePublicKeyLine(readFileSync(`${path}.pub`, 'utf8'));
    const out = sshKeygen(['-lv', '-f', `${path}.pub`])
      .trimEnd()
      .split('\n');
    expect(out[0]).toBe(fingerprintLine(key, comment));
    expect(out.slice(1).join('\n')).toBe(randomart(key));
    expect(out[1]).toContain(`[${title}]`);
  });

  it('say "no comment" the way ssh-keygen does for a key without one', () => {
    const key = generateEd25519();
    expect(fingerprintLine(key.publicKey, '')).toMatch(/^256 SHA256:\S+ no comment \(ED25519\)$/);
  });
});
