import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isKeyholdError } from '../errors';
import { keygen, makeTempDir, sshKeygen } from '../keys/openssh-tools.testkit';
import { writeKeepassXmlFixture } from '../migrate/keepassxc-xml-fixture.testkit';
import { openVault } from '../vault';
import { TEST_PASSWORD, fileBytes, newTestVault } from '../vault/test-vault.testkit';
import type { VaultSession } from '../vault/types';
import { migrate } from './migrate';

const tmp = makeTempDir('keyhold-migrate-service-');
const xml = join(tmp.dir, 'export.xml');
const sshDir = join(tmp.dir, '.ssh');
let passwords: string[] = [];

beforeAll(async () => {
  // 6 entries in two groups of 3, every 3rd with an OpenSSH key attachment (KeeAgent)
  passwords = await writeKeepassXmlFixture(xml, { entries: 6, entriesPerGroup: 3, keyEvery: 3 });
  mkdirSync(sshDir, { mode: 0o700 });
  keygen(sshDir, 'id_ed25519', 'ed25519', { comment: 'me@laptop' });
  keygen(sshDir, 'id_rsa', 'rsa', { comment: 'locked', passphrase: 'rsa pass', bits: 2048 });
  keygen(sshDir, 'legacy_pem', 'rsa', { comment: 'pem', bits: 2048 });
  sshKeygen(['-p', '-m', 'PEM', '-N', '', '-P', '', '-f', join(sshDir, 'legacy_pem')]);
});
afterAll(() => tmp.cleanup());

async function vault(name: string): Promise<{ path: string; session: VaultSession }> {
  const dir = join(tmp.dir, name);
  mkdirSync(dir);
  return newTestVault(dir);
}

