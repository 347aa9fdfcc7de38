// A ~/.ssh folder: every private key file (OpenSSH or PEM) with its .pub beside it becomes a key
// pair; a protected key is opened with the passphrase given for its file name or skipped with the
// reason. known_hosts, config, authorized_keys and every other file are left alone, unread past
// the few bytes that show they are not a private key. Sub-folders are not entered.
import { open, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { systemErrorCode } from '../errors';
import { MAX_KEY_FILE_BYTES } from '../keys/parse-key-file';
import { checkedItem, invalidInput, type MigrationRead } from './item';
import { looksLikePrivateKey, readSshKey } from './ssh-key-item';

export interface SshDirOptions {
  /** the passphrase for a protected key, by its file name ("id_ed25519") */
  passphraseFor?: (sourceRef: string) => string | undefined;
}

const NOT_KEYS = new Set(['known_hosts', 'known_hosts.old', 'config', 'authorized_keys', 'authorized_keys2', 'environment', 'rc']);
const HEAD_BYTES = 64;

async function head(path: string): Promise<string> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await fh.read(buf, 0, HEAD_BYTES, 0);
    return buf.subarray(0, bytesRead).toString('latin1');
  } finally {
    await fh.close();
  }
}

export async function readSshDir(dir: string, options: SshDirOptions = {}): Promise<MigrationRead> {
  let names: string[];
  try {
    names = (await readdir(dir)).sort();
  } catch (e) {
    if (systemErrorCode(e) === 'ENOENT') throw e; // readSource makes it NOT_FOUND
    throw invalidInput(dir, `cannot read the folder (${systemErrorCode(e) ?? 'error'})`);
  }
  const out: MigrationRead = { items: [], skipped: [] };
  for (const name of names) {
    if (NOT_KEYS.has(name) || name.endsWith('.pub')) continue;
    const path = join(dir, name);
    const info = await stat(path).catch(() => null);
    if (!info?.isFile()) continue;
    const start = await head(path);
    if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(start.trimStart())) continue;
    if (info.size > MAX_KEY_FILE_BYTES) {
      out.skipped.push({ sourceRef: name, reason: 'the file is too large to be a key file' });
      continue;
    }
    const privateKeyText = await readFile(path, 'utf8');
    if (!looksLikePrivateKey(privateKeyText)) continue;
    const publicKeyText = await readFile(`${path}.pub`, 'utf8').catch(() => undefined);
    const outcome = await readSshKey({ privateKeyText, publicKeyText, passphrase: options.passphraseFor?.(name) });
    if (!outcome.ok) {
      out.skipped.push({ sourceRef: name, reason: outcome.reason });
      continue;
    }
    out.items.push(checkedItem({ source: 'ssh-dir', sourceRef: name, groupPath: [], kind: 'ssh_key_pair', name, ...outcome.fields }));
  }
  return out;
}
