// The one entry point the importer (main/service, `keyhold migrate`, the wizard) calls: read a
// source into items and skipped entries, nothing written anywhere. The importer then:
//   1. plan = planImport(read, hashes the vault holds, a key the vault derives for these hashes);
//   2. --dry-run / the wizard's review: { imported: 0, skipped, duplicates, items: previewRow[] };
//   3. otherwise writes plan.toImport in one transaction, each key with its hash (so the next
//      run finds it) and an audit row "imported from <source>: <sourceRef>"; groupPath is mapped
//      to workspace/environment as the user chose.
import { KeyholdError, systemErrorCode } from '../errors';
import { readBitwardenJson } from './bitwarden-json';
import { readDotenv } from './dotenv-file';
import type { MigrationRead, MigrationSource } from './item';
import { readKeepassCsv } from './keepassxc-csv';
import { readKeepassXml } from './keepassxc-xml';
import { readNetrc } from './netrc-file';
import { readOnePasswordCsv } from './onepassword-csv';
import { readSshDir } from './ssh-dir';

export { contentFields, contentHash, MIGRATION_SOURCES, migrationItemSchema } from './item';
export type { MigrationItem, MigrationRead, MigrationSource, SkippedEntry } from './item';
export { planImport, previewRow } from './plan';
export type { ImportPlan, PlannedItem, PreviewRow } from './plan';

export interface ReadSourceOptions {
  /**
   * The passphrase for a protected SSH key, by its sourceRef ("id_ed25519" in ~/.ssh,
   * "Group/Entry [attachment]" in KeePassXC). The CLI's --passphrase-stdin gives one for all.
   */
  passphraseFor?: (sourceRef: string) => string | undefined;
}

/** Reads PATH (a file, or the folder for ssh-dir) as the given source. */
export async function readSource(source: MigrationSource, path: string, options: ReadSourceOptions = {}): Promise<MigrationRead> {
  try {
    return await readAs(source, path, options);
  } catch (e) {
    const code = systemErrorCode(e);
    if (code === 'ENOENT') throw new KeyholdError('NOT_FOUND', `${path}: no such file or folder.`);
    if (code === 'EISDIR' || code === 'EACCES' || code === 'ENOTDIR')
      throw new KeyholdError('INVALID_INPUT', `${path}: cannot be read (${code}).`);
    throw e;
  }
}

function readAs(source: MigrationSource, path: string, options: ReadSourceOptions = {}): Promise<MigrationRead> {
  switch (source) {
    case 'keepassxc-xml':
      return readKeepassXml(path, options);
    case 'keepassxc-csv':
      return readKeepassCsv(path);
    case 'bitwarden-json':
      return readBitwardenJson(path, options);
    case '1password-csv':
      return readOnePasswordCsv(path);
    case 'netrc':
      return readNetrc(path);
    case 'dotenv':
      return readDotenv(path);
    case 'ssh-dir':
      return readSshDir(path, options);
  }
}
