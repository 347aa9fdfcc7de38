// KeePassXC's XML export (`keepassxc-cli export --format xml`, the KeePass 2 XML layout) read as a
// stream with saxes, so a 100 MB export costs the memory of its items, not of its text. The
// export holds protected values in clear (marked ProtectInMemory); a `Protected="True"` value is
// still encrypted, so that file is the inside of a database, not an export, and is refused.
// Meta (with the attachments' <Binaries>) precedes Root, so an entry's attachment Ref is known
// when the entry is read. <History> entries are old versions of their entry and are not imported.
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { KeyholdError } from '../errors';
import { entryItems, entryName, type EntryFields, type KeyAttachment } from './entry-items';
import { invalidInput, type MigrationRead } from './item';
import { decodeBinary, type BinaryContent } from './keepassxc-binary';

export interface KeepassXmlOptions {
  passphraseFor?: (sourceRef: string) => string | undefined;
  /** the label errors name the input by */
  label?: string;
}

const MAX_VALUE_CHARS = 1024 * 1024;
const MAX_BINARY_BASE64_CHARS = 16 * 1024 * 1024;
const STANDARD_FIELDS: Record<string, keyof EntryFields> = {
  Title: 'title',
  UserName: 'login',
  Password: 'password',
  URL: 'url',
  Notes: 'notes',
};
// keepassxc-cli 2.7 exports a KDBX 4 database (whose attachments live in the binary inner header)
// with the entries' attachment Refs but no <Binaries>: the attachment itself is not in the file
const NO_BINARIES =
  'the export does not hold this attachment (KeePassXC leaves attachments out of the XML export of a KDBX 4 database); save it with keepassxc-cli attachment-export and import the key file';
/** KeeAgent's per-entry settings: not a credential */
const KEEAGENT_SETTINGS = 'KeeAgent.settings';

interface GroupFrame {
  uuid: string;
  name: string;
}

interface EntryState {
  line: number;
  strings: Map<string, string>;
  attachments: { name: string; ref: string }[];
  key: string;
  value: string;
  ref: string;
}

