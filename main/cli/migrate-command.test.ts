import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keygen, makeTempDir, sshKeygen } from '../keys/openssh-tools.testkit';
import { KeepassDb } from '../migrate/keepassxc.testkit';
import { createVault } from '../vault';
import { runKeyhold } from './harness.testkit';

const PASSWORD = 'pä"ss,wörd 🔑 <&amp;> x';
const TOKEN = 'tok_0123456789abcdef';
const KEY_PASSPHRASE = 'ssh dir passphrase';

const tmp = makeTempDir('keyhold-migrate-cli-');
const sshDir = join(tmp.dir, '.ssh');
const xmlPath = join(tmp.dir, 'export.xml');
const csvPath = join(tmp.dir, 'export.csv');
let deployFingerprint = '';

interface Row {
  sourceRef: string;
  name: string;
  kind: string;
  workspace: string;
  environment: string | null;
  id?: string;
  fingerprint?: string;
  login?: string;
}
interface MigrateJson {
  imported: number;
  skipped: { sourceRef: string; reason: string }[];
  duplicates: Row[];
  items: Row[];
}

async function newVault(name: string): Promise<NodeJS.ProcessEnv> {
  const path = join(tmp.dir, name);
  const s = await createVault(path, 'master pw', { kdf: { memoryKiB: 65536, iterations: 3, parallelism: 1 } });
  s.lock();
  return { KEYHOLD_VAULT: path, KEYHOLD_PASSWORD: 'master pw' };
}

beforeAll(() => {
  const deploy = keygen(tmp.dir, 'id_deploy', 'ed25519', { comment: 'deploy@example' });
  deployFingerprint = sshKeygen(['-l', '-f', deploy]).split(' ')[1]!;
  const db = new KeepassDb(tmp.dir);
  db.mkdir('Prod');
  db.add({ path: 'Prod/db root', username: 'root', url: 'https://db.example', notes: 'line 1\nline 2', password: PASSWORD });
  db.add({
    path: 'Prod/deploy key',
    attachments: [
      { name: 'id_deploy', file: deploy },
      { name: 'id_deploy.pub', file: `${deploy}.pub` },
    ],
  });
  db.add({ path: 'api token', password: TOKEN });
  writeFileSync(xmlPath, db.export('xml'));
  writeFileSync(csvPath, db.export('csv'));
  mkdirSync(sshDir, { mode: 0o700 });
  keygen(sshDir, 'id_ed25519', 'ed25519', { comment: 'me@laptop' });
  keygen(sshDir, 'id_locked', 'ed25519', { comment: 'locked@laptop', passphrase: KEY_PASSPHRASE });
});
afterAll(() => tmp.cleanup());

