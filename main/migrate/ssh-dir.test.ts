import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keygen, makeTempDir, sshKeygen } from '../keys/openssh-tools.testkit';
import { readSource } from './index';
import { readSshDir } from './ssh-dir';

const tmp = makeTempDir('keyhold-migrate-ssh-');
const dir = join(tmp.dir, '.ssh');
const fp = (path: string) => sshKeygen(['-l', '-f', path]).split(' ')[1];

beforeAll(() => {
  mkdirSync(dir, { mode: 0o700 });
  keygen(dir, 'id_ed25519', 'ed25519', { comment: 'me@laptop' });
  keygen(dir, 'id_rsa', 'rsa', { comment: 'old rsa', passphrase: 'rsa pass', bits: 2048 });
  keygen(dir, 'id_ecdsa', 'ecdsa', { passphrase: 'not given' });
  keygen(dir, 'legacy_pem', 'rsa', { comment: 'pem', bits: 2048 });
  sshKeygen(['-p', '-m', 'PEM', '-N', '', '-P', '', '-f', join(dir, 'legacy_pem')]);
  // ssh-keygen -c edits the comment in the .pub only for some formats: the .pub's comment wins
  writeFileSync(join(dir, 'id_ed25519.pub'), readFileSync(join(dir, 'id_ed25519.pub'), 'utf8').replace('me@laptop', 'renamed@laptop'));
  writeFileSync(join(dir, 'known_hosts'), 'github.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n');
  writeFileSync(join(dir, 'config'), 'Host *\n  IdentityFile ~/.ssh/id_ed25519\n');
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'id_ed25519.pub')));
  writeFileSync(join(dir, 'notes.txt'), 'nothing to see\n');
  mkdirSync(join(dir, 'sub'));
  chmodSync(join(dir, 'sub'), 0o700);
});

afterAll(() => tmp.cleanup());

describe('~/.ssh', () => {
  it('imports each private key with its .pub comment and the fingerprint ssh-keygen -l prints', async () => {
    const r = await readSshDir(dir, { passphraseFor: (ref) => (ref === 'id_rsa' ? 'rsa pass' : undefined) });
    expect(r.items.map((i) => i.sourceRef)).toEqual(['id_ed25519', 'id_rsa', 'legacy_pem']);
    const ed = r.items[0]!;
    expect(ed).toMatchObject({
      kind: 'ssh_key_pair',
      name: 'id_ed25519',
      fingerprint: fp(join(dir, 'id_ed25519')),
      comment: 'renamed@laptop',
    });
    expect(ed.kind === 'ssh_key_pair' && ed.privateKey).toBe(readFileSync(join(dir, 'id_ed25519'), 'utf8'));
    expect(r.items[1]).toMatchObject({ fingerprint: fp(join(dir, 'id_rsa.pub')), comment: 'old rsa' });
    expect(r.items[2]).toMatchObject({ fingerprint: fp(join(dir, 'legacy_pem')) });
    expect(r.items[2]!.kind === 'ssh_key_pair' && r.items[2]!.privateKey).toContain('BEGIN RSA PRIVATE KEY');
  });

  it('decrypts a protected key into one ssh-keygen reads without a passphrase', async () => {
    const r = await readSshDir(dir, { passphraseFor: (ref) => (ref === 'id_rsa' ? 'rsa pass' : undefined) });
    const rsa = r.items.find((i) => i.sourceRef === 'id_rsa')!;
    const out = join(tmp.dir, 'opened');
    writeFileSync(out, rsa.kind === 'ssh_key_pair' ? rsa.privateKey : '', { mode: 0o600 });
    expect(sshKeygen(['-y', '-P', '', '-f', out]).split(' ').slice(0, 2).join(' ')).toBe(rsa.kind === 'ssh_key_pair' ? rsa.publicKey : '');
  });

  it('lists a protected key without its passphrase, or with a wrong one, as skipped with the reason', async () => {
    const r = await readSshDir(dir, { passphraseFor: (ref) => (ref === 'id_rsa' ? 'wrong' : undefined) });
    expect(r.skipped).toEqual([
      { sourceRef: 'id_ecdsa', reason: 'the key is protected by a passphrase and none was given for it' },
      { sourceRef: 'id_rsa', reason: 'the passphrase given does not open the key' },
    ]);
  });

  it('leaves known_hosts, config, authorized_keys, other files and sub-folders alone', async () => {
    const r = await readSshDir(dir);
    const refs = [...r.items, ...r.skipped].map((i) => i.sourceRef);
    for (const name of ['known_hosts', 'config', 'authorized_keys', 'notes.txt', 'sub', 'id_ed25519.pub']) expect(refs).not.toContain(name);
  });

  it('a missing folder is NOT_FOUND through readSource', async () => {
    await expect(readSource('ssh-dir', join(tmp.dir, 'nope'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
