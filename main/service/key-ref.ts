// Key references (docs/CLI.md "Key references"): wherever a key id is taken, the user may give the
// id, a unique id prefix of at least 6 characters, the exact name, WORKSPACE/NAME or
// WORKSPACE/ENV/NAME. Every interpretation of the text is tried and the keys they name are
// collected: one key is the answer, none is NOT_FOUND, several is CONFLICT naming them (id and
// path, never a secret) — never a guess. Environment names may contain "/" (a GitHub repository
// OWNER/REPO), so a path is split every possible way rather than at fixed places.
import { KeyholdError } from '../errors';
import type { Environment, KeyRecord, VaultSession, Workspace } from '../vault/types';

export const MIN_ID_PREFIX = 6;

/** A key as a reference names it: its id and WORKSPACE/ENV/NAME (for CONFLICT messages). */
export interface KeyCandidate {
  id: string;
  path: string;
}

function sameName(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

function shown(ref: string): string {
  return JSON.stringify(ref.length > 80 ? `${ref.slice(0, 80)}…` : ref);
}

/**
 * Resolves references against one snapshot of the vault's keys, workspaces and environments, so a
 * command with many references (inject, exec) reads the key list once.
 */
export class KeyResolver {
  private keys: KeyRecord[] | undefined;
  private workspaces: Workspace[] | undefined;
  private environments: Environment[] | undefined;

  constructor(private readonly session: VaultSession) {}

  private allKeys(): KeyRecord[] {
    this.keys ??= this.session.listKeys({ sort: 'name' }).items;
    return this.keys;
  }

  private allWorkspaces(): Workspace[] {
    this.workspaces ??= this.session.listWorkspaces();
    return this.workspaces;
  }

  private allEnvironments(): Environment[] {
    this.environments ??= this.session.listEnvironments();
    return this.environments;
  }

  /** The names of a key's workspace and environment (null where it has none). */
  scopeOf(k: KeyRecord): { workspace: string | null; environment: string | null } {
    const ws = k.workspaceId ? this.allWorkspaces().find((w) => w.id === k.workspaceId)?.name : undefined;
    const env = k.environmentId ? this.allEnvironments().find((e) => e.id === k.environmentId)?.name : undefined;
    return { workspace: ws ?? null, environment: env ?? null };
  }

  /** WORKSPACE/ENV/NAME of a key, as candidates and `key list` show it. */
  pathOf(k: KeyRecord): string {
    const { workspace, environment } = this.scopeOf(k);
    return environment ? `${workspace ?? '-'}/${environment}/${k.name}` : `${workspace ?? '-'}/${k.name}`;
  }

  private workspaceIds(text: string): Set<string> {
    return new Set(
      this.allWorkspaces()
        .filter((w) => w.id === text || sameName(w.name, text))
        .map((w) => w.id),
    );
  }

  private environmentIds(text: string, workspaceIds: Set<string>): Set<string> {
    return new Set(
      this.allEnvironments()
        .filter((e) => workspaceIds.has(e.workspaceId) && (e.id === text || sameName(e.name, text)))
        .map((e) => e.id),
    );
  }

  /** Every key the text could name, by every reading of it (deduplicated). */
  candidates(ref: string): KeyRecord[] {
    const found = new Map<string, KeyRecord>();
    const add = (k: KeyRecord): void => void found.set(k.id, k);
    const keys = this.allKeys();
    for (const k of keys) {
      if (k.name === ref) add(k);
      else if (ref.length >= MIN_ID_PREFIX && k.id.startsWith(ref)) add(k);
    }
    const parts = ref.split('/');
    // WORKSPACE/NAME and WORKSPACE/ENV/NAME, with "/" allowed inside each part
    for (let w = 1; w < parts.length; w++) {
      const wsIds = this.workspaceIds(parts.slice(0, w).join('/'));
      if (wsIds.size === 0) continue;
      for (let n = w; n < parts.length; n++) {
        const name = parts.slice(n).join('/');
        if (n === w) {
          for (const k of keys) if (k.workspaceId !== null && wsIds.has(k.workspaceId) && k.name === name) add(k);
        } else {
          const envIds = this.environmentIds(parts.slice(w, n).join('/'), wsIds);
          for (const k of keys) if (k.environmentId !== null && envIds.has(k.environmentId) && k.name === name) add(k);
        }
      }
    }
    return [...found.values()];
  }

  /** The one key `ref` names: NOT_FOUND when none, CONFLICT (with the candidates) when several. */
  resolve(ref: string): KeyRecord {
    if (ref === '') throw new KeyholdError('USAGE', 'An empty key reference names no key.');
    // a full id is unique: it wins without looking further
    const exact = this.allKeys().find((k) => k.id === ref);
    if (exact) return exact;
    const found = this.candidates(ref);
    if (found.length === 1) return found[0]!;
    if (found.length === 0) {
      const hint =
        ref.length < MIN_ID_PREFIX && /^[0-9a-f]+$/.test(ref) ? ` (an id prefix needs at least ${MIN_ID_PREFIX} characters)` : '';
      throw new KeyholdError('NOT_FOUND', `No key ${shown(ref)}${hint}.`);
    }
    throw ambiguous(
      ref,
      found.map((k) => ({ id: k.id, path: this.pathOf(k) })),
    );
  }
}

export function ambiguous(ref: string, candidates: readonly KeyCandidate[]): KeyholdError {
  const list = candidates.slice(0, 20).map((c) => `  ${c.id}  ${c.path}`);
  if (candidates.length > 20) list.push(`  … and ${candidates.length - 20} more`);
  return new KeyholdError('CONFLICT', [`${shown(ref)} names ${candidates.length} keys; give one of their ids:`, ...list].join('\n'));
}

/** The key one reference names (see KeyResolver.resolve). */
export function resolveKeyRef(session: VaultSession, ref: string): KeyRecord {
  return new KeyResolver(session).resolve(ref);
}

/** The ids of several references, all resolved before anything is done with any of them. */
export function resolveKeyIds(session: VaultSession, refs: readonly string[]): string[] {
  const resolver = new KeyResolver(session);
  return refs.map((r) => resolver.resolve(r).id);
}