async function rejection(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (e) {
    if (isKeyholdError(e)) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('expected a rejection');
}

describe('migrate (service)', () => {
  it('imports a KeePassXC export into a local workspace named after the source, groups as environments, secrets byte for byte', async () => {
    const { session } = await vault('apply');
    const r = await migrate(session, { source: 'keepassxc-xml', path: xml });
    expect(r.workspace).toBe('KeePassXC');
    // 6 logins and 1 key pair: the fixture attaches one key to entries 0 and 3
    expect(r.imported).toBe(7);
    expect(r.duplicates).toEqual([
      expect.objectContaining({ sourceRef: 'Team 1/service 3 [id_ed25519]', of: 'Team 0/service 0 [id_ed25519]' }),
    ]);
    expect(r.created).toEqual({ workspaces: ['KeePassXC'], environments: ['KeePassXC/Team 0', 'KeePassXC/Team 1'] });
    const ws = session.getWorkspace('KeePassXC');
    expect(ws.provider).toBe('local');
    expect(
      session
        .listEnvironments(ws.id)
        .map((e) => e.name)
        .sort(),
    ).toEqual(['Team 0', 'Team 1']); // created in the same millisecond: no order between them
    const logins = session.listKeys({ kind: 'login', sort: 'name' }).items;
    expect(logins).toHaveLength(6);
    for (let i = 0; i < 6; i++) {
      const k = logins.find((l) => l.name === `service ${i}`)!;
      expect(k).toMatchObject({
        publicPart: `user${i}`,
        description: `entry ${i}\nsecond line, "quoted" <x>`,
        meta: { url: `https://s${i}.example/login?a=1&b=2`, source: 'keepassxc-xml' },
      });
      expect(session.readSecret(k.id)).toBe(passwords[i]);
    }
    const pairs = session.listKeys({ kind: 'ssh_key_pair' }).items;
    expect(pairs).toHaveLength(1);
    expect(pairs[0]!.fingerprint).toMatch(/^SHA256:/);
    expect(session.readSecret(pairs[0]!.id)).toContain('BEGIN OPENSSH PRIVATE KEY');
    // every key audited as imported, from where; no secret in the trail
    const audit = session.listAudit().filter((a) => a.action === 'imported');
    expect(audit).toHaveLength(7);
    expect(audit.map((a) => a.detail)).toContain(`imported from keepassxc-xml ${xml} (Team 0/service 1)`);
    for (const a of session.listAudit()) for (const p of passwords) expect(a.detail).not.toContain(p);
    // no secret in the result either
    const json = JSON.stringify(r);
    for (const p of passwords) expect(json).not.toContain(p);
    session.lock();
  });

  it('running the same import again adds nothing and reports every item as a duplicate', async () => {
    const { path, session } = await vault('twice');
    await migrate(session, { source: 'keepassxc-xml', path: xml });
    session.lock();
    const again = await openVault(path, TEST_PASSWORD);
    const before = again.stats();
    const r = await migrate(again, { source: 'keepassxc-xml', path: xml });
    expect(r.imported).toBe(0);
    expect(r.items).toEqual([]);
    expect(r.duplicates).toHaveLength(8);
    expect(again.stats()).toEqual(before);
    again.lock();
  });

  it('a dry run says what would be imported and where, and writes nothing', async () => {
    const { path, session } = await vault('dry');
    session.lock();
    const bytes = fileBytes(path);
    const s = await openVault(path, TEST_PASSWORD);
    const r = await migrate(s, { source: 'keepassxc-xml', path: xml, dryRun: true, workspace: 'Ops', groups: 'workspaces' });
    expect(r).toMatchObject({
      dryRun: true,
      imported: 0,
      workspace: 'Ops',
      created: { workspaces: ['Team 0', 'Team 1'], environments: [] },
    });
    expect(r.items).toHaveLength(7);
    expect(r.items[0]).toMatchObject({ name: 'service 0', kind: 'ssh_key_pair', workspace: 'Team 0', environment: null });
    expect(r.items.every((i) => i.id === undefined)).toBe(true);
    expect(s.stats().keys).toBe(0);
    s.lock();
    expect(fileBytes(path).equals(bytes)).toBe(true);
  });

  it('a truncated file is INVALID_INPUT naming the line, and leaves the vault byte-identical', async () => {
    const { path, session } = await vault('truncated');
    await migrate(session, { source: 'keepassxc-xml', path: xml });
    session.lock();
    const bytes = fileBytes(path);
    const cut = join(tmp.dir, 'cut.xml');
    const full = readFileSync(xml, 'utf8');
    writeFileSync(cut, full.slice(0, Math.floor(full.length * 0.7)));
    const s = await openVault(path, TEST_PASSWORD);
    const err = await rejection(migrate(s, { source: 'keepassxc-xml', path: cut }));
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.message).toMatch(/line \d+/);
    s.lock();
    expect(fileBytes(path).equals(bytes)).toBe(true);
  });

  it('a failure half way (an environment the vault refuses) leaves no workspace, key or audit row', async () => {
    const { session } = await vault('halfway');
    const bitwarden = join(tmp.dir, 'bw.json');
    const folder = 'f'.repeat(600);
    writeFileSync(
      bitwarden,
      JSON.stringify({
        encrypted: false,
        folders: [{ id: 'f1', name: `${folder}/${folder}` }],
        items: [
          { id: 'i0', type: 1, name: 'top', folderId: null, notes: null, login: { username: 'u', password: 'p0', uris: [] } },
          { id: 'i1', type: 1, name: 'deep', folderId: 'f1', notes: null, login: { username: 'u', password: 'p1', uris: [] } },
        ],
      }),
    );
    const before = { stats: session.stats(), audit: session.listAudit().length };
    const err = await rejection(migrate(session, { source: 'bitwarden-json', path: bitwarden }));
    expect(err.code).toBe('INVALID_INPUT');
    expect(session.stats()).toEqual(before.stats);
    expect(session.listAudit()).toHaveLength(before.audit);
    expect(session.listWorkspaces()).toEqual([]);
    session.lock();
  });

  it('~/.ssh: key pairs with the ssh-keygen -l fingerprint; a protected key without its passphrase is skipped with the reason; a PEM key is stored as OpenSSH', async () => {
    const { session } = await vault('ssh');
    const r = await migrate(session, { source: 'ssh-dir', path: sshDir, workspace: 'laptop' });
    expect(r.imported).toBe(2);
    expect(r.skipped).toEqual([{ sourceRef: 'id_rsa', reason: 'the key is protected by a passphrase and none was given for it' }]);
    const keys = session.listKeys({ sort: 'name' }).items;
    for (const k of keys) {
      const fp = sshKeygen(['-l', '-f', join(sshDir, `${k.name}.pub`)]).split(' ')[1];
      expect(k.fingerprint).toBe(fp);
      expect(session.readSecret(k.id)).toMatch(/^-----BEGIN OPENSSH PRIVATE KEY-----/);
    }
    expect(keys.find((k) => k.name === 'id_ed25519')!.publicPart).toBe(readFileSync(join(sshDir, 'id_ed25519.pub'), 'utf8').trim());
    // with the passphrase the protected key comes in; the two others are duplicates now
    const second = await migrate(session, { source: 'ssh-dir', path: sshDir, workspace: 'laptop', passphrase: 'rsa pass' });
    expect(second.imported).toBe(1);
    expect(second.items[0]).toMatchObject({ name: 'id_rsa', workspace: 'laptop' });
    expect(second.duplicates.map((d) => d.sourceRef).sort()).toEqual(['id_ed25519', 'legacy_pem']);
    session.lock();
  });
});