describe('keyhold migrate', () => {
  it('imports a keepassxc-cli XML export: every secret byte for byte, groups as environments, the key pair with its fingerprint', async () => {
    const env = await newVault('xml.keyhold');
    const run = await runKeyhold(['--json', 'migrate', '--from', 'keepassxc-xml', xmlPath], { env });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const r = run.json<MigrateJson>();
    expect(r.imported).toBe(3);
    const byName = (n: string) => r.items.find((i) => i.name === n)!;
    expect(r.items.map((i) => [i.name, i.kind, i.workspace, i.environment]).sort()).toEqual([
      ['api token', 'api_key', 'KeePassXC', null],
      ['db root', 'login', 'KeePassXC', 'Prod'],
      ['deploy key', 'ssh_key_pair', 'KeePassXC', 'Prod'],
    ]);
    expect(byName('deploy key').fingerprint).toBe(deployFingerprint);
    expect(run.stdout).not.toContain(PASSWORD);
    expect(run.stdout).not.toContain(TOKEN);
    const reveal = async (id: string) =>
      (await runKeyhold(['--json', 'key', 'show', id, '--reveal'], { env })).json<{
        secret: string;
        public: string;
        description: string;
        meta: Record<string, string>;
      }>();
    const root = await reveal(byName('db root').id!);
    expect(root).toMatchObject({ secret: PASSWORD, public: 'root', description: 'line 1\nline 2', meta: { url: 'https://db.example' } });
    expect((await reveal(byName('api token').id!)).secret).toBe(TOKEN);
    expect((await reveal(byName('deploy key').id!)).secret).toBe(readFileSync(join(tmp.dir, 'id_deploy'), 'utf8'));
    const audit = await runKeyhold(['--json', 'audit'], { env });
    expect(
      audit
        .json<{ action: string; detail: string }[]>()
        .filter((a) => a.action === 'imported')
        .map((a) => a.detail),
    ).toContain(`imported from keepassxc-xml ${xmlPath} (Prod/db root)`);

    // the CSV export of the same database: the same logins, recognised by content
    const csv = await runKeyhold(['--json', 'migrate', '--from', 'keepassxc-csv', csvPath], { env });
    expect(csv.code).toBe(0);
    const again = csv.json<MigrateJson>();
    expect(again.imported).toBe(0);
    expect(again.duplicates.map((d) => d.name).sort()).toEqual(['api token', 'db root']);
    expect((await runKeyhold(['--json', 'key', 'list'], { env })).json<unknown[]>()).toHaveLength(3);
  });

  it('--dry-run lists what would be imported and writes nothing; text output is readable', async () => {
    const env = await newVault('dry.keyhold');
    const run = await runKeyhold(['migrate', '--from', 'keepassxc-xml', xmlPath, '--workspace', 'Ops', '--dry-run'], { env });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Would import 3 keys from ${xmlPath} (keepassxc-xml) into Ops`);
    expect(run.stdout).toMatch(/\+ login\s+db root {2}-> Ops\/Prod/);
    expect(run.stdout).toContain('New workspaces: Ops');
    expect(run.stdout).toContain('Nothing was written (--dry-run).');
    expect(run.stdout).not.toContain(PASSWORD);
    expect((await runKeyhold(['--json', 'key', 'list'], { env })).json<unknown[]>()).toEqual([]);
    expect((await runKeyhold(['--json', 'workspace', 'list'], { env })).json<unknown[]>()).toEqual([]);
  });

  it('ssh-dir: a protected key without --passphrase-stdin is skipped with the reason; with it, it is imported', async () => {
    const env = await newVault('ssh.keyhold');
    const first = await runKeyhold(['--json', 'migrate', '--from', 'ssh-dir', sshDir, '--workspace', 'laptop'], { env });
    expect(first.code).toBe(0);
    const r = first.json<MigrateJson>();
    expect(r.items.map((i) => [i.name, i.fingerprint])).toEqual([
      ['id_ed25519', sshKeygen(['-l', '-f', join(sshDir, 'id_ed25519')]).split(' ')[1]],
    ]);
    expect(r.skipped).toEqual([{ sourceRef: 'id_locked', reason: 'the key is protected by a passphrase and none was given for it' }]);
    const second = await runKeyhold(['--json', 'migrate', '--from', 'ssh-dir', sshDir, '--workspace', 'laptop', '--passphrase-stdin'], {
      env,
      stdin: `${KEY_PASSPHRASE}\n`,
    });
    expect(second.code).toBe(0);
    const r2 = second.json<MigrateJson>();
    expect(r2.items.map((i) => [i.name, i.fingerprint])).toEqual([
      ['id_locked', sshKeygen(['-l', '-f', join(sshDir, 'id_locked.pub')]).split(' ')[1]],
    ]);
    expect(r2.duplicates.map((d) => d.name)).toEqual(['id_ed25519']);
  });

  it('a malformed file is INVALID_INPUT (exit 7) naming where, and the vault keeps nothing of it', async () => {
    const env = await newVault('bad.keyhold');
    const bad = join(tmp.dir, 'bad.xml');
    const text = readFileSync(xmlPath, 'utf8');
    writeFileSync(bad, text.slice(0, text.indexOf('</Entry>') + 3));
    const run = await runKeyhold(['--json', 'migrate', '--from', 'keepassxc-xml', bad], { env });
    expect(run.code).toBe(7);
    const err = JSON.parse(run.stderr) as { error: { code: string; message: string } };
    expect(err.error.code).toBe('INVALID_INPUT');
    expect(err.error.message).toMatch(/line \d+/);
    expect((await runKeyhold(['--json', 'workspace', 'list'], { env })).json<unknown[]>()).toEqual([]);
    const usage = await runKeyhold(['migrate', '--from', 'lastpass', xmlPath], { env });
    expect(usage.code).toBe(1);
  });
});
