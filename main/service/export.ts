// Use cases that put keys where other tools read them: netrc, .env, curl config, and the
// environment of one command (exec). Each export that lets a secret leave the vault is audited
// 'exported' with its target (a path, "stdout" or "exec COMMAND"), never the secret.
//
// Decisions:
// - netrc: machine = the hostname of the key's workspace URL (or an explicit host); login = the
//   key's public part (Rancher access key); password = the secret. A key with only a secret
//   (Syncano API key, GitHub token) has no natural login, and a made-up one would be silently
//   wrong (Syncano reads X-API-KEY, never Basic), so it needs an explicit login (--login).
// - .env: NAME=secret; an access key pair gives NAME_ACCESS_KEY and NAME_SECRET_KEY. Names come
//   from the key's name (upper snake case) with the prefix, or are given per key (taken as is).
// - Revoked keys and ssh key pairs (exported as key files, `keyhold export`) are refused.
import { isKeyPairKind } from '../api/constants';
import { isAbsolute, resolve } from 'node:path';
import { KeyholdError } from '../errors';
import { readExisting, writeFileAtomic } from '../export/atomic-file';
import { curlConfig } from '../export/curl-config';
import { checkEnvName, checkEnvPrefix, envNameFrom, renderDotenv, type DotenvVar } from '../export/dotenv';
import { defaultNetrcPath } from '../export/netrc';
import { applyNetrcPlan, planNetrcMerge, type NetrcPlan } from '../export/netrc-file';
import type { KeyRecord, VaultSession } from '../vault/types';

interface Exportable {
  record: KeyRecord;
  secret: string;
}

/** The key and its secret, refusing what cannot be exported this way. */
function exportable(session: VaultSession, id: string, how: string): Exportable {
  const record = session.getKey(id);
  if (isKeyPairKind(record.kind)) {
    throw new KeyholdError(
      'INVALID_INPUT',
      `Key ${record.name} is an ssh key pair: write it as a key file (keyhold export) rather than as ${how}.`,
    );
  }
  if (record.state === 'revoked') throw new KeyholdError('INVALID_INPUT', `Key ${record.name} is revoked; its secret no longer works.`);
  if (!record.hasSecret) throw new KeyholdError('NOT_FOUND', `Key ${record.name} has no stored secret.`);
  return { record, secret: session.readSecret(id) };
}

function audit(session: VaultSession, keys: readonly KeyRecord[], target: string): void {
  session.transaction(() => {
    for (const k of keys) session.audit({ action: 'exported', keyId: k.id, workspaceId: k.workspaceId, detail: `exported to ${target}` });
  });
}

function distinct(ids: readonly string[]): string[] {
  if (ids.length === 0) throw new KeyholdError('USAGE', 'Choose at least one key.');
  return [...new Set(ids)];
}

/** Where a file export goes: relative paths (CLI) against the working directory. */
export function targetPath(path: string, options: { requireAbsolute?: boolean } = {}): string {
  if (options.requireAbsolute && !isAbsolute(path)) throw new KeyholdError('INVALID_INPUT', `The target path must be absolute: ${path}`);
  return resolve(path);
}

// ---- netrc ----------------------------------------------------------------------------------

export interface NetrcExportInput {
  keyIds: readonly string[];
  /** default ~/.netrc (%USERPROFILE%\_netrc on Windows) */
  path?: string;
  /** the machine name instead of the workspace URL's hostname */
  host?: string;
  /** the login for keys that have no public part */
  login?: string;
}

export interface NetrcExportChange {
  keyId: string;
  machine: string;
  login: string;
  change: 'added' | 'updated' | 'unchanged';
}

export interface NetrcExportPlan {
  plan: NetrcPlan;
  keys: KeyRecord[];
  changes: NetrcExportChange[];
}

function netrcHost(session: VaultSession, record: KeyRecord, override?: string): string {
  if (override) return override;
  const ws = record.workspaceId ? session.getWorkspace(record.workspaceId) : null;
  if (!ws?.url)
    throw new KeyholdError('INVALID_INPUT', `Key ${record.name} has no workspace URL to take the machine name from; give one with --host.`);
  try {
    const host = new URL(ws.url).hostname.replace(/^\[(.*)\]$/, '$1');
    if (host) return host;
  } catch {
    /* fall through */
  }
  throw new KeyholdError('INVALID_INPUT', `The URL of workspace ${ws.name} has no host name; give one with --host.`);
}

