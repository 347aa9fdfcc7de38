import { randomBytes } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keygen, makeTempDir, sshKeygen } from '../keys/openssh-tools.testkit';
import { createVault } from '../vault';
import { runKeyhold } from './harness.testkit';

const tmp = makeTempDir('keyhold-keypair-cli-');
const vaultPath = join(tmp.dir, 'vault.keyhold');
const env = { KEYHOLD_VAULT: vaultPath, KEYHOLD_PASSWORD: 'master pw' };

beforeAll(async () => {
  const s = await createVault(vaultPath, 'master pw', { kdf: { memoryKiB: 65536, iterations: 3, parallelism: 1 } });
  s.addWorkspace({ name: 'enc', provider: 'encord' });
  s.lock();
});
afterAll(() => tmp.cleanup());

interface GenJson {
  id: string;
  publicKey: string;
  fingerprint: string;
  randomart: string;
  hasSecret: boolean;
}

async function keyCount(): Promise<number> {
  const run = await runKeyhold(['--json', 'key', 'list'], { env });
  return run.json<unknown[]>().length;
}

describe('keyhold gen / import / export', () => {
  it('gen ed25519 prints id, publicKey and fingerprint; the key exports to what ssh-keygen reads', async () => {
    const run = await runKeyhold(['--json', 'gen', 'ed25519', '--name', 'deploy', '--comment', 'deploy@ci'], { env });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const gen = run.json<GenJson>();
    expect(gen.publicKey).toMatch(/^ssh-ed25519 AAAA\S+ deploy@ci$/);
    expect(gen.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    const out = join(tmp.dir, 'id_deploy');
    const exp = await runKeyhold(['export', gen.id, '--format', 'openssh', '--out', out], { env });
    expect(exp.code).toBe(0);
    expect(exp.stdout).toContain(`Wrote ${out} (openssh, mode 0600)`);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(sshKeygen(['-y', '-f', out]).trim()).toBe(gen.publicKey);
    expect(sshKeygen(['-l', '-f', out]).trim()).toBe(`256 ${gen.fingerprint} deploy@ci (ED25519)`);
  });

  it('gen in text mode prints the public line, fingerprint and randomart like ssh-keygen; key show too', async () => {
    const run = await runKeyhold(['gen', 'ed25519', '--name', 'txt', '--comment', 'c'], { env });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/The key's randomart image is:\n\+--\[ED25519 256\]--\+\n/);
    const id = /\(([^)]+)\)\n/.exec(run.stdout)?.[1] ?? '';
    const show = await runKeyhold(['--json', 'key', 'show', id], { env });
    const view = show.json<GenJson>();
    expect(view.publicKey).toMatch(/^ssh-ed25519 \S+ c$/);
    const pub = join(tmp.dir, 'show.pub');
    writeFileSync(pub, `${view.publicKey}\n`);
    expect(view.randomart).toBe(sshKeygen(['-lv', '-f', pub]).trimEnd().split('\n').slice(1).join('\n'));
    const text = await runKeyhold(['key', 'show', id], { env });
    expect(text.stdout).toContain(view.randomart);
    expect(text.stdout).toContain(view.fingerprint);
  });

  it('gen refuses key types other than ed25519 (USAGE)', async () => {
    const run = await runKeyhold(['--json', 'gen', 'rsa', '--name', 'x'], { env });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stderr).error.code).toBe('USAGE');
  });

  it('import reads a protected ssh-keygen key with --passphrase-stdin, with the fingerprint ssh-keygen prints', async () => {
    const src = keygen(tmp.dir, 'imp', 'ed25519', { passphrase: 'file pw', comment: 'imp@host' });
    const run = await runKeyhold(['--json', 'import', src, '--name', 'imp', '--workspace', 'enc', '--passphrase-stdin'], {
      env,
      stdin: 'file pw\n',
    });
    expect(run.code).toBe(0);
    const view = run.json<GenJson>();
    expect(`256 ${view.fingerprint} imp@host (ED25519)`).toBe(sshKeygen(['-l', '-f', src]).trim());
    expect(view.hasSecret).toBe(true);
    // with --password-stdin the master password comes first, then the passphrase
    const src2 = keygen(tmp.dir, 'imp2', 'ecdsa', { passphrase: 'pw2', comment: 'e' });
    const run2 = await runKeyhold(['--json', '--password-stdin', 'import', src2, '--name', 'imp2', '--passphrase-stdin'], {
      env: { KEYHOLD_VAULT: vaultPath },
      stdin: 'master pw\npw2\n',
    });
    expect(run2.code).toBe(0);
    expect(run2.json<GenJson>().fingerprint).toBe(sshKeygen(['-l', '-f', src2]).trim().split(' ')[1]);
  });

  it('import of a public key line from standard input stores a public-only key', async () => {
    const src = keygen(tmp.dir, 'pubstdin', 'rsa', { bits: 2048, comment: 'r' });
    const run = await runKeyhold(['--json', 'import', '-', '--name', 'pub'], { env, stdin: readFileSync(`${src}.pub`, 'utf8') });
    expect(run.code).toBe(0);
    const view = run.json<GenJson>();
    expect(view.hasSecret).toBe(false);
    expect(`2048 ${view.fingerprint} r (RSA)`).toBe(sshKeygen(['-l', '-f', `${src}.pub`]).trim());
  });

  it('import: wrong passphrase is exit 2, garbage exit 7, a missing file exit 7, a duplicate exit 6; nothing stored', async () => {
    const before = await keyCount();
    const src = keygen(tmp.dir, 'bad', 'ed25519', { passphrase: 'right' });
    const wrong = await runKeyhold(['--json', 'import', src, '--name', 'x', '--passphrase-stdin'], { env, stdin: 'wrong\n' });
    expect(wrong.code).toBe(2);
    expect(JSON.parse(wrong.stderr).error.code).toBe('WRONG_PASSWORD');
    const noPass = await runKeyhold(['import', src, '--name', 'x'], { env });
    expect(noPass.code).toBe(1);
    expect(noPass.stderr).toMatch(/--passphrase-stdin|--\*-stdin/);
    const junk = join(tmp.dir, 'junk.key');
    writeFileSync(junk, randomBytes(700));
    // refused before the master password is even needed
    const garbage = await runKeyhold(['--json', 'import', junk, '--name', 'x'], { env: { KEYHOLD_VAULT: vaultPath } });
    expect(garbage.code).toBe(7);
    expect(JSON.parse(garbage.stderr).error.code).toBe('INVALID_INPUT');
    expect((await runKeyhold(['import', join(tmp.dir, 'nope'), '--name', 'x'], { env })).code).toBe(7);
    const dupSrc = keygen(tmp.dir, 'dup', 'ed25519');
    expect((await runKeyhold(['import', dupSrc, '--name', 'd1'], { env })).code).toBe(0);
    expect((await runKeyhold(['import', `${dupSrc}.pub`, '--name', 'd2'], { env })).code).toBe(6);
    expect(await keyCount()).toBe(before + 1);
  });

  it('export: CONFLICT without --force, --force replaces, pub is 0644, - prints, a passphrase protects', async () => {
    const gen = (await runKeyhold(['--json', 'gen', 'ed25519', '--name', 'exp', '--comment', 'x'], { env })).json<GenJson>();
    const out = join(tmp.dir, 'id_exp');
    expect((await runKeyhold(['export', gen.id, '--format', 'openssh', '--out', out], { env })).code).toBe(0);
    const again = await runKeyhold(['--json', 'export', gen.id, '--format', 'openssh', '--out', out], { env });
    expect(again.code).toBe(6);
    expect(JSON.parse(again.stderr).error.code).toBe('CONFLICT');
    const forced = await runKeyhold(['export', gen.id, '--format', 'openssh', '--out', out, '--force', '--passphrase-stdin'], {
      env,
      stdin: 'export pw\n',
    });
    expect(forced.code).toBe(0);
    expect(sshKeygen(['-y', '-P', 'export pw', '-f', out]).trim()).toBe(gen.publicKey);
    expect((await runKeyhold(['export', gen.id, '--format', 'pub', '--out', `${out}.pub`], { env })).code).toBe(0);
    expect(statSync(`${out}.pub`).mode & 0o777).toBe(0o644);
    const dash = await runKeyhold(['export', gen.id, '--format', 'pub', '--out', '-'], { env });
    expect(dash.stdout).toBe(`${gen.publicKey}\n`);
    const pkcs8 = await runKeyhold(['export', gen.id, '--format', 'pkcs8', '--out', '-'], { env });
    expect(pkcs8.stdout).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect((await runKeyhold(['export', gen.id, '--format', 'ppk', '--out', '-'], { env })).code).toBe(1);
    expect((await runKeyhold(['export', 'no-such-key', '--format', 'pub', '--out', '-'], { env })).code).toBe(3);
  });

  it('export of a key in an Encord workspace keeps the passphrase asked for and warns that Encord says to leave it blank', async () => {
    const gen = (await runKeyhold(['--json', 'gen', 'ed25519', '--name', 'enc-key', '--workspace', 'enc'], { env })).json<GenJson>();
    const out = join(tmp.dir, 'encord.txt');
    const run = await runKeyhold(['export', gen.id, '--format', 'txt', '--out', out, '--passphrase-stdin'], { env, stdin: 'kept\n' });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/Encord's docs say to leave it blank/);
    expect(sshKeygen(['-y', '-P', 'kept', '-f', out]).trim()).toBe(gen.publicKey);
    const plain = await runKeyhold(['--json', 'export', gen.id, '--format', 'openssh', '--out', `${out}.2`], { env });
    expect(plain.json<{ note?: string; passphraseProtected: boolean }>()).toEqual(expect.objectContaining({ passphraseProtected: false }));
    expect(sshKeygen(['-y', '-P', '', '-f', `${out}.2`]).trim()).toBe(gen.publicKey);
  });
});
