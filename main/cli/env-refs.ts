// `exec --env VAR=keyhold://...` and `exec --env-file FILE`: variables whose values are secret
// references (docs/CLI.md "Secret references"). A .env file's other values pass through as they
// are, so one file can mix references and plain settings, as `op run --env-file` reads them.
import { readFileSync, statSync } from 'node:fs';
import { KeyholdError } from '../errors';
import { fileError } from '../export/atomic-file';
import { checkEnvName } from '../export/dotenv';
import { KeyResolver } from '../service/key-ref';
import { auditSecretRefs, isSecretRef, refValue, resolveSecretRef } from '../service/secret-ref';
import type { VaultSession } from '../vault/types';

export interface EnvRefRequest {
  name: string;
  /** a keyhold:// reference, or (from a file) a plain value */
  value: string;
  /** where it was given, for messages */
  origin: string;
}

const MAX_ENV_FILE = 1024 * 1024;

/** `--env VAR=keyhold://...` flags. */
export function envRefRequests(flags: readonly string[]): EnvRefRequest[] {
  return flags.map((text) => {
    const eq = text.indexOf('=');
    const name = eq > 0 ? text.slice(0, eq) : '';
    const value = eq > 0 ? text.slice(eq + 1) : '';
    if (!name || !isSecretRef(value))
      throw new KeyholdError('USAGE', `--env takes VAR=keyhold://WORKSPACE/NAME[/FIELD], not ${JSON.stringify(text.slice(0, 80))}.`);
    return { name: checkEnvName(name), value, origin: '--env' };
  });
}

function unquote(value: string): string {
  const v = value.trim();
  if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v.endsWith(v[0])) return v.slice(1, -1);
  // an unquoted value ends at a comment
  const hash = v.search(/\s#/);
  return hash === -1 ? v : v.slice(0, hash).trimEnd();
}

/** Parses a .env file: NAME=VALUE lines, `export ` allowed, blank lines and # comments skipped. */
export function parseEnvFile(text: string, origin: string): EnvRefRequest[] {
  const out: EnvRefRequest[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const m = /^(?:export\s+)?([^=\s]+)\s*=(.*)$/.exec(line);
    if (!m) throw new KeyholdError('INVALID_INPUT', `${origin} line ${i + 1} is not NAME=VALUE.`);
    out.push({ name: checkEnvName(m[1]!), value: unquote(m[2]!), origin: `${origin} line ${i + 1}` });
  });
  return out;
}

export function readEnvFile(path: string): EnvRefRequest[] {
  try {
    if (statSync(path).size > MAX_ENV_FILE) throw new KeyholdError('INVALID_INPUT', `${path} is over 1 MiB; not a .env file.`);
    return parseEnvFile(readFileSync(path, 'utf8'), path);
  } catch (e) {
    throw fileError(e, path, 'read');
  }
}

/**
 * The variables of `requests` on top of `base` (exec's --key/--public ones): every reference is
 * resolved before any secret is read; a name given twice is USAGE. Secrets audited as exec's.
 */
export function execVars(
  session: VaultSession,
  requests: readonly EnvRefRequest[],
  base: Record<string, string>,
  command: string,
): Record<string, string> {
  const resolver = new KeyResolver(session);
  const resolved = requests.map((r) => ({ r, ref: isSecretRef(r.value) ? resolveSecretRef(resolver, r.value) : null }));
  const vars: Record<string, string> = { ...base };
  for (const { r, ref } of resolved) {
    if (r.name in vars) throw new KeyholdError('USAGE', `${r.name} is given twice (${r.origin}).`);
    vars[r.name] = ref ? refValue(session, resolver, ref) : r.value;
  }
  auditSecretRefs(
    session,
    resolved.flatMap((x) => (x.ref ? [x.ref] : [])),
    `exec ${command}`,
  );
  return vars;
}