export async function planNetrcExport(session: VaultSession, input: NetrcExportInput): Promise<NetrcExportPlan> {
  const path = targetPath(input.path ?? defaultNetrcPath());
  const items = distinct(input.keyIds).map((id) => {
    const { record, secret } = exportable(session, id, 'a netrc entry');
    const login = record.publicPart ?? input.login;
    if (!login) {
      throw new KeyholdError(
        'INVALID_INPUT',
        `Key ${record.name} has only a secret, so there is no login for its netrc entry; give one with --login if the service takes the key as an HTTP Basic password.`,
      );
    }
    return { record, cred: { machine: netrcHost(session, record, input.host), login, password: secret } };
  });
  const plan = await planNetrcMerge(
    path,
    items.map((i) => i.cred),
  );
  return {
    plan,
    keys: items.map((i) => i.record),
    changes: items.map((i, n) => ({ keyId: i.record.id, machine: i.cred.machine, login: i.cred.login, change: plan.changes[n]!.change })),
  };
}

export interface NetrcExportResult {
  path: string;
  /** false when every entry was already there: the file was left as it was */
  written: boolean;
  backupPath: string | null;
  changes: NetrcExportChange[];
  warnings: string[];
}

export async function exportNetrc(session: VaultSession, input: NetrcExportInput): Promise<NetrcExportResult> {
  const { plan, keys, changes } = await planNetrcExport(session, input);
  const written = await applyNetrcPlan(plan);
  audit(session, keys, plan.path);
  return { path: plan.path, written: written !== null, backupPath: written?.backupPath ?? null, changes, warnings: plan.warnings };
}

// ---- .env -------------------------------------------------------------------------------------

export interface DotenvExportInput {
  keyIds: readonly string[];
  /** put before derived names */
  prefix?: string;
  /** key id -> the variable name to use as is */
  names?: Readonly<Record<string, string>>;
}

export interface DotenvVars {
  keys: KeyRecord[];
  vars: DotenvVar[];
}

/** The variables for keys (also exec's environment): NAME=secret, or NAME_ACCESS_KEY and
 * NAME_SECRET_KEY for an access key pair. */
export function dotenvVars(session: VaultSession, input: DotenvExportInput): DotenvVars {
  const prefix = checkEnvPrefix(input.prefix ?? '');
  const ids = distinct(input.keyIds);
  for (const id of Object.keys(input.names ?? {})) {
    if (!ids.includes(id)) throw new KeyholdError('USAGE', `A name was given for key ${id}, which is not among the chosen keys.`);
  }
  const keys: KeyRecord[] = [];
  const vars: DotenvVar[] = [];
  for (const id of ids) {
    const { record, secret } = exportable(session, id, 'an environment variable');
    const given = input.names?.[id];
    const base = given !== undefined ? checkEnvName(given) : envNameFrom(record.name, prefix);
    const comment = `keyhold key ${record.id}`;
    if (record.kind === 'access_key_pair' && record.publicPart) {
      vars.push({ name: `${base}_ACCESS_KEY`, value: record.publicPart, comment });
      vars.push({ name: `${base}_SECRET_KEY`, value: secret });
    } else {
      vars.push({ name: base, value: secret, comment });
    }
    keys.push(record);
  }
  const seen = new Set<string>();
  for (const v of vars) {
    if (seen.has(v.name)) throw new KeyholdError('INVALID_INPUT', `Two keys would both be written as ${v.name}; give names explicitly.`);
    seen.add(v.name);
  }
  return { keys, vars };
}

export interface DotenvFileInput extends DotenvExportInput {
  path: string;
  force?: boolean;
}

export interface FileExportResult {
  path: string;
  names: string[];
  replaced: boolean;
}

export async function exportDotenvFile(session: VaultSession, input: DotenvFileInput): Promise<FileExportResult> {
  const path = targetPath(input.path);
  const { keys, vars } = dotenvVars(session, input);
  const written = await writeFileAtomic(path, renderDotenv(vars), { mode: 0o600, overwrite: input.force });
  audit(session, keys, path);
  return { path, names: vars.map((v) => v.name), replaced: written.replaced };
}

/** The .env text for standard output (`--out -`), audited as exported to "stdout". */
export function exportDotenvText(session: VaultSession, input: DotenvExportInput): { names: string[]; text: string } {
  const { keys, vars } = dotenvVars(session, input);
  const text = renderDotenv(vars);
  audit(session, keys, 'stdout');
  return { names: vars.map((v) => v.name), text };
}

