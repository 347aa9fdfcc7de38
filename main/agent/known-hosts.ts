// known_hosts as OpenSSH reads it (sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT"): which host names list a
// given host key. Hashed names (`|1|salt|hmac`) are HMAC-SHA1 of the name under the salt; a
// @revoked line makes its key match nothing; @cert-authority lines name CAs, not host keys, and
// are ignored (a certificate host key is not what a session binding carries here).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { systemErrorCode } from '../errors';

export interface KnownHostLine {
  marker: '' | 'revoked';
  /** the comma-separated patterns, or one hashed entry */
  patterns: string[];
  hashed?: { salt: Buffer; hash: Buffer };
  keyBlob: Buffer;
}

function decodeB64(s: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(s)) return undefined;
  return Buffer.from(s, 'base64');
}

export function parseKnownHosts(text: string): KnownHostLine[] {
  const out: KnownHostLine[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const fields = line.split(/\s+/);
    let marker: KnownHostLine['marker'] = '';
    if (fields[0]?.startsWith('@')) {
      const m = fields.shift();
      if (m === '@revoked') marker = 'revoked';
      else continue; // @cert-authority and unknown markers
    }
    const [hosts, , key] = fields;
    if (!hosts || !key) continue;
    const keyBlob = decodeB64(key);
    if (!keyBlob) continue;
    if (hosts.startsWith('|1|')) {
      const [, , salt, hash] = hosts.split('|');
      const s = salt ? decodeB64(salt) : undefined;
      const h = hash ? decodeB64(hash) : undefined;
      if (!s || !h || h.length !== 20) continue;
      out.push({ marker, patterns: [], hashed: { salt: s, hash: h }, keyBlob });
    } else {
      out.push({ marker, patterns: hosts.split(','), keyBlob });
    }
  }
  return out;
}

/** OpenSSH's match_pattern: `*` and `?` wildcards, case-insensitive as host names are. */
function globMatch(name: string, pattern: string): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    'i',
  );
  return re.test(name);
}

/** Whether a line names `host` (as known_hosts writes it: `name` or `[name]:port`). */
export function lineNamesHost(line: KnownHostLine, host: string): boolean {
  if (line.hashed) {
    const h = createHmac('sha1', line.hashed.salt).update(host).digest();
    return timingSafeEqual(h, line.hashed.hash);
  }
  let positive = false;
  for (const p of line.patterns) {
    if (p.startsWith('!')) {
      if (globMatch(host, p.slice(1))) return false;
    } else if (globMatch(host, p)) positive = true;
  }
  return positive;
}

/** The canonical name known_hosts uses: plain for port 22, `[host]:port` otherwise. */
export function knownHostsName(host: string, port = 22): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** Whether any line lists `keyBlob` for `host`; a revoked key never matches. */
export function hostHasKey(lines: readonly KnownHostLine[], host: string, keyBlob: Buffer): boolean {
  if (lines.some((l) => l.marker === 'revoked' && l.keyBlob.equals(keyBlob))) return false;
  return lines.some((l) => l.marker === '' && l.keyBlob.equals(keyBlob) && lineNamesHost(l, host));
}

/** Plain (unhashed) names listed for a key, to show a user which host a binding is for. */
export function plainNamesForKey(lines: readonly KnownHostLine[], keyBlob: Buffer): string[] {
  return lines
    .filter((l) => l.marker === '' && !l.hashed && l.keyBlob.equals(keyBlob))
    .flatMap((l) => l.patterns.filter((p) => !p.startsWith('!') && !/[*?]/.test(p)));
}

/** ssh's defaults for UserKnownHostsFile and GlobalKnownHostsFile (ssh_config(5)). */
export function defaultKnownHostsPaths(home: string = homedir()): string[] {
  return [join(home, '.ssh', 'known_hosts'), join(home, '.ssh', 'known_hosts2'), '/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2'];
}

/** Reads and parses known_hosts files; a missing file lists nothing. */
export async function readKnownHosts(paths: readonly string[]): Promise<KnownHostLine[]> {
  const all: KnownHostLine[] = [];
  for (const p of paths) {
    try {
      all.push(...parseKnownHosts(await readFile(p, 'utf8')));
    } catch (e) {
      if (systemErrorCode(e) !== 'ENOENT') throw e;
    }
  }
  return all;
}
