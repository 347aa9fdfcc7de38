// Moving in (`keyhold migrate`, the import wizard): another manager's export read by main/migrate,
// planned against what the vault already holds, and written in ONE transaction, so a malformed
// file (INVALID_INPUT from the reader, before anything is written) or a failure half way leaves
// the vault as it was. Each key keeps its content hash in meta.importHash (an HMAC under a key
// derived from the vault key), so running the same import again adds nothing twice.
import { KeyholdError } from '../errors';
import {
  planImport,
  readSource,
  type ImportPlan,
  type MigrationItem,
  type MigrationSource,
  type PlannedItem,
  type PreviewRow,
  type SkippedEntry,
} from '../migrate';
import { LIMITS } from '../vault/tables/fields';
import type { NewKey, VaultSession } from '../vault/types';
import { importKeyRecord, normalizeKeyPairs } from './migrate-records';
import { mapTargets, type GroupMapping, type ImportTargets } from './migrate-targets';

export type { GroupMapping } from './migrate-targets';

/** The purpose the content-hash key is derived for (VaultSession.derivedKey). */
const HASH_KEY_PURPOSE = 'migrate/content-hash';
/** meta field holding an imported key's content hash */
export const IMPORT_HASH_META = 'importHash';

export interface MigrateInput {
  source: MigrationSource;
  /** a file, or the folder for ssh-dir */
  path: string;
  /** the workspace everything goes to (name or id; a new local one when none has that name);
   * default: a local workspace named after the source */
  workspace?: string;
  /** what a group or folder becomes (default: an environment of the workspace) */
  groups?: GroupMapping;
  /** opens every passphrase-protected key (a protected key without it is skipped) */
  passphrase?: string;
  dryRun?: boolean;
}

/** One key that is (or, in a dry run, would be) imported: where it goes, never a secret. */
export interface MigrateRow extends PreviewRow {
  workspace: string;
  environment: string | null;
  /** the new key's id (not in a dry run) */
  id?: string;
}

export interface MigrateResult {
  source: MigrationSource;
  path: string;
  dryRun: boolean;
  /** the workspace items outside a group go to */
  workspace: string;
  /** how many keys were written (0 in a dry run) */
  imported: number;
  skipped: SkippedEntry[];
  /** already in the vault, or the same content earlier in the file (`of` names it) */
  duplicates: (PreviewRow & { of?: string })[];
  items: MigrateRow[];
  /** workspaces and environments the import creates (or, in a dry run, would create) */
  created: { workspaces: string[]; environments: string[] };
}

/** The hashes of earlier imports and the fingerprints of every key pair the vault holds. */
function vaultContent(session: VaultSession): { hashes: Set<string>; fingerprints: Set<string> } {
  const hashes = new Set<string>();
  const fingerprints = new Set<string>();
  for (const k of session.listKeys().items) {
    const h = k.meta[IMPORT_HASH_META];
    if (h !== undefined) hashes.add(h);
    if (k.kind === 'ssh_key_pair' && k.fingerprint) fingerprints.add(k.fingerprint);
  }
  return { hashes, fingerprints };
}

/** Why the vault cannot hold an item a reader accepted (its limits are tighter for notes/URLs). */
function overVaultLimit(item: MigrationItem): string | null {
  if ((item.notes?.length ?? 0) > LIMITS.description) return `its notes are longer than ${LIMITS.description} characters`;
  if ((item.url?.length ?? 0) > LIMITS.publicPart) return `its URL is longer than ${LIMITS.publicPart} characters`;
  return null;
}

/** The plan, with key pairs the vault already holds (generated or imported one by one) as
 * duplicates and items over the vault's limits as skipped. */
