// Secret references (docs/CLI.md "Secret references"): keyhold://KEY[/FIELD], where KEY is any key
// reference (WORKSPACE/NAME, WORKSPACE/ENV/NAME, a name, an id) and FIELD one of REF_FIELDS
// (default: secret). Telling ENV from FIELD: the last segment is read as a field only when it is a
// field name; both readings are tried, and when both name a key the reference is CONFLICT (write
// the field explicitly, e.g. .../NAME/secret, or use the key's id). Segments may be percent-encoded
// (a space as %20). Everything here is resolved before any value is used, so a command that
// renders many references fails on an unknown one before it writes anything.
import { KeyholdError } from '../errors';
import type { KeyRecord, VaultSession } from '../vault/types';
import { KeyResolver, ambiguous } from './key-ref';
import { keyPairDetails } from './keypair-view';

export const REF_SCHEME = 'keyhold://';

export const REF_FIELDS = [
  'secret',
  'public',
  'name',
  'description',
  'id',
  'fingerprint',
  'publicKey',
  'kind',
  'state',
  'workspace',
  'environment',
  'remoteId',
  'role',
  'createdAt',
  'updatedAt',
  'rotatedAt',
] as const;
export type RefField = (typeof REF_FIELDS)[number];

function isField(s: string): s is RefField {
  return (REF_FIELDS as readonly string[]).includes(s);
}

export interface ResolvedRef {
  ref: string;
  key: KeyRecord;
  field: RefField;
}

export function isSecretRef(text: string): boolean {
  return text.startsWith(REF_SCHEME);
}

function decode(text: string, ref: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new KeyholdError('INVALID_INPUT', `${JSON.stringify(ref.slice(0, 120))} has a malformed %-escape.`);
  }
}

/** Resolves one keyhold:// reference to a key and field; reads nothing secret. */
export function resolveSecretRef(resolver: KeyResolver, ref: string): ResolvedRef {
  if (!isSecretRef(ref)) throw new KeyholdError('INVALID_INPUT', `A secret reference starts with ${REF_SCHEME}.`);
  const path = ref.slice(REF_SCHEME.length);
  if (path === '' || path.endsWith('/')) throw new KeyholdError('INVALID_INPUT', `${JSON.stringify(ref.slice(0, 120))} names no key.`);
  const readings: Array<{ keyRef: string; field: RefField }> = [{ keyRef: decode(path, ref), field: 'secret' }];
  const slash = path.lastIndexOf('/');
  const last = path.slice(slash + 1);
  if (slash > 0 && isField(last)) readings.push({ keyRef: decode(path.slice(0, slash), ref), field: last });

  const found = new Map<string, ResolvedRef>();
  for (const r of readings) {
    for (const key of matches(resolver, r.keyRef)) found.set(`${key.id} ${r.field}`, { ref, key, field: r.field });
  }
  const all = [...found.values()];
  if (all.length === 1) return all[0]!;
  if (all.length === 0) throw new KeyholdError('NOT_FOUND', `No key for ${JSON.stringify(ref.slice(0, 120))}.`);
  throw ambiguous(
    ref,
    all.map((r) => ({ id: r.key.id, path: `${resolver.pathOf(r.key)} (${r.field})` })),
  );
}

/** The keys a key reference may name: the one an exact id names, else every candidate. */
function matches(resolver: KeyResolver, keyRef: string): KeyRecord[] {
  try {
    return [resolver.resolve(keyRef)];
  } catch (e) {
    if (e instanceof KeyholdError && e.code === 'NOT_FOUND') return [];
    if (e instanceof KeyholdError && e.code === 'CONFLICT') return resolver.candidates(keyRef);
    throw e;
  }
}

/** The value of a resolved reference. The secret is read here; the caller audits where it goes. */
export function refValue(session: VaultSession, resolver: KeyResolver, r: ResolvedRef): string {
  const k = r.key;
  const missing = (): never => {
    throw new KeyholdError('NOT_FOUND', `Key ${k.name} (${k.id}) has no ${r.field}.`);
  };
  switch (r.field) {
    case 'secret':
      if (k.state === 'revoked') throw new KeyholdError('INVALID_INPUT', `Key ${k.name} is revoked; its secret no longer works.`);
      if (!k.hasSecret) return missing();
      return session.readSecret(k.id);
    case 'public':
      return k.publicPart ?? missing();
    case 'publicKey':
      return keyPairDetails(k).publicKey ?? missing();
    case 'workspace':
    case 'environment':
      return resolver.scopeOf(k)[r.field] ?? missing();
    case 'name':
    case 'description':
    case 'id':
    case 'kind':
    case 'state':
    case 'createdAt':
    case 'updatedAt':
      return k[r.field];
    case 'fingerprint':
    case 'remoteId':
    case 'role':
    case 'rotatedAt':
      return k[r.field] ?? missing();
  }
}

/** Audits that the secrets of `refs` went to `target` (non-secret fields are not audited). */
export function auditSecretRefs(session: VaultSession, refs: readonly ResolvedRef[], target: string): void {
  const keys = new Map<string, KeyRecord>();
  for (const r of refs) if (r.field === 'secret') keys.set(r.key.id, r.key);
  if (keys.size === 0) return;
  session.transaction(() => {
    for (const k of keys.values())
      session.audit({ action: 'exported', keyId: k.id, workspaceId: k.workspaceId, detail: `exported to ${target}` });
  });
}

const TEMPLATE_REF = /\{\{\s*(keyhold:\/\/[^\s{}]+)\s*\}\}/g;

/**
 * Renders `{{ keyhold://... }}` in a template, byte-exact outside the references (the template is
 * scanned as latin1, so any bytes pass through unchanged; values are written as UTF-8). Every
 * reference is resolved before any secret is read. Audited as exported to `target`.
 */
export function renderTemplate(session: VaultSession, template: Buffer, target: string): { data: Buffer; refs: number } {
  const text = template.toString('latin1');
  const resolver = new KeyResolver(session);
  const found: Array<{ start: number; end: number; ref: ResolvedRef }> = [];
  for (const m of text.matchAll(TEMPLATE_REF)) {
    const ref = Buffer.from(m[1]!, 'latin1').toString('utf8');
    found.push({ start: m.index, end: m.index + m[0].length, ref: resolveSecretRef(resolver, ref) });
  }
  const values = found.map((f) => refValue(session, resolver, f.ref));
  const parts: Buffer[] = [];
  let at = 0;
  found.forEach((f, i) => {
    parts.push(Buffer.from(text.slice(at, f.start), 'latin1'), Buffer.from(values[i]!, 'utf8'));
    at = f.end;
  });
  parts.push(Buffer.from(text.slice(at), 'latin1'));
  auditSecretRefs(
    session,
    found.map((f) => f.ref),
    target,
  );
  return { data: Buffer.concat(parts), refs: found.length };
}
