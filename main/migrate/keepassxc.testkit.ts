// Test-only: builds real KDBX4 databases with keepassxc-cli (Debian's keepassxc package) and
// exports them, so the readers are tested on what KeePassXC itself writes.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const KEEPASSXC_CLI = '/usr/bin/keepassxc-cli';
const DB_PASSWORD = 'test-db-password';

function run(args: string[], stdinLines: string[]): string {
  if (!existsSync(KEEPASSXC_CLI)) throw new Error(`${KEEPASSXC_CLI} is missing: the KeePassXC tests need the keepassxc package`);
  return execFileSync(KEEPASSXC_CLI, args, {
    input: stdinLines.map((l) => `${l}\n`).join(''),
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'pipe'],
    maxBuffer: 256 * 1024 * 1024,
  });
}

export interface KeepassEntry {
  path: string;
  username?: string;
  url?: string;
  notes?: string;
  /** one line: keepassxc-cli reads it from standard input */
  password?: string;
  attachments?: { name: string; file: string }[];
}

export class KeepassDb {
  readonly path: string;
  constructor(dir: string) {
    this.path = join(dir, 'test.kdbx');
    // -t: a short key derivation keeps the test quick; the format stays KDBX4
    run(['db-create', '-q', '-p', '-t', '100', this.path], [DB_PASSWORD, DB_PASSWORD]);
  }

  mkdir(group: string): void {
    run(['mkdir', '-q', this.path, group], [DB_PASSWORD]);
  }

  add(e: KeepassEntry): void {
    const args = ['add', '-q'];
    if (e.username !== undefined) args.push('-u', e.username);
    if (e.url !== undefined) args.push('--url', e.url);
    if (e.notes !== undefined) args.push('--notes', e.notes);
    if (e.password !== undefined) args.push('-p');
    run([...args, this.path, e.path], e.password !== undefined ? [DB_PASSWORD, e.password] : [DB_PASSWORD]);
    for (const a of e.attachments ?? []) run(['attachment-import', '-q', this.path, e.path, a.name, a.file], [DB_PASSWORD]);
  }

  /** `rm` moves an entry into the recycle bin */
  remove(path: string): void {
    run(['rm', '-q', this.path, path], [DB_PASSWORD]);
  }

  export(format: 'xml' | 'csv'): string {
    return run(['export', '-q', '-f', format, this.path], [DB_PASSWORD]);
  }
}
