// Bitwarden's unencrypted JSON export (Tools > Export vault > .json), as its help pages describe
// it: { encrypted: false, folders: [{id, name}], items: [{type, name, notes, folderId, login?,
// secureNote?, sshKey?, fields?}] } with type 1 login, 2 secure note, 3 card, 4 identity, 5 SSH
// key (sshKey.privateKey/publicKey/keyFingerprint). A password-protected or account-encrypted
// export (`encrypted: true`) cannot be read without Bitwarden and is refused.
// JSON.parse needs the whole text, so the file is capped; a streaming JSON parser (stream-json)
// is not a dependency of the project.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { entryItems, entryName, type KeyAttachment } from './entry-items';
import { invalidInput, type MigrationRead } from './item';

export const MAX_BITWARDEN_BYTES = 64 * 1024 * 1024;

export interface BitwardenOptions {
  label?: string;
  passphraseFor?: (sourceRef: string) => string | undefined;
}

const str = z.string().nullish();
const exportSchema = z.object({
  encrypted: z.literal(false).optional(),
  folders: z.array(z.object({ id: z.string(), name: z.string() })).optional(),
  items: z.array(z.unknown()),
});
const itemSchema = z.object({
  type: z.number().int(),
  name: str,
  notes: str,
  folderId: str,
  login: z.object({ username: str, password: str, uris: z.array(z.object({ uri: str })).nullish() }).nullish(),
  sshKey: z.object({ privateKey: z.string(), publicKey: str, keyFingerprint: str }).nullish(),
  fields: z.array(z.object({ name: str, value: str })).nullish(),
});

const KIND_NAMES: Record<number, string> = { 3: 'cards', 4: 'identities' };

/** V8 names a JSON syntax error's offset ("at position 812"); the line is counted from it. */
function jsonErrorLine(text: string, e: unknown): number {
  const m = /position (\d+)/.exec(e instanceof Error ? e.message : '');
  const pos = m ? Number(m[1]) : text.length;
  let line = 1;
  for (let i = 0; i < pos && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

export async function readBitwardenJson(input: string | Buffer, options: BitwardenOptions = {}): Promise<MigrationRead> {
  const label = options.label ?? 'Bitwarden JSON';
  const bytes = typeof input === 'string' ? await readFile(input) : input;
  if (bytes.length > MAX_BITWARDEN_BYTES) throw invalidInput(label, `the file is larger than ${MAX_BITWARDEN_BYTES / 1024 / 1024} MB`);
  const text = bytes.toString('utf8');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    // V8's message may quote the text around the error, so only the line is kept
    throw invalidInput(`${label}, line ${jsonErrorLine(text, e)}`, 'malformed JSON (the file is damaged or truncated)');
  }
  if (typeof raw === 'object' && raw !== null && 'encrypted' in raw && raw.encrypted === true) {
    throw invalidInput(label, 'this is an encrypted Bitwarden export; export the vault again choosing the unencrypted .json format');
  }
  const top = exportSchema.safeParse(raw);
  if (!top.success)
    throw invalidInput(
      label,
      `not a Bitwarden JSON export (${top.error.issues[0]?.path.join('.') || 'top level'}: ${top.error.issues[0]?.message ?? 'invalid'})`,
    );
  const folders = new Map((top.data.folders ?? []).map((f) => [f.id, f.name]));
  const out: MigrationRead = { items: [], skipped: [] };
  for (const [i, rawItem] of top.data.items.entries()) {
    const parsed = itemSchema.safeParse(rawItem);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw invalidInput(`${label}, items[${i}]`, `${issue?.path.join('.') || 'item'}: ${issue?.message ?? 'invalid'}`);
    }
    const it = parsed.data;
    const folder = it.folderId ? folders.get(it.folderId) : undefined;
    const groupPath = folder ? folder.split('/').filter((g) => g !== '') : [];
    const entry = {
      title: it.name ?? '',
      login: it.login?.username ?? '',
      password: it.login?.password ?? '',
      url: it.login?.uris?.find((u) => u.uri)?.uri ?? '',
      notes: it.notes ?? '',
    };
    const sourceRef = [...groupPath, entryName(entry)].join('/');
    for (const f of it.fields ?? []) {
      if (f.value)
        out.skipped.push({ sourceRef: `${sourceRef} [field ${(f.name ?? '').slice(0, 80)}]`, reason: 'custom fields are not imported' });
    }
    if (it.type !== 1 && it.type !== 2 && it.type !== 5) {
      out.skipped.push({ sourceRef, reason: `${KIND_NAMES[it.type] ?? `items of type ${it.type}`} are not imported` });
      continue;
    }
    const keys: KeyAttachment[] = [];
    if (it.type === 5) {
      if (!it.sshKey) throw invalidInput(`${label}, items[${i}]`, 'an SSH key item without sshKey');
      keys.push({ name: 'sshKey', privateKeyText: it.sshKey.privateKey, publicKeyText: it.sshKey.publicKey ?? undefined });
    }
    const got = await entryItems({ source: 'bitwarden-json', groupPath, sourceRef, passphraseFor: options.passphraseFor }, entry, keys);
    // Bitwarden's own fingerprint must agree with the key's: a mismatch means a damaged item
    const stated = it.sshKey?.keyFingerprint;
    const key = got.items.find((k) => k.kind === 'ssh_key_pair');
    if (stated && /^SHA256:/.test(stated) && key?.kind === 'ssh_key_pair' && key.fingerprint !== stated) {
      out.skipped.push({
        sourceRef: key.sourceRef,
        reason: `its keyFingerprint (${stated.slice(0, 60)}) is not the key's (${key.fingerprint})`,
      });
      got.items.splice(got.items.indexOf(key), 1);
    }
    out.items.push(...got.items);
    out.skipped.push(...got.skipped);
  }
  return out;
}