export async function readKeepassXml(input: Readable | string, options: KeepassXmlOptions = {}): Promise<MigrationRead> {
  const stream = typeof input === 'string' ? createReadStream(input) : input;
  stream.setEncoding('utf8');
  const label = options.label ?? 'KeePassXC XML';
  const out: MigrationRead = { items: [], skipped: [] };
  const parser = new SaxesParser<{ xmlns: false; position: true }>({ xmlns: false, position: true });
  const stack: string[] = [];
  const groups: GroupFrame[] = [];
  const binaries = new Map<string, BinaryContent>();
  let recycleBin = '';
  let sawBinaries = false;
  let text = '';
  let textCap = MAX_VALUE_CHARS;
  let binary: { id: string; compressed: boolean } | null = null;
  let entry: EntryState | null = null;
  let historyDepth = 0;
  let sawRoot = false;
  let failure: Error | null = null;
  let finished: Promise<void> = Promise.resolve();

  const where = () => `${label}, line ${parser.line}${entry ? ` (in the entry that starts on line ${entry.line})` : ''}`;
  const fail = (reason: string): never => {
    throw invalidInput(where(), reason);
  };
  const inRecycleBin = () => recycleBin !== '' && recycleBin !== 'AAAAAAAAAAAAAAAAAAAAAA==' && groups.some((g) => g.uuid === recycleBin);
  // the top-level group is the database itself ("Passwords" by default): not part of the path
  const groupPath = () => groups.slice(1).map((g) => g.name);

  // The entry is read now (groups change as the parser goes on); only its key files wait for their
  // KDF, and results are added in file order.
  const finishEntry = (e: EntryState): void => {
    const local: MigrationRead = { items: [], skipped: [] };
    const settle = (got: Promise<MigrationRead>) => {
      got.catch(() => undefined);
      finished = finished.then(async () => {
        const g = await got;
        out.items.push(...local.items, ...g.items);
        out.skipped.push(...local.skipped, ...g.skipped);
      });
    };
    const fields: EntryFields = { title: '', login: '', password: '', url: '', notes: '' };
    const ref = [...groupPath(), entryName({ ...fields, title: e.strings.get('Title') ?? '' })].join('/');
    for (const [k, v] of e.strings) {
      const std = STANDARD_FIELDS[k];
      if (std) fields[std] = v;
      else if (v !== '') local.skipped.push({ sourceRef: `${ref} [field ${k.slice(0, 80)}]`, reason: 'custom fields are not imported' });
    }
    if (inRecycleBin()) {
      local.skipped.push({ sourceRef: ref, reason: 'it is in the recycle bin' });
      settle(Promise.resolve({ items: [], skipped: [] }));
      return;
    }
    const keys: KeyAttachment[] = [];
    const publics = e.attachments.filter((a) => binaries.get(a.ref)?.kind === 'public');
    for (const a of e.attachments) {
      const content = binaries.get(a.ref);
      if (!content && !sawBinaries) {
        local.skipped.push({ sourceRef: `${ref} [${a.name.slice(0, 80)}]`, reason: NO_BINARIES });
        continue;
      }
      if (!content) fail(`entry "${ref}" refers to attachment ${a.ref.slice(0, 20)}, which the file does not hold`);
      if (content!.kind === 'private') {
        const pub = publics.find((p) => p.name === `${a.name}.pub`) ?? (publics.length === 1 ? publics[0] : undefined);
        const pubContent = pub ? binaries.get(pub.ref) : undefined;
        keys.push({
          name: a.name,
          privateKeyText: content!.text,
          publicKeyText: pubContent?.kind === 'public' ? pubContent.text : undefined,
        });
      } else if (content!.kind === 'other' && a.name !== KEEAGENT_SETTINGS) {
        local.skipped.push({
          sourceRef: `${ref} [${a.name.slice(0, 80)}]`,
          reason: 'attachments other than SSH private keys are not imported',
        });
      }
    }
    settle(
      entryItems({ source: 'keepassxc-xml', groupPath: groupPath(), sourceRef: ref, passphraseFor: options.passphraseFor }, fields, keys),
    );
  };

  parser.on('opentag', (tag: SaxesTagPlain) => {
    const name = tag.name;
    stack.push(name);
    text = '';
    textCap = MAX_VALUE_CHARS;
    if (stack.length === 1 && name !== 'KeePassFile')
      fail(`the root element is <${name.slice(0, 40)}>, not <KeePassFile>: this is not a KeePass XML export`);
    if (historyDepth > 0 || name === 'History') {
      if (entry) historyDepth++;
      return;
    }
    if (name === 'Root' && stack.length === 2) sawRoot = true;
    if (name === 'Binaries' && stack[stack.length - 2] === 'Meta') sawBinaries = true;
    if (name === 'Binary' && stack[stack.length - 2] === 'Binaries') {
      const id = tag.attributes.ID;
      if (typeof id !== 'string' || id === '') fail('a <Binary> in <Binaries> has no ID');
      binary = { id: String(id), compressed: tag.attributes.Compressed === 'True' };
      textCap = MAX_BINARY_BASE64_CHARS;
    } else if (name === 'Group' && stack[stack.length - 2] !== 'Entry') {
      groups.push({ uuid: '', name: '' });
    } else if (name === 'Entry') {
      if (entry) fail('an <Entry> inside an <Entry>');
      entry = { line: parser.line, strings: new Map(), attachments: [], key: '', value: '', ref: '' };
    } else if (name === 'Value' && entry) {
      if (tag.attributes.Protected === 'True')
        fail('a value is encrypted (Protected="True"): export the database with keepassxc-cli export, which writes values in clear');
      if (typeof tag.attributes.Ref === 'string') entry.ref = tag.attributes.Ref;
    }
  });

  parser.on('text', (t) => {
    if (historyDepth > 0) return;
    if (text.length + t.length > textCap) fail(`the value of <${stack[stack.length - 1] ?? ''}> is longer than Keyhold accepts`);
    text += t;
  });
  parser.on('cdata', (t) => {
    if (historyDepth > 0) return;
    if (text.length + t.length > textCap) fail('a value is longer than Keyhold accepts');
    text += t;
  });

  parser.on('closetag', (tag: SaxesTagPlain) => {
    const name = tag.name;
    stack.pop();
    const parent = stack[stack.length - 1];
    if (historyDepth > 0) {
      historyDepth--;
      return;
    }
    if (name === 'RecycleBinUUID' && parent === 'Meta') recycleBin = text.trim();
    else if (name === 'Binary' && binary) {
      binaries.set(
        binary.id,
        decodeBinary(text, binary.compressed, () => where()),
      );
      binary = null;
    } else if (name === 'UUID' && parent === 'Group' && !entry) groups[groups.length - 1]!.uuid = text.trim();
    else if (name === 'Name' && parent === 'Group' && !entry) groups[groups.length - 1]!.name = text;
    else if (name === 'Group' && !entry) groups.pop();
    else if (entry && name === 'Key') entry.key = text;
    else if (entry && name === 'Value') entry.value = text;
    else if (entry && name === 'String') {
      entry.strings.set(entry.key, entry.value);
      entry.key = entry.value = '';
    } else if (entry && name === 'Binary') {
      entry.attachments.push({ name: entry.key, ref: entry.ref });
      entry.key = entry.ref = '';
    } else if (name === 'Entry' && entry) {
      const e: EntryState = entry;
      entry = null;
      finishEntry(e);
    }
    text = '';
  });

  // saxes reports an error and reads on: the place is taken when the first error is reported
  let failureWhere = '';
  parser.on('error', (e) => {
    if (failure) return;
    failure = e;
    failureWhere = where();
  });

  const feed = (chunk: string | null) => {
    if (chunk === null && !failure && stack.length > 0)
      throw invalidInput(where(), `the file ends inside <${stack[stack.length - 1]}>: it is truncated`);
    try {
      if (chunk === null) parser.close();
      else parser.write(chunk);
    } catch (e) {
      failure ??= e instanceof Error ? e : new Error(String(e));
    }
    if (failure) throw xmlError(failure, failureWhere || where());
  };

  for await (const chunk of stream) {
    feed(String(chunk));
    await finished;
  }
  feed(null);
  await finished;
  if (!sawRoot) throw invalidInput(label, 'the file has no <Root> element: it is empty or truncated');
  return out;
}

/** saxes says "3:14: unclosed tag: Entry"; keep the reason, drop anything quoted (it might be data). */
function xmlError(e: Error, where: string): KeyholdError {
  if (e instanceof KeyholdError) return e;
  const reason = e.message
    .replace(/^[^:]*?\d+:\d+: /, '')
    .replace(/(["']).*?\1/g, '…')
    .slice(0, 120);
  return invalidInput(where, `malformed XML (${reason}); the file is damaged or truncated`);
}
