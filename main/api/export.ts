// export.*: the export dialog: preview first, then write netrc, .env or a curl config.
import { z } from 'zod';
import { def, FileToken, Id, type NamespaceChannels } from './common';
import { EXPORT_FORMATS } from './constants';

const ExportPath = z.string().min(1).max(4096);
const ExportKeyIds = z.array(Id).min(1).max(10_000);
const EnvPrefix = z.string().max(200);
const EnvNames = z.record(z.string(), z.string().min(1).max(200));
export const ExportFormat = z.enum(EXPORT_FORMATS);
/** netrc: path defaults to ~/.netrc; host to the workspace URL's host; login is for keys that
 * have only a secret. Paths over IPC must be absolute. */
export const ExportNetrcInput = z
  .object({
    keyIds: ExportKeyIds,
    path: ExportPath.optional(),
    token: FileToken.optional(),
    host: z.string().min(1).max(253).optional(),
    login: z.string().min(1).max(1024).optional(),
  })
  .strict();
export const ExportDotenvInput = z
  .object({
    keyIds: ExportKeyIds,
    path: ExportPath,
    token: FileToken.optional(),
    prefix: EnvPrefix.optional(),
    names: EnvNames.optional(),
    force: z.boolean().optional(),
  })
  .strict();
export const ExportCurlInput = z
  .object({
    keyId: Id,
    path: ExportPath,
    token: FileToken.optional(),
    login: z.string().min(1).max(1024).optional(),
    force: z.boolean().optional(),
  })
  .strict();
export const ExportPreviewInput = z
  .object({
    format: ExportFormat,
    keyIds: ExportKeyIds,
    path: ExportPath.optional(),
    token: FileToken.optional(),
    host: z.string().min(1).max(253).optional(),
    login: z.string().min(1).max(1024).optional(),
    prefix: EnvPrefix.optional(),
    names: EnvNames.optional(),
    force: z.boolean().optional(),
  })
  .strict();
export const NetrcEntryChange = z.object({
  keyId: z.string(),
  machine: z.string(),
  login: z.string(),
  change: z.enum(['added', 'updated', 'unchanged']),
});
/** What an export would do; never a secret (the netrc diff has every password masked). */
export const ExportPreview = z.object({
  format: ExportFormat,
  path: z.string(),
  exists: z.boolean(),
  /** .env / curl: the file exists and force is not set */
  conflict: z.boolean(),
  /** netrc: unified diff, passwords masked; null otherwise */
  diff: z.string().nullable(),
  /** .env: the variable names */
  names: z.array(z.string()),
  changes: z.array(NetrcEntryChange),
  warnings: z.array(z.string()),
});
export const ExportNetrcOutput = z.object({
  written: z.boolean(),
  path: z.string(),
  backupPath: z.string().nullable(),
  changes: z.array(NetrcEntryChange),
  warnings: z.array(z.string()),
});
export const ExportFileOutput = z.object({ path: z.string(), names: z.array(z.string()), replaced: z.boolean() });

export const exportChannels = {
  'export.preview': def(ExportPreviewInput, ExportPreview, ['LOCKED', 'NOT_FOUND', 'INVALID_INPUT', 'USAGE', 'INTERNAL']),
  'export.netrc': def(ExportNetrcInput, ExportNetrcOutput, ['LOCKED', 'NOT_FOUND', 'INVALID_INPUT', 'CONFLICT', 'USAGE', 'INTERNAL']),
  'export.dotenv': def(ExportDotenvInput, ExportFileOutput, ['LOCKED', 'NOT_FOUND', 'INVALID_INPUT', 'CONFLICT', 'USAGE', 'INTERNAL']),
  'export.curl': def(ExportCurlInput, ExportFileOutput, ['LOCKED', 'NOT_FOUND', 'INVALID_INPUT', 'CONFLICT', 'USAGE', 'INTERNAL']),
} as const satisfies NamespaceChannels<'export'>;
