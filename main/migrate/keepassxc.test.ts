import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keygen, makeTempDir, sshKeygen, writeKeyFile } from '../keys/openssh-tools.testkit';
import { contentHash, type MigrationItem, type MigrationRead } from './item';
import { readKeepassCsv } from './keepassxc-csv';
import { readKeepassXml } from './keepassxc-xml';
import { KeepassDb } from './keepassxc.testkit';

const PASSWORD = "pä\"ss,wörd 🔑 'x' <&amp;> \\n";
// no CR: KeePassXC itself stores notes with bare line feeds
const NOTES = 'first line\nsecond, "quoted" line\n<tag>&amp; ünïcödé 🗝️\n';
const KEY_PASSPHRASE = 'keeagent passphrase';

const tmp = makeTempDir('keyhold-migrate-kpx-');
/** exported while the database is still KDBX 3.1, which keepassxc-cli writes with <Binaries> */
let xml31 = '';
/** exported once it is KDBX 4: every entry, but no attachment contents */
let xml = '';
let csv = '';
let kdbxMajor = 0;
let plainKey = '';
let plainKeyFingerprint = '';
let protectedKeyFingerprint = '';

beforeAll(() => {
  const plainPath = keygen(tmp.dir, 'id_deploy', 'ed25519', { comment: 'deploy@example' });
  const protectedPath = keygen(tmp.dir, 'id_protected', 'ecdsa', { comment: 'ops@example', passphrase: KEY_PASSPHRASE });
  plainKey = readFileSync(plainPath, 'utf8');

  plainKeyFingerprint = sshKeygen(['-l', '-f', plainPath]).split(' ')[1]!;
  protectedKeyFingerprint = sshKeygen(['-l', '-f', `${protectedPath}.pub`]).split(' ')[1]!;
  const blob = join(tmp.dir, 'manual.pdf');
  writeFileSync(blob, randomBytes(300 * 1024));

  const db = new KeepassDb(tmp.dir);
  db.mkdir('Prod');
  db.mkdir('Prod/db, "main"');
  db.add({
    path: 'Prod/db, "main"/root, admin',
    username: 'röot,"x"',
    url: 'https://db.example/?a=1&b="2"',
    notes: NOTES,
    password: PASSWORD,
  });
  db.add({
    path: 'Prod/deploy key',
    attachments: [
      { name: 'id_deploy', file: plainPath },
      { name: 'id_deploy.pub', file: `${plainPath}.pub` },
      { name: 'manual.pdf', file: blob },
    ],
  });
  db.add({ path: 'Prod/ops key', password: KEY_PASSPHRASE, attachments: [{ name: 'id_ops', file: protectedPath }] });
  db.add({ path: 'recovery codes', notes: NOTES });
  db.add({ path: 'api token', password: 'tok_0123456789' });
  db.add({ path: 'old entry', username: 'gone', password: 'deleted-secret' });
  xml31 = db.export('xml');
  // keepassxc-cli creates a KDBX 3.1 file (AES-KDF); the recycle bin's first use makes it KDBX 4
  db.remove('old entry');
  kdbxMajor = readFileSync(db.path).readUInt16LE(10);
  xml = db.export('xml');
  csv = db.export('csv');
});

afterAll(() => tmp.cleanup());

const byRef = (r: MigrationRead, ref: string): MigrationItem => {
  const found = r.items.find((i) => i.sourceRef === ref || i.sourceRef.startsWith(`${ref} (line`));
  if (!found) throw new Error(`no item ${ref} in ${r.items.map((i) => i.sourceRef).join(', ')}`);
  return found;
};

describe('KeePassXC XML export made by keepassxc-cli', () => {
  it('brings every secret byte for byte, with its group path, login, URL and notes', async () => {
    const r = await readKeepassXml(Readable.from([xml]));
    const root = byRef(r, 'Prod/db, "main"/root, admin');
    expect(root).toMatchObject({
      kind: 'login',
      name: 'root, admin',
      groupPath: ['Prod', 'db, "main"'],
      login: 'röot,"x"',
      url: 'https://db.example/?a=1&b="2"',
    });
    expect(root.kind === 'login' && Buffer.from(root.secret).equals(Buffer.from(PASSWORD))).toBe(true);
    expect(root.notes).toBe(NOTES);
    expect(byRef(r, 'recovery codes')).toMatchObject({ kind: 'note', secret: NOTES });
    expect(byRef(r, 'api token')).toMatchObject({ kind: 'api_key', secret: 'tok_0123456789' });
  });

  it('is the export of a KDBX 4 database', () => {
    expect(kdbxMajor).toBe(4);
    expect(xml).not.toContain('<Binaries>');
    expect(xml31).toContain('<Binaries>');
  });

  it('lists the key attachments a KDBX 4 export leaves out as skipped, with what to do', async () => {
    const r = await readKeepassXml(Readable.from([xml]));
    const ref = r.skipped.find((s) => s.sourceRef === 'Prod/deploy key [id_deploy]');
    expect(ref?.reason).toContain('attachment-export');
    expect(r.items.some((i) => i.sourceRef.startsWith('Prod/deploy key'))).toBe(false);
  });

  it('turns an OpenSSH key attachment into a key pair with the fingerprint ssh-keygen -l prints', async () => {
    const r = await readKeepassXml(Readable.from([xml31]));
    const key = byRef(r, 'Prod/deploy key [id_deploy]');
    expect(key).toMatchObject({
      kind: 'ssh_key_pair',
      name: 'deploy key',
      fingerprint: plainKeyFingerprint,
      comment: 'deploy@example',
      privateKey: plainKey,
    });
    expect(r.skipped).toContainEqual({
      sourceRef: 'Prod/deploy key [manual.pdf]',
      reason: 'attachments other than SSH private keys are not imported',
    });
  });

  it("opens a protected key attachment with the entry's password, as KeeAgent keeps it, and does not import that password again", async () => {
    const r = await readKeepassXml(Readable.from([xml31]));
    const key = byRef(r, 'Prod/ops key [id_ops]');
    expect(key).toMatchObject({ kind: 'ssh_key_pair', fingerprint: protectedKeyFingerprint, comment: 'ops@example' });
    expect(key.kind === 'ssh_key_pair' && key.privateKey).toContain('BEGIN OPENSSH PRIVATE KEY');
    expect(r.items.filter((i) => i.sourceRef.startsWith('Prod/ops key'))).toHaveLength(1);
    const opened = sshKeygen(['-y', '-f', writeKeyFile(tmp.dir, 'opened', key.kind === 'ssh_key_pair' ? key.privateKey : '')]);
    expect(opened.split(' ')[1]).toBe(key.kind === 'ssh_key_pair' ? key.publicKey.split(' ')[1] : 'x');
  });

  it('skips what is in the recycle bin and ignores history versions', async () => {
    const r = await readKeepassXml(Readable.from([xml]));
    expect(r.skipped).toContainEqual({ sourceRef: 'Recycle Bin/old entry', reason: 'it is in the recycle bin' });
    expect(r.items.some((i) => i.kind !== 'ssh_key_pair' && i.secret === 'deleted-secret')).toBe(false);
    // root, the ops key's passphrase (its key is not in this export), notes, token
    expect(r.items.map((i) => i.sourceRef).sort()).toEqual(['Prod/db, "main"/root, admin', 'Prod/ops key', 'api token', 'recovery codes']);
  });

  it('reads a file in small chunks the same as whole (streaming)', async () => {
    const chunks = xml31.match(/[\s\S]{1,7}/gu) ?? [];
    expect(await readKeepassXml(Readable.from(chunks))).toEqual(await readKeepassXml(Readable.from([xml31])));
  });
});

