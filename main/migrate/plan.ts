// The preview of an import, before anything is written: which items would be imported, which are
// already present (in the vault, or earlier in the same file) and which are skipped. It knows no
// vault: the caller passes the content hashes the vault holds and the key they are made with.
// Every row is for the screen and the CLI's JSON, so none carries a secret.
import { contentHash, type MigrationItem, type MigrationItemKind, type MigrationRead, type SkippedEntry } from './item';

export interface PreviewRow {
  sourceRef: string;
  name: string;
  kind: MigrationItemKind;
  groupPath: string[];
  login?: string;
  url?: string;
  fingerprint?: string;
}

export interface PlannedItem {
  item: MigrationItem;
  /** stored with the imported key, so the next import recognises it */
  hash: string;
}

export interface ImportPlan {
  toImport: PlannedItem[];
  /** already in the vault, or the same content earlier in this file (then `of` names it) */
  duplicates: (PreviewRow & { of?: string })[];
  skipped: SkippedEntry[];
}

export function previewRow(item: MigrationItem): PreviewRow {
  const row: PreviewRow = { sourceRef: item.sourceRef, name: item.name, kind: item.kind, groupPath: [...item.groupPath] };
  if (item.login !== undefined) row.login = item.login;
  if (item.url !== undefined) row.url = item.url;
  if (item.kind === 'ssh_key_pair') row.fingerprint = item.fingerprint;
  return row;
}

export function planImport(read: MigrationRead, existing: ReadonlySet<string>, hmacKey: Buffer): ImportPlan {
  const plan: ImportPlan = { toImport: [], duplicates: [], skipped: [...read.skipped] };
  const seen = new Map<string, string>();
  for (const item of read.items) {
    const hash = contentHash(item, hmacKey);
    if (existing.has(hash)) plan.duplicates.push(previewRow(item));
    else if (seen.has(hash)) plan.duplicates.push({ ...previewRow(item), of: seen.get(hash)! });
    else {
      seen.set(hash, item.sourceRef);
      plan.toImport.push({ item, hash });
    }
  }
  return plan;
}