// ---- curl config --------------------------------------------------------------------------------

export interface CurlExportInput {
  keyId: string;
  path: string;
  login?: string;
  force?: boolean;
}

function curlText(session: VaultSession, keyId: string, login?: string): { record: KeyRecord; text: string } {
  const { record, secret } = exportable(session, keyId, 'a curl config');
  const user = record.publicPart ?? login;
  if (!user)
    throw new KeyholdError('INVALID_INPUT', `Key ${record.name} has only a secret, so there is no user for curl; give one with --login.`);
  return { record, text: curlConfig(user, secret, { comment: `keyhold key ${record.id}: use with curl -K FILE` }) };
}

export async function exportCurlConfig(session: VaultSession, input: CurlExportInput): Promise<FileExportResult> {
  const path = targetPath(input.path);
  const { record, text } = curlText(session, input.keyId, input.login);
  const written = await writeFileAtomic(path, text, { mode: 0o600, overwrite: input.force });
  audit(session, [record], path);
  return { path, names: [], replaced: written.replaced };
}

// ---- exec -----------------------------------------------------------------------------------------

export interface ExecVarRequest {
  keyId: string;
  /** default: derived from the key's name, as for .env */
  name?: string;
  /** the public part instead of the secret (an access key next to its secret key) */
  public?: boolean;
}

/** The variables for `exec`, audited as exported to "exec COMMAND" (the command, not its args). */
export function execEnv(session: VaultSession, requests: readonly ExecVarRequest[], command: string): Record<string, string> {
  if (requests.length === 0) throw new KeyholdError('USAGE', 'Choose at least one key (--key ID=VAR).');
  const vars: Record<string, string> = {};
  const keys = new Map<string, KeyRecord>();
  for (const r of requests) {
    const name = r.name !== undefined ? checkEnvName(r.name) : envNameFrom(session.getKey(r.keyId).name);
    if (name in vars) throw new KeyholdError('USAGE', `${name} is given twice.`);
    if (r.public) {
      const record = session.getKey(r.keyId);
      if (!record.publicPart) throw new KeyholdError('INVALID_INPUT', `Key ${record.name} has no public part.`);
      vars[name] = record.publicPart;
    } else {
      const { record, secret } = exportable(session, r.keyId, 'an environment variable');
      vars[name] = secret;
      keys.set(record.id, record);
    }
  }
  if (keys.size > 0) audit(session, [...keys.values()], `exec ${command}`);
  return vars;
}

// ---- preview (the export dialog) -----------------------------------------------------------------

export type ExportFormat = 'netrc' | 'dotenv' | 'curl';

export interface ExportPreviewInput {
  format: ExportFormat;
  keyIds: readonly string[];
  path?: string;
  host?: string;
  login?: string;
  prefix?: string;
  names?: Readonly<Record<string, string>>;
  force?: boolean;
}

export interface ExportPreview {
  format: ExportFormat;
  path: string;
  exists: boolean;
  /** the file exists and would not be replaced without force (.env, curl) */
  conflict: boolean;
  /** netrc: unified diff with every password masked; null for the other formats */
  diff: string | null;
  /** .env: the variable names that would be written */
  names: string[];
  /** netrc: what happens to each key's entry */
  changes: NetrcExportChange[];
  warnings: string[];
}

/** What an export would do, without writing or auditing anything; no secret in the answer. */
export async function previewExport(session: VaultSession, input: ExportPreviewInput): Promise<ExportPreview> {
  if (input.format === 'netrc') {
    const { plan, changes } = await planNetrcExport(session, input);
    return {
      format: 'netrc',
      path: plan.path,
      exists: plan.original !== null,
      conflict: false,
      diff: plan.preview,
      names: [],
      changes,
      warnings: plan.warnings,
    };
  }
  if (!input.path) throw new KeyholdError('USAGE', 'Choose the file to write.');
  const path = targetPath(input.path);
  const exists = (await readExisting(path)) !== null;
  let names: string[] = [];
  if (input.format === 'dotenv') {
    const { vars } = dotenvVars(session, input);
    renderDotenv(vars); // refuses a value .env cannot hold, before the user confirms
    names = vars.map((v) => v.name);
  } else {
    if (input.keyIds.length !== 1) throw new KeyholdError('USAGE', 'A curl config holds one key.');
    curlText(session, input.keyIds[0]!, input.login);
  }
  return { format: input.format, path, exists, conflict: exists && !input.force, diff: null, names, changes: [], warnings: [] };
}
