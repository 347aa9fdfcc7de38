// One password-manager entry (title, login, password, URL, notes, maybe key attachments) into
// items, the same way for every manager so that an entry read from KeePassXC's XML and from its
// CSV gives the same items, and so the same content hash.
import { isKeyholdError } from '../errors';
import { checkedItem, type MigrationItem, type MigrationSource, type SkippedEntry } from './item';
import { readSshKey } from './ssh-key-item';

export interface EntryFields {
  title: string;
  login: string;
  password: string;
  url: string;
  notes: string;
}

export interface KeyAttachment {
  name: string;
  privateKeyText: string;
  publicKeyText?: string;
}

export interface EntryContext {
  source: MigrationSource;
  groupPath: string[];
  /** where the entry is, for the preview: the group path and title, never a value */
  sourceRef: string;
  /** the passphrase the user gave for a protected key, looked up by the attachment's sourceRef */
  passphraseFor?: (sourceRef: string) => string | undefined;
}

export interface EntryOutcome {
  items: MigrationItem[];
  skipped: SkippedEntry[];
}

const optional = (v: string) => (v === '' ? undefined : v);

export function entryName(fields: EntryFields): string {
  return fields.title.trim() || fields.url.trim() || fields.login.trim() || 'Untitled';
}

/**
 * Key attachments become ssh_key_pair items; a protected key is opened with the passphrase given
 * for it or, as KeeAgent keeps it, the entry's password (which then is not imported twice). The
 * password becomes a login (with a login or URL) or an api_key; an entry with notes only, a note.
 */
export async function entryItems(ctx: EntryContext, fields: EntryFields, keys: readonly KeyAttachment[] = []): Promise<EntryOutcome> {
  const out: EntryOutcome = { items: [], skipped: [] };
  // an oversized value costs that entry, not the whole import
  const add = (item: MigrationItem) => {
    try {
      out.items.push(checkedItem(item));
    } catch (e) {
      if (!isKeyholdError(e)) throw e;
      out.skipped.push({ sourceRef: item.sourceRef, reason: e.message.replace(/^.*?: cannot be imported /, 'it cannot be imported ') });
    }
  };
  const name = entryName(fields);
  const common = {
    source: ctx.source,
    groupPath: ctx.groupPath,
    name,
    login: optional(fields.login),
    url: optional(fields.url),
  };
  let passwordUsedAsPassphrase = false;
  for (const key of keys) {
    const ref = `${ctx.sourceRef} [${key.name}]`;
    const given = ctx.passphraseFor?.(ref);
    let outcome = await readSshKey({ privateKeyText: key.privateKeyText, publicKeyText: key.publicKeyText, passphrase: given });
    if (!outcome.ok && given === undefined && fields.password !== '') {
      const viaPassword = await readSshKey({
        privateKeyText: key.privateKeyText,
        publicKeyText: key.publicKeyText,
        passphrase: fields.password,
      });
      if (viaPassword.ok) {
        outcome = viaPassword;
        passwordUsedAsPassphrase = true;
      }
    }
    if (!outcome.ok) {
      out.skipped.push({ sourceRef: ref, reason: outcome.reason });
      continue;
    }
    const keyName = keys.length > 1 ? `${name} (${key.name})` : name;
    add({ ...common, sourceRef: ref, name: keyName, notes: optional(fields.notes), kind: 'ssh_key_pair', ...outcome.fields });
  }
  if (fields.password !== '' && !passwordUsedAsPassphrase) {
    const kind = fields.login !== '' || fields.url !== '' ? 'login' : 'api_key';
    add({ ...common, sourceRef: ctx.sourceRef, kind, secret: fields.password, notes: optional(fields.notes) });
  } else if (out.items.length === 0 && fields.notes !== '') {
    add({ ...common, sourceRef: ctx.sourceRef, kind: 'note', secret: fields.notes });
  } else if (out.items.length === 0 && out.skipped.length === 0 && keys.length === 0) {
    out.skipped.push({ sourceRef: ctx.sourceRef, reason: 'it holds no password, key or notes' });
  }
  return out;
}
