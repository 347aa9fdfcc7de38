// An imported item as a vault key. Logins keep their login as the public part and their URL in
// meta.url; notes go to the description; the password, value or note text is the secret. A key
// pair is stored as every key pair is (keypairs.ts): unprotected OpenSSH private key text as the
// secret, the public line with its comment as the public part, the ssh-keygen -l fingerprint.
import { createHash } from 'node:crypto';
import { encodeOpenSshPrivateKey } from '../keys/openssh-private';
import { parseKeyFile } from '../keys/parse-key-file';
import { oneLineComment, parsePublicKeyLine } from '../keys/public-key';
import type { MigrationItem, PlannedItem } from '../migrate';
import type { NewKey } from '../vault/types';

const OPENSSH_ARMOUR = '-----BEGIN OPENSSH PRIVATE KEY-----';

/** PEM private keys (PKCS#1, PKCS#8, SEC1) re-encoded as OpenSSH text; OpenSSH text kept byte for
 * byte. The key is the same, so its fingerprint and content hash are too. */
export async function normalizeKeyPairs(items: MigrationItem[]): Promise<MigrationItem[]> {
  return Promise.all(
    items.map(async (item) => {
      if (item.kind !== 'ssh_key_pair' || item.privateKey.trimStart().startsWith(OPENSSH_ARMOUR)) return item;
      const parsed = await parseKeyFile(item.privateKey);
      if (!parsed.privateKey) return item;
      // a stable check number per key, so two reads of one PEM file give the same text
      const checkint = createHash('sha256').update(item.fingerprint).digest().readUInt32BE(0);
      return {
        ...item,
        privateKey: encodeOpenSshPrivateKey({ ...parsed.privateKey, comment: item.comment ?? parsed.comment }, { checkint }),
      };
    }),
  );
}

export function importKeyRecord(
  planned: PlannedItem,
  scope: { workspaceId: string; environmentId: string | null },
  hashField: string,
): NewKey {
  const { item, hash } = planned;
  const meta: Record<string, string> = { source: item.source, [hashField]: hash };
  if (item.url !== undefined) meta.url = item.url;
  const common = { ...scope, name: item.name, ...(item.notes !== undefined ? { description: item.notes } : {}) };
  if (item.kind === 'ssh_key_pair') {
    const { key } = parsePublicKeyLine(item.publicKey);
    const comment = oneLineComment(item.comment ?? '');
    if (item.login !== undefined) meta.login = item.login;
    return {
      ...common,
      kind: 'ssh_key_pair',
      publicPart: comment ? `${item.publicKey} ${comment}` : item.publicKey,
      fingerprint: item.fingerprint,
      meta: { ...meta, comment, algorithm: key.algorithm.toLowerCase(), bits: String(key.bits) },
      secret: item.privateKey,
    };
  }
  return { ...common, kind: item.kind, publicPart: item.login ?? null, meta, secret: item.secret };
}
