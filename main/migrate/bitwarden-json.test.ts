import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { keygen, makeTempDir, sshKeygen } from '../keys/openssh-tools.testkit';
import { readBitwardenJson } from './bitwarden-json';

const tmp = makeTempDir('keyhold-migrate-bw-');
afterAll(() => tmp.cleanup());

const PASSWORD = 'Bw "pä,ss"\n🔐\\';
const keyPath = keygen(tmp.dir, 'bw_key', 'ed25519', { comment: 'bw@example' });
const keyFingerprint = sshKeygen(['-l', '-f', keyPath]).split(' ')[1]!;

// the layout of Bitwarden's help page "Condition a Bitwarden .json file"
function exportFile(extraItems: unknown[] = [], statedFingerprint = keyFingerprint): Buffer {
  return Buffer.from(
    JSON.stringify(
      {
        encrypted: false,
        folders: [{ id: 'f1', name: 'Servers/Prod' }],
        items: [
          {
            id: 'i1',
            organizationId: null,
            folderId: 'f1',
            type: 1,
            reprompt: 0,
            name: 'db admin',
            notes: 'multi\nline "notes"',
            favorite: false,
            fields: [{ name: 'pin', value: '1234', type: 1 }],
            login: { uris: [{ match: null, uri: 'https://db.example' }], username: 'admin', password: PASSWORD, totp: null },
            collectionIds: null,
          },
          { id: 'i2', folderId: null, type: 2, name: 'wifi', notes: 'SSID x / key y', secureNote: { type: 0 } },
          { id: 'i3', folderId: 'f1', type: 3, name: 'visa', card: { number: '4111111111111111' } },
          {
            id: 'i4',
            folderId: 'f1',
            type: 5,
            name: 'deploy key',
            sshKey: {
              privateKey: readFileSync(keyPath, 'utf8'),
              publicKey: readFileSync(`${keyPath}.pub`, 'utf8').trim(),
              keyFingerprint: statedFingerprint,
            },
          },
          ...extraItems,
        ],
      },
      null,
      2,
    ),
  );
}

describe('Bitwarden unencrypted JSON export', () => {
  it('imports logins, secure notes and SSH keys byte for byte, folders as groups', async () => {
    const r = await readBitwardenJson(exportFile());
    expect(r.items).toHaveLength(3);
    expect(r.items[0]).toMatchObject({
      kind: 'login',
      name: 'db admin',
      groupPath: ['Servers', 'Prod'],
      login: 'admin',
      url: 'https://db.example',
      secret: PASSWORD,
      notes: 'multi\nline "notes"',
    });
    expect(r.items[1]).toMatchObject({ kind: 'note', name: 'wifi', groupPath: [], secret: 'SSID x / key y' });
    expect(r.items[2]).toMatchObject({
      kind: 'ssh_key_pair',
      name: 'deploy key',
      fingerprint: keyFingerprint,
      privateKey: readFileSync(keyPath, 'utf8'),
    });
  });

  it('skips an SSH key item whose stated fingerprint is not the key', async () => {
    const r = await readBitwardenJson(exportFile([], 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'));
    expect(r.items.some((i) => i.kind === 'ssh_key_pair')).toBe(false);
    expect(r.skipped).toContainEqual({
      sourceRef: 'Servers/Prod/deploy key [sshKey]',
      reason: expect.stringContaining("is not the key's"),
    });
  });

  it('lists cards and custom fields as skipped, never with their values', async () => {
    const r = await readBitwardenJson(exportFile());
    expect(r.skipped).toEqual([
      { sourceRef: 'Servers/Prod/db admin [field pin]', reason: 'custom fields are not imported' },
      { sourceRef: 'Servers/Prod/visa', reason: 'cards are not imported' },
    ]);
    expect(JSON.stringify(r.skipped)).not.toContain('4111');
  });

  it('refuses an encrypted export with what to do instead', async () => {
    const enc = Buffer.from(
      JSON.stringify({
        encrypted: true,
        passwordProtected: true,
        salt: 'x',
        kdfType: 0,
        kdfIterations: 600000,
        encKeyValidation_DO_NOT_EDIT: '2.x',
        data: '2.y',
      }),
    );
    await expect(readBitwardenJson(enc)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('encrypted Bitwarden export'),
    });
  });

  it('a truncated file is INVALID_INPUT naming the line, not quoting it', async () => {
    const text = exportFile().toString('utf8');
    const cut = text.slice(0, text.indexOf(PASSWORD.slice(0, 6)) + 4);
    const err = await readBitwardenJson(Buffer.from(cut)).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'INVALID_INPUT',
      message: `Bitwarden JSON, line ${cut.split('\n').length}: malformed JSON (the file is damaged or truncated)`,
    });
  });

  it('a malformed item is INVALID_INPUT naming the item and field', async () => {
    const err = await readBitwardenJson(exportFile([{ type: 1, name: 'bad', login: { password: 42 } }])).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/^Bitwarden JSON, items\[4\]: login\.password: /) });
  });
});