describe('KeePassXC CSV export made by keepassxc-cli', () => {
  it('gives the same secrets, groups and content hashes as the XML export', async () => {
    const fromCsv = await readKeepassCsv(Readable.from([csv]));
    const fromXml = await readKeepassXml(Readable.from([xml]));
    const key = randomBytes(32);
    const secrets = (r: MigrationRead) =>
      r.items
        .filter((i) => i.kind !== 'ssh_key_pair')
        .map((i) => contentHash(i, key))
        .sort();
    const root = byRef(fromCsv, 'Prod/db, "main"/root, admin');
    expect(root.kind === 'login' && Buffer.from(root.secret).equals(Buffer.from(PASSWORD))).toBe(true);
    expect(root).toMatchObject({ groupPath: ['Prod', 'db, "main"'], login: 'röot,"x"', notes: NOTES });
    // the CSV has no attachments, so the same login items and no key pairs
    expect(secrets(fromCsv)).toEqual(secrets(fromXml));
    expect(fromCsv.skipped).toEqual([
      { sourceRef: 'Prod/deploy key (line 7)', reason: 'it holds no password, key or notes' },
      { sourceRef: 'Recycle Bin/old entry', reason: 'it is in the recycle bin' },
    ]);
  });
});

describe('damaged KeePassXC exports', () => {
  it('a truncated XML file is INVALID_INPUT naming the line, never a secret', async () => {
    const cut = xml.slice(0, xml.indexOf('pä&quot;ss,w') + 8);
    const err = await readKeepassXml(Readable.from([cut])).catch((e: unknown) => e);
    const line = cut.split('\n').length;
    expect(err).toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(
        new RegExp(`^KeePassXC XML, line ${line} \\(in the entry that starts on line \\d+\\): the file ends inside <Value>`),
      ),
    });
    expect(String((err as Error).message)).not.toContain('wörd');
  });

  it('a damaged tag is INVALID_INPUT naming its line', async () => {
    const at = xml.indexOf('</Value>');
    const broken = `${xml.slice(0, at)}</Valu>${xml.slice(at + 8)}`;
    const err = await readKeepassXml(Readable.from([broken])).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining(`KeePassXC XML, line ${xml.slice(0, at).split('\n').length}`),
    });
  });

  it('an XML file with encrypted values (the inside of a database) is refused', async () => {
    const inner = xml.replace('ProtectInMemory="True"', 'Protected="True"');
    await expect(readKeepassXml(Readable.from([inner]))).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('Protected'),
    });
  });

  it('an entry that refers to a missing attachment names the entry', async () => {
    const broken = xml31.replace(/<Binaries>[\s\S]*<\/Binaries>/, '<Binaries/>');
    await expect(readKeepassXml(Readable.from([broken]))).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('deploy key'),
    });
  });

  it('other XML is not taken for an export', async () => {
    await expect(readKeepassXml(Readable.from(['<?xml version="1.0"?><html><body/></html>']))).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('KeePassFile'),
    });
    await expect(readKeepassXml(Readable.from(['']))).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('a truncated CSV file is INVALID_INPUT naming the line where the open field starts', async () => {
    const cut = csv.slice(0, csv.indexOf('second, ""quoted""'));
    const line = cut.slice(0, cut.lastIndexOf('\n"')).split('\n').length + 1;
    const err = await readKeepassCsv(Readable.from([cut])).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'INVALID_INPUT',
      message: `KeePassXC CSV, line ${line}: a quoted field is never closed (the file is truncated?)`,
    });
  });

  it('a CSV without the KeePassXC header is refused', async () => {
    await expect(readKeepassCsv(Readable.from(['a,b\n1,2\n']))).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('line 1'),
    });
  });
});
