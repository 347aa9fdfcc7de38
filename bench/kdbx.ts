// A KDBX 4 file writer for the CLI bench only: keepassxc-cli's own `db-create`/`import` choose their
// KDF by timing, and the comparison needs exactly Keyhold's floor (Argon2id, 64 MiB, 3 iterations,
// parallelism 4). Format: the KeePass KDBX 4 layout (header fields, a VariantDictionary of KDF
// parameters, SHA-256 + HMAC-SHA-256 of the header, HMAC-checked blocks of AES-256-CBC ciphertext,
// an inner header, then the XML). keepassxc-cli reading the file back is what checks it.
import { createCipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { hashRaw, type Options } from '@node-rs/argon2';

const AES256 = Buffer.from('31c1f2e6bf714350be5805216afc5aff', 'hex');
const ARGON2ID = Buffer.from('9e298b1956db4773b23dfc3ec6f0a1e6', 'hex');
const ARGON2ID_ALG = 2 as unknown as NonNullable<Options['algorithm']>; // Algorithm.Argon2id (a const enum)

export interface KdbxEntry {
  title: string;
  username: string;
  password: string;
}

export interface KdbxKdf {
  memoryKiB: number;
  iterations: number;
  parallelism: number;
}

const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
};
const u64 = (n: bigint) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(n);
  return b;
};

function variantDictionary(items: Array<[type: number, key: string, value: Buffer]>): Buffer {
  const parts: Buffer[] = [Buffer.from([0x00, 0x01])]; // version 1.0
  for (const [type, key, value] of items) {
    const k = Buffer.from(key, 'utf8');
    parts.push(Buffer.from([type]), u32(k.length), k, u32(value.length), value);
  }
  parts.push(Buffer.from([0x00]));
  return Buffer.concat(parts);
}

function field(id: number, data: Buffer): Buffer {
  return Buffer.concat([Buffer.from([id]), u32(data.length), data]);
}

const xmlText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const uuid = () => randomBytes(16).toString('base64');

function xml(entries: readonly KdbxEntry[]): string {
  const str = (k: string, v: string) => `<String><Key>${k}</Key><Value>${xmlText(v)}</Value></String>`;
  const body = entries.map(
    (e) => `<Entry><UUID>${uuid()}</UUID>${str('Title', e.title)}${str('UserName', e.username)}${str('Password', e.password)}</Entry>`,
  );
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<KeePassFile><Meta><Generator>keyhold-bench</Generator><DatabaseName>bench</DatabaseName></Meta><Root><Group><UUID>${uuid()}</UUID><Name>Root</Name>${body.join('')}</Group></Root></KeePassFile>`;
}

/** The bytes of a KDBX 4 database holding `entries`, under `password` with Argon2id `kdf`. */
export async function kdbx4(password: string, entries: readonly KdbxEntry[], kdf: KdbxKdf): Promise<Buffer> {
  const masterSeed = randomBytes(32);
  const iv = randomBytes(16);
  const salt = randomBytes(32);
  const kdfParams = variantDictionary([
    [0x42, '$UUID', ARGON2ID],
    [0x42, 'S', salt],
    [0x04, 'P', u32(kdf.parallelism)],
    [0x05, 'M', u64(BigInt(kdf.memoryKiB) * 1024n)],
    [0x05, 'I', u64(BigInt(kdf.iterations))],
    [0x04, 'V', u32(0x13)],
  ]);
  const header = Buffer.concat([
    Buffer.from('03d9a29a67fb4bb5', 'hex'), // signatures
    Buffer.from([0x00, 0x00, 0x04, 0x00]), // version 4.0
    field(2, AES256),
    field(3, u32(0)), // no compression
    field(4, masterSeed),
    field(7, iv),
    field(11, kdfParams),
    field(0, Buffer.from('\r\n\r\n')),
  ]);

  // composite key: SHA-256 of the password component's SHA-256
  const composite = createHash('sha256').update(createHash('sha256').update(password, 'utf8').digest()).digest();
  const transformed = await hashRaw(composite, {
    algorithm: ARGON2ID_ALG,
    memoryCost: kdf.memoryKiB,
    timeCost: kdf.iterations,
    parallelism: kdf.parallelism,
    outputLen: 32,
    salt,
  });
  const cipherKey = createHash('sha256').update(masterSeed).update(transformed).digest();
  const hmacBase = createHash('sha512')
    .update(masterSeed)
    .update(transformed)
    .update(Buffer.from([1]))
    .digest();
  const blockKey = (index: bigint) => createHash('sha512').update(u64(index)).update(hmacBase).digest();

  const headerHash = createHash('sha256').update(header).digest();
  const headerHmac = createHmac('sha256', blockKey(0xffffffffffffffffn)).update(header).digest();

  const inner = Buffer.concat([field(1, u32(3)), field(2, randomBytes(64)), field(0, Buffer.alloc(0))]); // ChaCha20 inner stream
  const plain = Buffer.concat([inner, Buffer.from(xml(entries), 'utf8')]);
  const aes = createCipheriv('aes-256-cbc', cipherKey, iv);
  const encrypted = Buffer.concat([aes.update(plain), aes.final()]);

  const block = (index: bigint, data: Buffer) => {
    const size = u32(data.length);
    const mac = createHmac('sha256', blockKey(index)).update(u64(index)).update(size).update(data).digest();
    return Buffer.concat([mac, size, data]);
  };
  return Buffer.concat([header, headerHash, headerHmac, block(0n, encrypted), block(1n, Buffer.alloc(0))]);
}
