// The one shape every reader of another manager's export produces, checked with zod before it
// leaves the reader, so the importer (main/service) sees nothing else. A sourceRef says where an
// item came from ("Prod/db/root" or "line 12") and is shown on screen: it never holds a secret.
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { KeyholdError } from '../errors';

export const MIGRATION_SOURCES = [
  'keepassxc-xml',
  'keepassxc-csv',
  'bitwarden-json',
  '1password-csv',
  'netrc',
  'dotenv',
  'ssh-dir',
] as const;
export type MigrationSource = (typeof MIGRATION_SOURCES)[number];

export const ITEM_KINDS = ['ssh_key_pair', 'login', 'api_key', 'note'] as const;
export type MigrationItemKind = (typeof ITEM_KINDS)[number];

/** A password or value is at most this long; longer is not a credential but a file. */
export const MAX_SECRET_CHARS = 64 * 1024;
const MAX_TEXT_CHARS = 1024 * 1024;
const MAX_NAME_CHARS = 1024;

const text = (max: number) => z.string().max(max);

const common = {
  source: z.enum(MIGRATION_SOURCES),
  sourceRef: text(MAX_NAME_CHARS * 4),
  groupPath: z.array(text(MAX_NAME_CHARS)).max(64),
  name: text(MAX_NAME_CHARS).min(1),
  login: text(MAX_NAME_CHARS).optional(),
  url: text(MAX_TEXT_CHARS).optional(),
  notes: text(MAX_TEXT_CHARS).optional(),
};

const secretItem = z.object({ ...common, kind: z.enum(['login', 'api_key', 'note']), secret: text(MAX_SECRET_CHARS) }).strict();

const sshItem = z
  .object({
    ...common,
    kind: z.literal('ssh_key_pair'),
    /** OpenSSH or PEM text, unencrypted (a protected key is decrypted with its passphrase first) */
    privateKey: text(256 * 1024).min(1),
    /** the OpenSSH public key line, without comment */
    publicKey: text(64 * 1024).min(1),
    /** what `ssh-keygen -l` prints as the fingerprint: SHA256:... */
    fingerprint: z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/),
    comment: text(MAX_NAME_CHARS).optional(),
  })
  .strict();

export const migrationItemSchema = z.discriminatedUnion('kind', [secretItem, sshItem]);
export type MigrationItem = z.infer<typeof migrationItemSchema>;
export type SecretItem = z.infer<typeof secretItem>;
export type SshKeyPairItem = z.infer<typeof sshItem>;

export interface SkippedEntry {
  sourceRef: string;
  /** why it is not imported; never a secret */
  reason: string;
}

export interface MigrationRead {
  items: MigrationItem[];
  skipped: SkippedEntry[];
}

/** Checks an item a reader built; a failure is a bug in the reader or an oversized value. */
export function checkedItem(item: MigrationItem): MigrationItem {
  const r = migrationItemSchema.safeParse(item);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  // zod's messages name the path and the limit, never the value
  const where = issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid';
  throw new KeyholdError('INVALID_INPUT', `${item.sourceRef}: cannot be imported (${where}).`);
}

/** The error every reader throws for input it cannot read: where, and what, never a value. */
export function invalidInput(where: string, reason: string): KeyholdError {
  return new KeyholdError('INVALID_INPUT', `${where}: ${reason}`);
}

/**
 * What makes two items the same credential, whatever they are called or wherever they sit: the
 * kind, login, URL and secret; for a key pair only its public key (the same key re-encoded or
 * renamed is still the same key). Names, groups, notes and comments do not count, so an entry
 * renamed after a first import is still recognised.
 */
export function contentFields(item: MigrationItem): string[] {
  if (item.kind === 'ssh_key_pair') return ['ssh_key_pair', item.fingerprint];
  return [item.kind, item.login ?? '', item.url ?? '', item.secret];
}

/**
 * The content hash that duplicates are recognised by: HMAC-SHA256 under a key the vault holds
 * (derived from its master key), so a stored hash is no offline oracle for a weak password.
 */
export function contentHash(item: MigrationItem, hmacKey: Buffer): string {
  if (hmacKey.length < 16) throw new KeyholdError('INTERNAL', 'The content hash key is too short.');
  const h = createHmac('sha256', hmacKey);
  // length-prefixed so that no two field lists give the same bytes
  for (const f of contentFields(item)) h.update(`${Buffer.byteLength(f)}:`).update(f);
  return h.digest('hex');
}
