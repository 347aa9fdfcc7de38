// The end of the line for key files: a real sshd accepts a login with keys Keyhold wrote.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateEd25519 } from './ed25519';
import { renderExport } from './export-formats';
import { keygen, makeTempDir, sshLogin, startSshd, writeKeyFile, type Sshd } from './openssh-tools.testkit';
import { parseKeyFile } from './parse-key-file';
import { publicKeyLine } from './public-key';
import { userInfo } from 'node:os';

const tmp = makeTempDir('keyhold-sshd-');
const user = userInfo().username;
const ours = generateEd25519('keyhold@test');
let imported: Awaited<ReturnType<typeof parseKeyFile>>;
let sshd: Sshd;

beforeAll(async () => {
  // an RSA key made by ssh-keygen, imported and written back out by Keyhold
  const rsaPath = keygen(tmp.dir, 'rsa-src', 'rsa', { bits: 2048, comment: 'rsa' });
  imported = await parseKeyFile(readFileSync(rsaPath, 'utf8'));
  const authorized = [publicKeyLine(ours.publicKey, 'keyhold@test'), publicKeyLine(imported.publicKey, 'rsa')].join('\n');
  sshd = await startSshd(tmp.dir, `${authorized}\n`);
});

afterAll(async () => {
  await sshd?.stop();
  tmp.cleanup();
});

describe('a real sshd on 127.0.0.1', () => {
  it('accepts a login with an exported ed25519 key (openssh format)', async () => {
    const path = writeKeyFile(
      tmp.dir,
      'id_ed25519',
      (await renderExport({ publicKey: ours.publicKey, comment: ours.comment, privateKey: ours }, 'openssh')).text,
    );
    const res = await sshLogin(sshd.port, path, user);
    expect(res.stderr).not.toMatch(/Permission denied/);
    expect(res.status).toBe(0);
    expect(res.stdout.trim()).toBe('ok');
  });

  it("accepts a login with Encord's txt form of the same key", async () => {
    const path = writeKeyFile(
      tmp.dir,
      'encord.txt',
      (await renderExport({ publicKey: ours.publicKey, comment: ours.comment, privateKey: ours }, 'txt')).text,
    );
    const res = await sshLogin(sshd.port, path, user);
    expect(res.status).toBe(0);
    expect(res.stdout.trim()).toBe('ok');
  });

  it('accepts a login with an imported RSA key re-exported by Keyhold', async () => {
    const path = writeKeyFile(tmp.dir, 'id_rsa', (await renderExport(imported, 'openssh')).text);
    const res = await sshLogin(sshd.port, path, user);
    expect(res.status).toBe(0);
    expect(res.stdout.trim()).toBe('ok');
  });

  it('refuses a key that is not in authorized_keys (the server really checks)', async () => {
    const stranger = generateEd25519('stranger');
    const path = writeKeyFile(
      tmp.dir,
      'id_stranger',
      (await renderExport({ publicKey: stranger.publicKey, comment: '', privateKey: stranger }, 'openssh')).text,
    );
    const res = await sshLogin(sshd.port, path, user);
    expect(res.status).not.toBe(0);
    expect(res.stderr).toMatch(/Permission denied/);
  });
});
