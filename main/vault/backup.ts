// Encrypted backup files: the whole vault, sealed under a passphrase with its own Argon2id salt
// and parameters, so it restores on another machine without the vault's master password.
//
//   "KEYHOLD-BACKUP 1\n" <header JSON> "\n" <nonce||secretbox(sha256(header) || dump JSON)> <sha256 of all before>
//
// The header holds the KDF parameters and the payload key wrapped under the passphrase's KEK, so a
// wrong passphrase (the wrap does not open) is told apart from damage (checksum or payload MAC).
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { KeyholdError } from '../errors';
import { checkKdfBounds, checkKdfFloor, deriveKey, secretboxOpen, secretboxSeal, unwrapKey, wrapKey, type StoredKdf } from './crypto';
import { StoredKdfSchema } from './header';
import { AuditData } from './tables/audit';
import { EnvironmentData } from './tables/environments';
import { PendingData } from './tables/pending';
import { PolicyData } from './tables/policies';
import { WorkspaceData } from './tables/workspaces';
import type { VaultDump } from './dump';
import { AUDIT_ACTIONS, KEY_KINDS, KEY_STATES, type KdfParams } from './types';

const MAGIC = Buffer.from('KEYHOLD-BACKUP 1\n', 'latin1');

const BackupHeader = z.object({ kdf: StoredKdfSchema, wrappedKey: z.string(), createdAt: z.string() });

const KeyRecordSchema = z.object({
  id: z.string(),
  workspaceId: z.string().nullable(),
  environmentId: z.string().nullable(),
  kind: z.enum(KEY_KINDS),
  name: z.string(),
  description: z.string(),
  state: z.enum(KEY_STATES),
  remoteId: z.string().nullable(),
  flags: z.record(z.string(), z.boolean()),
  role: z.string().nullable(),
  publicPart: z.string().nullable(),
  fingerprint: z.string().nullable(),
  meta: z.record(z.string(), z.string()),
  remoteMissing: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  rotatedAt: z.string().nullable(),
  hasSecret: z.boolean(),
});

const DumpSchema = z.object({
  workspaces: z.array(WorkspaceData.extend({ id: z.string(), createdAt: z.string() })),
  environments: z.array(EnvironmentData.extend({ id: z.string(), workspaceId: z.string(), createdAt: z.string() })),
  keys: z.array(
    z.object({
      record: KeyRecordSchema,
      currentVersion: z.number().int(),
      versions: z.array(
        z.object({
          version: z.number().int(),
          createdAt: z.string(),
          publicPart: z.string().nullable(),
          remoteId: z.string().nullable(),
          secret: z.string().nullable(),
        }),
      ),
    }),
  ),
  settings: z.record(z.string(), z.string()),
  // absent in backups from before rotation policies
  policies: z.array(PolicyData.extend({ id: z.string() })).optional(),
  pending: z.array(PendingData.extend({ id: z.string(), createdAt: z.string(), updatedAt: z.string() })),
  audit: z.array(AuditData.extend({ seq: z.number().int(), at: z.string(), action: z.enum(AUDIT_ACTIONS) })),
});

const damaged = (why: string) => new KeyholdError('INTEGRITY', `The backup file is damaged or not a Keyhold backup (${why}).`);

export async function sealBackup(dump: VaultDump, passphrase: string, kdf: KdfParams): Promise<Buffer> {
  checkKdfFloor(kdf, 'The backup');
  const salt = randomBytes(16);
  const kek = await deriveKey(passphrase, kdf, salt);
  const payloadKey = randomBytes(32);
  try {
    const stored: StoredKdf = { ...kdf, salt: salt.toString('base64') };
    const header = Buffer.from(
      JSON.stringify({ kdf: stored, wrappedKey: wrapKey(payloadKey, kek).toString('base64'), createdAt: new Date().toISOString() }),
    );
    const body = Buffer.from(JSON.stringify(dump));
    const plain = Buffer.concat([createHash('sha256').update(header).digest(), body]);
    body.fill(0);
    const sealed = secretboxSeal(plain, payloadKey);
    plain.fill(0);
    const before = Buffer.concat([MAGIC, header, Buffer.from('\n'), sealed]);
    return Buffer.concat([before, createHash('sha256').update(before).digest()]);
  } finally {
    kek.fill(0);
    payloadKey.fill(0);
  }
}

export async function openBackup(file: Buffer, passphrase: string): Promise<VaultDump> {
  if (file.length < MAGIC.length + 32 || !file.subarray(0, MAGIC.length).equals(MAGIC)) throw damaged('no backup header');
  const before = file.subarray(0, file.length - 32);
  if (
    !createHash('sha256')
      .update(before)
      .digest()
      .equals(file.subarray(file.length - 32))
  )
    throw damaged('checksum mismatch: truncated or altered');
  const nl = before.indexOf(0x0a, MAGIC.length);
  if (nl < 0) throw damaged('no header end');
  const headerBytes = before.subarray(MAGIC.length, nl);
  let header: z.infer<typeof BackupHeader>;
  try {
    header = BackupHeader.parse(JSON.parse(headerBytes.toString('utf8')));
  } catch {
    throw damaged('unreadable header');
  }
  checkKdfBounds(header.kdf, 'The backup');
  const kek = await deriveKey(passphrase, header.kdf, Buffer.from(header.kdf.salt, 'base64'));
  const payloadKey = unwrapKey(Buffer.from(header.wrappedKey, 'base64'), kek);
  kek.fill(0);
  if (!payloadKey) throw new KeyholdError('WRONG_PASSWORD', 'The backup passphrase is wrong.');
  const plain = secretboxOpen(before.subarray(nl + 1), payloadKey);
  payloadKey.fill(0);
  if (!plain) throw damaged('the sealed content does not open');
  const want = createHash('sha256').update(headerBytes).digest();
  if (!Buffer.from(plain.subarray(0, 32)).equals(want)) throw damaged('header and content do not belong together');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(plain.subarray(32)).toString('utf8'));
  } catch {
    throw damaged('unreadable content');
  } finally {
    plain.fill(0);
  }
  const dump = DumpSchema.safeParse(parsed);
  if (!dump.success) throw damaged('unexpected content');
  return dump.data;
}
