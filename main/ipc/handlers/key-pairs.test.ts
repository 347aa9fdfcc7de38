import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRouter } from '../router.testkit';
import { keygen, makeTempDir, sshKeygen } from '../../keys/openssh-tools.testkit';
import { createMemoryPlatform } from '../../platform/memory';
import { createHandlers } from '.';
import { VaultManager } from '../../service/vault-manager';

const tmp = makeTempDir('keyhold-keypair-ipc-');
const ctx = {
  vaultPath: join(tmp.dir, 'vault.keyhold'),
  harness: 'bridge' as const,
  platform: createMemoryPlatform(),
  emit: () => undefined,
};
const vault = new VaultManager(ctx);
const router = createRouter(createHandlers(ctx, vault));
afterAll(() => {
  vault.dispose();
  tmp.cleanup();
});

async function call(channel: string, input: unknown): Promise<Record<string, unknown>> {
  const res = await router.invoke(channel, input);
  if (!res.ok) throw new Error(`${channel}: ${res.error.code} ${res.error.message}`);
  return res.value as Record<string, unknown>;
}

async function errorCode(channel: string, input: unknown): Promise<string> {
  const res = await router.invoke(channel, input);
  return res.ok ? 'ok' : res.error.code;
}

describe('key pair IPC channels', () => {
  it('are LOCKED before the vault is unlocked', async () => {
    expect(await errorCode('keys.generate', { name: 'x' })).toBe('LOCKED');
  });

  it('generate, show the randomart, export to a file, and import with a passphrase prompt', async () => {
    await call('vault.create', { password: 'master', kdf: { memoryKiB: 65536, iterations: 3, parallelism: 1 } });
    const gen = await call('keys.generate', { name: 'laptop', comment: 'me@laptop' });
    expect(gen.kind).toBe('ssh_key_pair');
    expect(String(gen.publicKey)).toMatch(/^ssh-ed25519 \S+ me@laptop$/);
    expect(String(gen.randomart)).toMatch(/^\+--\[ED25519 256\]--\+\n/);
    expect(JSON.stringify(gen)).not.toMatch(/PRIVATE KEY/);

    const shown = await call('keys.get', { id: gen.id });
    expect(shown.randomart).toBe(gen.randomart);
    const art = await call('keys.randomart', { id: gen.id });
    expect(art.fingerprintLine).toBe(`256 ${String(gen.fingerprint)} me@laptop (ED25519)`);

    const out = join(tmp.dir, 'id_laptop');
    const exp = await call('keys.export', { id: gen.id, format: 'openssh', path: out });
    expect(exp).toMatchObject({ path: out, mode: 0o600, passphraseProtected: false });
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(sshKeygen(['-y', '-f', out]).trim()).toBe(gen.publicKey);
    expect(await errorCode('keys.export', { id: gen.id, format: 'openssh', path: out })).toBe('CONFLICT');
    expect(await errorCode('keys.export', { id: gen.id, format: 'openssh', path: 'relative/key' })).toBe('INVALID_INPUT');
    expect(await errorCode('keys.export', { id: gen.id, format: 'putty', path: out })).toBe('INVALID_INPUT');

    const src = keygen(tmp.dir, 'to-import', 'ed25519', { passphrase: 'file pw', comment: 'imp' });
    const content = readFileSync(src).toString('base64');
    // no passphrase: WRONG_PASSWORD tells the UI to ask for one
    expect(await errorCode('keys.import', { name: 'imp', content, encoding: 'base64' })).toBe('WRONG_PASSWORD');
    expect(await errorCode('keys.import', { name: 'imp', content, encoding: 'base64', passphrase: 'nope' })).toBe('WRONG_PASSWORD');
    const imp = await call('keys.import', { name: 'imp', content, encoding: 'base64', passphrase: 'file pw', fileName: src });
    expect(imp.publicKey).toBe(readFileSync(`${src}.pub`, 'utf8').trim());
    expect(imp.hasSecret).toBe(true);
    expect(await errorCode('keys.import', { name: 'imp2', content: 'garbage!!', encoding: 'base64' })).toBe('INVALID_INPUT');
    // by path: the private key is read in main; relative paths, missing files and both-or-neither are refused
    const src2 = keygen(tmp.dir, 'by-path', 'ecdsa', { comment: 'bp' });
    const byPath = await call('keys.import', { name: 'bp', path: src2 });
    expect(byPath.publicKey).toBe(readFileSync(`${src2}.pub`, 'utf8').trim());
    expect(await errorCode('keys.import', { name: 'bp2', path: 'rel/key' })).toBe('INVALID_INPUT');
    expect(await errorCode('keys.import', { name: 'bp2', path: join(tmp.dir, 'missing') })).toBe('INVALID_INPUT');
    expect(await errorCode('keys.import', { name: 'bp2', path: src2, content: 'x' })).toBe('INVALID_INPUT');
    expect(await errorCode('keys.import', { name: 'bp2' })).toBe('INVALID_INPUT');
    expect(await errorCode('keys.import', { name: 'imp2', content: 'ssh-ed25519 AAAA!!garbage' })).toBe('INVALID_INPUT');
  });
});
