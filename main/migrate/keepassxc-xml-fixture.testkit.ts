// A KeePassXC-style XML export of any size, written as a stream, for the reader's tests and for
// `npm run bench` (the import of 10,000 entries: keys per second and peak memory). The layout is
// the one keepassxc-cli 2.7 writes for a KDBX 3.1 database (see keepassxc.test.ts, which reads
// real exports): Meta with gzip-compressed <Binaries>, Root > Group > Group > Entry, a <History>.
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { gzipSync } from 'node:zlib';
import { generateEd25519 } from '../keys/ed25519';
import { encodeOpenSshPrivateKey } from '../keys/openssh-private';
import { readKeepassXml } from './keepassxc-xml';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export interface FixtureOptions {
  entries: number;
  /** every n-th entry also carries an OpenSSH key attachment (0: none) */
  keyEvery?: number;
  entriesPerGroup?: number;
}

function entryXml(i: number, password: string, withKey: boolean): string {
  const str = (k: string, v: string, protect = false) =>
    `\t\t\t\t<String>\n\t\t\t\t\t<Key>${k}</Key>\n\t\t\t\t\t<Value${protect ? ' ProtectInMemory="True"' : ''}>${esc(v)}</Value>\n\t\t\t\t</String>\n`;
  const fields =
    str('Notes', `entry ${i}\nsecond line, "quoted" <x>`) +
    str('Password', password, true) +
    str('Title', `service ${i}`) +
    str('URL', `https://s${i}.example/login?a=1&b=2`) +
    str('UserName', `user${i}`);
  const key = withKey ? '\t\t\t\t<Binary>\n\t\t\t\t\t<Key>id_ed25519</Key>\n\t\t\t\t\t<Value Ref="0"/>\n\t\t\t\t</Binary>\n' : '';
  const history = `\t\t\t\t<History>\n\t\t\t\t\t<Entry>\n\t\t\t\t\t\t<UUID>${randomBytes(16).toString('base64')}</UUID>\n${str('Password', 'old', true)}${str('Title', `service ${i}`)}\t\t\t\t\t</Entry>\n\t\t\t\t</History>\n`;
  return `\t\t\t<Entry>\n\t\t\t\t<UUID>${randomBytes(16).toString('base64')}</UUID>\n${fields}${key}${history}\t\t\t</Entry>\n`;
}

/** Writes the fixture; returns the passwords in entry order (for byte-for-byte checks). */
export async function writeKeepassXmlFixture(path: string, options: FixtureOptions): Promise<string[]> {
  const perGroup = options.entriesPerGroup ?? 500;
  const keyEvery = options.keyEvery ?? 0;
  const out = createWriteStream(path);
  const write = async (s: string) => {
    if (!out.write(s)) await once(out, 'drain');
  };
  const key = encodeOpenSshPrivateKey(generateEd25519('bench@keyhold'));
  const binary = gzipSync(Buffer.from(key)).toString('base64');
  await write(
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<KeePassFile>\n\t<Meta>\n\t\t<Generator>KeePassXC</Generator>\n\t\t<RecycleBinUUID>AAAAAAAAAAAAAAAAAAAAAA==</RecycleBinUUID>\n\t\t<Binaries>\n\t\t\t<Binary ID="0" Compressed="True">${binary}</Binary>\n\t\t</Binaries>\n\t</Meta>\n\t<Root>\n\t<Group>\n\t\t<UUID>${randomBytes(16).toString('base64')}</UUID>\n\t\t<Name>Passwords</Name>\n`,
  );
  const passwords: string[] = [];
  for (let i = 0; i < options.entries; i++) {
    if (i % perGroup === 0) {
      if (i > 0) await write('\t\t</Group>\n');
      await write(`\t\t<Group>\n\t\t\t<UUID>${randomBytes(16).toString('base64')}</UUID>\n\t\t\t<Name>Team ${i / perGroup}</Name>\n`);
    }
    const password = `${randomBytes(18).toString('base64')}ü"&<${i}`;
    passwords.push(password);
    await write(entryXml(i, password, keyEvery > 0 && i % keyEvery === 0));
  }
  if (options.entries > 0) await write('\t\t</Group>\n');
  await write('\t</Group>\n\t</Root>\n</KeePassFile>\n');
  out.end();
  await once(out, 'close');
  return passwords;
}

export interface ReadMeasure {
  items: number;
  ms: number;
  itemsPerSecond: number;
  /** the process's peak resident set so far, in MB (getrusage maxrss) */
  peakRssMb: number;
}

/** Reads the fixture at path and measures it (for the bench). */
export async function measureKeepassXmlRead(path: string): Promise<ReadMeasure> {
  const start = performance.now();
  const r = await readKeepassXml(path);
  const ms = performance.now() - start;
  return {
    items: r.items.length,
    ms,
    itemsPerSecond: Math.round(r.items.length / (ms / 1000)),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}