function plan(session: VaultSession, items: MigrationItem[], skipped: SkippedEntry[]): ImportPlan {
  const key = session.derivedKey(HASH_KEY_PURPOSE);
  let p: ImportPlan;
  const content = vaultContent(session);
  try {
    p = planImport({ items, skipped }, content.hashes, key);
  } finally {
    key.fill(0);
  }
  const toImport: PlannedItem[] = [];
  for (const planned of p.toImport) {
    const { item } = planned;
    const tooLarge = overVaultLimit(item);
    if (tooLarge) p.skipped.push({ sourceRef: item.sourceRef, reason: tooLarge });
    else if (item.kind === 'ssh_key_pair' && content.fingerprints.has(item.fingerprint))
      p.duplicates.push({
        sourceRef: item.sourceRef,
        name: item.name,
        kind: item.kind,
        groupPath: [...item.groupPath],
        fingerprint: item.fingerprint,
      });
    else toImport.push(planned);
  }
  return { ...p, toImport };
}

function rowOf(planned: PlannedItem, targets: ImportTargets, index: number): MigrateRow {
  const { item } = planned;
  const t = targets.of[index]!;
  const row: MigrateRow = {
    sourceRef: item.sourceRef,
    name: item.name,
    kind: item.kind,
    groupPath: [...item.groupPath],
    workspace: t.workspace,
    environment: t.environment,
  };
  if (item.login !== undefined) row.login = item.login;
  if (item.url !== undefined) row.url = item.url;
  if (item.kind === 'ssh_key_pair') row.fingerprint = item.fingerprint;
  return row;
}

/** The audit detail: source and path, and which entry; never a value. */
function auditDetail(source: MigrationSource, path: string, sourceRef: string): string {
  const d = `imported from ${source} ${path} (${sourceRef})`;
  return d.length <= LIMITS.detail ? d : `${d.slice(0, LIMITS.detail - 2)}…)`;
}

/**
 * Reads PATH as SOURCE and imports what is not yet in the vault (or, with dryRun, only says what
 * would be). INVALID_INPUT for a malformed file, naming the line or entry; the vault unchanged.
 */
export async function migrate(session: VaultSession, input: MigrateInput): Promise<MigrateResult> {
  const passphrase = input.passphrase;
  const read = await readSource(input.source, input.path, passphrase ? { passphraseFor: () => passphrase } : {});
  // PEM keys become OpenSSH text (what the vault stores for a key pair) before the transaction
  const items = await normalizeKeyPairs(read.items);
  const groups = input.groups ?? 'environments';
  const build = () => {
    const p = plan(session, items, [...read.skipped]);
    const targets = mapTargets(
      session,
      p.toImport.map((t) => t.item),
      { source: input.source, workspace: input.workspace, groups },
    );
    return { p, targets };
  };
  const result = (p: ImportPlan, targets: ImportTargets, rows: MigrateRow[], imported: number): MigrateResult => ({
    source: input.source,
    path: input.path,
    dryRun: Boolean(input.dryRun),
    workspace: targets.workspace,
    imported,
    skipped: p.skipped,
    duplicates: p.duplicates,
    items: rows,
    created: { workspaces: targets.newWorkspaces(), environments: targets.newEnvironments() },
  });
  if (input.dryRun) {
    const { p, targets } = build();
    return result(
      p,
      targets,
      p.toImport.map((t, i) => rowOf(t, targets, i)),
      0,
    );
  }
  return session.transaction(
    () => {
      // planned again inside the write, so a concurrent import (the app and the CLI) counts
      const { p, targets } = build();
      const rows = p.toImport.map((t, i) => rowOf(t, targets, i));
      // what is new is known before it is created
      const out = result(p, targets, rows, 0);
      const scopes = targets.create();
      const records: NewKey[] = p.toImport.map((t, i) => importKeyRecord(t, scopes[i]!, IMPORT_HASH_META));
      const stored = session.addKeys(records);
      stored.forEach((rec, i) => {
        rows[i]!.id = rec.id;
        session.audit({
          action: 'imported',
          keyId: rec.id,
          workspaceId: rec.workspaceId,
          detail: auditDetail(input.source, input.path, p.toImport[i]!.item.sourceRef),
        });
      });
      if (stored.length !== p.toImport.length)
        throw new KeyholdError('INTERNAL', 'The import stored a different number of keys than planned.');
      return { ...out, imported: stored.length };
    },
    { bulk: true },
  );
}
