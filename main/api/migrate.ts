// migrate.*: the import wizard: preview (what would be imported, where, what is skipped or already
// present; never a secret), then apply in one vault transaction. The path comes from main's own
// file dialog (desktop.openFile) or is typed; it must be absolute.
import { z } from 'zod';
import type { MigrationSource } from '../migrate';
import { def, type NamespaceChannels } from './common';
import { GROUP_MAPPINGS, MIGRATION_SOURCE_NAMES, type KeyKind } from './constants';

// the renderer's list of sources is main/migrate's list, no more and no less
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameSources: Same<(typeof MIGRATION_SOURCE_NAMES)[number], MigrationSource> = true;
void sameSources;

export const MigrateInput = z
  .object({
    source: z.enum(MIGRATION_SOURCE_NAMES),
    path: z.string().min(1).max(4096),
    /** name or id; a new local workspace when none has that name; default: named after the source */
    workspace: z.string().min(1).max(1024).optional(),
    groups: z.enum(GROUP_MAPPINGS).optional(),
    /** opens passphrase-protected SSH keys; without it they are skipped */
    passphrase: z.string().min(1).max(4096).optional(),
  })
  .strict();

/** the kinds an import makes: each one a kind of vault key */
const ItemKind = z.enum(['ssh_key_pair', 'login', 'api_key', 'note'] as const satisfies readonly KeyKind[]);
const PreviewRow = z.object({
  sourceRef: z.string(),
  name: z.string(),
  kind: ItemKind,
  groupPath: z.array(z.string()),
  login: z.string().optional(),
  url: z.string().optional(),
  fingerprint: z.string().optional(),
});
export const MigrateRow = PreviewRow.extend({ workspace: z.string(), environment: z.string().nullable(), id: z.string().optional() });
export const MigrateResult = z.object({
  source: z.enum(MIGRATION_SOURCE_NAMES),
  path: z.string(),
  dryRun: z.boolean(),
  workspace: z.string(),
  imported: z.number().int(),
  skipped: z.array(z.object({ sourceRef: z.string(), reason: z.string() })),
  duplicates: z.array(PreviewRow.extend({ of: z.string().optional() })),
  items: z.array(MigrateRow),
  created: z.object({ workspaces: z.array(z.string()), environments: z.array(z.string()) }),
});

export const migrateChannels = {
  'migrate.preview': def(MigrateInput, MigrateResult, ['LOCKED', 'NOT_FOUND', 'INVALID_INPUT', 'INTERNAL']),
  'migrate.apply': def(MigrateInput, MigrateResult, ['LOCKED', 'NOT_FOUND', 'INVALID_INPUT', 'CONFLICT', 'INTERNAL']),
} as const satisfies NamespaceChannels<'migrate'>;
