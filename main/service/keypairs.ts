// Key pair use cases on an unlocked vault: generate (like `ssh-keygen -t ed25519`), import a key
// file, export it in a format tools read, its randomart, and ed25519 signing for the main process
// (Encord's request signatures). The stored secret of a key pair is always its unencrypted
// OpenSSH private key text; its public part the OpenSSH public line.
import { readFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { isKeyPairKind } from '../api/constants';
import { KeyholdError, systemErrorCode } from '../errors';
import { writeFileAtomic } from '../export/atomic-file';
import { generateEd25519Async, signEd25519 } from '../keys/ed25519';
import { renderExport, type ExportFormat, type ExportableKey } from '../keys/export-formats';
import { fingerprint, fingerprintLine, randomart } from '../keys/fingerprint';
import { decodeOpenSshPrivateKey, encodeOpenSshPrivateKey } from '../keys/openssh-private';
import { MAX_KEY_FILE_BYTES, parseKeyFile, type KeySource } from '../keys/parse-key-file';
import type { SshPrivateKey } from '../keys/private-key';
import { ed25519PublicBytes, oneLineComment, parsePublicKeyLine, publicKeyLine, type SshPublicKey } from '../keys/public-key';
import { CAPABILITIES, isRemoteProvider } from '../providers/types';
import type { KeyRecord, NewKey, VaultSession } from '../vault/types';
import { resolveScope } from './keys';

export interface KeyPairScope {
  workspaceId?: string | null;
  environmentId?: string | null;
}

export interface GenerateKeyPairInput extends KeyPairScope {
  name: string;
  /** the public key's comment; default user@host, as ssh-keygen */
  comment?: string;
  description?: string;
}

/** ssh-keygen's default comment. */
export function defaultComment(): string {
  let user = 'user';
  try {
    user = userInfo().username;
  } catch {
    /* no passwd entry (containers): keep the placeholder */
  }
  return `${user}@${hostname()}`;
}

/** Checks the scope and fills the workspace of an environment given alone. */
function resolveIds(session: VaultSession, scope: KeyPairScope): { workspaceId: string | null; environmentId: string | null } {
  const ids = resolveScope(session, { workspace: scope.workspaceId || undefined, env: scope.environmentId || undefined });
  return { workspaceId: ids.workspaceId ?? null, environmentId: ids.environmentId ?? null };
}

function keyPairRecord(
  scope: { workspaceId: string | null; environmentId: string | null },
  name: string,
  description: string | undefined,
  publicKey: SshPublicKey,
  comment: string,
  privateKey: SshPrivateKey | null,
  extraMeta: Record<string, string> = {},
): NewKey {
  return {
    ...scope,
    kind: 'ssh_key_pair',
    name,
    ...(description !== undefined ? { description } : {}),
    publicPart: publicKeyLine(publicKey, comment),
    fingerprint: fingerprint(publicKey),
    meta: { comment, algorithm: publicKey.algorithm.toLowerCase(), bits: String(publicKey.bits), ...extraMeta },
    secret: privateKey ? encodeOpenSshPrivateKey(privateKey) : null,
  };
}

/**
 * Generates ed25519 key pairs on every core and stores them sealed in one transaction, each
 * audited 'created'. (One key is a batch of one; the bench measures batches of 1,000.)
 */
export async function generateKeyPairs(session: VaultSession, inputs: GenerateKeyPairInput[]): Promise<KeyRecord[]> {
  const scopes = inputs.map((i) => resolveIds(session, i));
  const comments = inputs.map((i) => oneLineComment(i.comment ?? defaultComment()));
  const keys = await Promise.all(comments.map((c) => generateEd25519Async(c)));
  const records = keys.map((key, n) =>
    keyPairRecord(scopes[n]!, inputs[n]!.name, inputs[n]!.description, key.publicKey, comments[n]!, key),
  );
  return session.transaction(() => {
    const stored = session.addKeys(records);
    for (const rec of stored) {
      session.audit({
        action: 'created',
        keyId: rec.id,
        workspaceId: rec.workspaceId,
        detail: `ed25519 key pair generated (${rec.fingerprint})`,
      });
    }
    return stored;
  });
}

export async function generateKeyPair(session: VaultSession, input: GenerateKeyPairInput): Promise<KeyRecord> {
  return (await generateKeyPairs(session, [input]))[0]!;
}

export interface ImportKeyPairInput extends KeyPairScope {
  name: string;
  description?: string;
  /** the key file's content */
  content: string | Buffer;
  passphrase?: string;
  /** where it came from (a path, "clipboard"), for the audit trail */
  origin?: string;
}

/** A key file's bytes, for import; an unreadable path is INVALID_INPUT naming the path only. */
export function readKeyFile(path: string): Buffer {
  let data: Buffer;
  try {
    data = readFileSync(path);
  } catch (e) {
    const code = systemErrorCode(e);
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EACCES'
          ? 'permission denied'
          : code === 'EISDIR'
            ? 'it is a folder'
            : 'it cannot be read';
    throw new KeyholdError('INVALID_INPUT', `Cannot read ${path}: ${why}.`);
  }
  if (data.length > MAX_KEY_FILE_BYTES) throw new KeyholdError('INVALID_INPUT', `${path} is too large to be a key file.`);
  return data;
}

const SOURCE_NAMES: Record<KeySource, string> = {
  openssh: 'OpenSSH private key',
  pkcs8: 'PKCS#8 private key',
  pkcs1: 'PKCS#1 RSA private key',
  sec1: 'EC private key',
  spki: 'public key PEM',
  'public-line': 'public key line',
};

/**
 * Imports a private key (stored with its secret, re-encoded as an unprotected OpenSSH key) or a
 * public key alone (stored without a secret), audited 'imported'. A key already in the vault is
 * CONFLICT. Nothing is stored when the file does not read.
 */
export async function importKeyPair(session: VaultSession, input: ImportKeyPairInput): Promise<KeyRecord> {
  const parsed = await parseKeyFile(input.content, input.passphrase ? { passphrase: input.passphrase } : {});
  const fp = fingerprint(parsed.publicKey);
  const scope = resolveIds(session, input);
  return session.transaction(() => {
    const same = session.listKeys({ kind: 'ssh_key_pair', search: fp }).items.find((k) => k.fingerprint === fp);
    if (same) throw new KeyholdError('CONFLICT', `This key is already in the vault (key ${same.id}, ${fp}).`);
    const comment = oneLineComment(parsed.comment);
    const record = keyPairRecord(scope, input.name, input.description, parsed.publicKey, comment, parsed.privateKey, {
      source: parsed.source,
    });
    const rec = session.addKey(record);
    const from = input.origin ? ` from ${input.origin}` : '';
    session.audit({
      action: 'imported',
      keyId: rec.id,
      workspaceId: rec.workspaceId,
      detail: `${SOURCE_NAMES[parsed.source]} imported${from} (${fp})`,
    });
    return rec;
  });
}

/** The key pair of a record: its private key when one is stored, its public key always. */
export function loadKeyPair(session: VaultSession, id: string): { record: KeyRecord; key: ExportableKey } {
  const record = session.getKey(id);
  if (!isKeyPairKind(record.kind)) throw new KeyholdError('INVALID_INPUT', `Key ${record.id} is a ${record.kind}, not a key pair.`);
  if (!record.publicPart) throw new KeyholdError('INTEGRITY', `Key pair ${record.id} has no public key stored.`);
  const { key: publicKey, comment } = parsePublicKeyLine(record.publicPart);
  let privateKey: SshPrivateKey | null = null;
  if (record.hasSecret) {
    let decoded;
    try {
      decoded = decodeOpenSshPrivateKey(session.readSecret(record.id));
    } catch (e) {
      // what the vault holds was written by Keyhold: if it no longer reads, the vault is damaged
      if (e instanceof KeyholdError && e.code === 'INVALID_INPUT')
        throw new KeyholdError('INTEGRITY', `The stored private key of ${record.id} cannot be read.`);
      throw e;
    }
    if (!decoded.privateKey || !decoded.publicKey.blob.equals(publicKey.blob)) {
      throw new KeyholdError('INTEGRITY', `The stored private key of ${record.id} does not match its public key.`);
    }
    privateKey = { ...decoded.privateKey, comment };
  }
  return { record, key: { publicKey, comment, privateKey } };
}

/** The key's platform advises keys without a passphrase (Encord's docs): export warns. */
function forPlainExport(session: VaultSession, record: KeyRecord): boolean {
  if (record.workspaceId === null) return false;
  const provider = session.getWorkspace(record.workspaceId).provider;
  return isRemoteProvider(provider) && CAPABILITIES[provider].plainKeyExport;
}

export interface ExportKeyPairInput {
  id: string;
  format: ExportFormat;
  /** a file path, or '-' for the text itself (the CLI prints it) */
  out: string;
  passphrase?: string;
  force?: boolean;
}

export interface ExportKeyPairResult {
  id: string;
  format: ExportFormat;
  /** null when exported to '-' */
  path: string | null;
  mode: number | null;
  replaced: boolean;
  passphraseProtected: boolean;
  /** why the export differs from what was asked (Encord: no passphrase) */
  note?: string;
  /** only for out '-' */
  content?: string;
}

/**
 * Writes a key pair in a format (atomically, private keys 0600, public 0644, CONFLICT over an
 * existing file unless force) or returns it for '-'. Keys of an Encord workspace are exported
 * with a passphrase only if asked, and the result warns that Encord's docs say to leave it
 * blank. Audited 'exported' with the target.
 */
export async function exportKeyPair(session: VaultSession, input: ExportKeyPairInput): Promise<ExportKeyPairResult> {
  const { record, key } = loadKeyPair(session, input.id);
  const rendered = await renderExport(key, input.format, {
    ...(input.passphrase ? { passphrase: input.passphrase } : {}),
    forEncord: forPlainExport(session, record),
  });
  const base = {
    id: record.id,
    format: input.format,
    passphraseProtected: rendered.passphraseProtected,
    ...(rendered.note ? { note: rendered.note } : {}),
  };
  const protectedNote = rendered.passphraseProtected ? ', passphrase-protected' : '';
  if (input.out === '-') {
    session.audit({
      action: 'exported',
      keyId: record.id,
      workspaceId: record.workspaceId,
      detail: `exported as ${input.format} to standard output${protectedNote}`,
    });
    return { ...base, path: null, mode: null, replaced: false, content: rendered.text };
  }
  const mode = rendered.isPrivate ? 0o600 : 0o644;
  const written = await writeFileAtomic(input.out, rendered.text, { mode, overwrite: Boolean(input.force) });
  session.audit({
    action: 'exported',
    keyId: record.id,
    workspaceId: record.workspaceId,
    detail: `exported as ${input.format} to ${written.path}${protectedNote}`,
  });
  return { ...base, path: written.path, mode, replaced: written.replaced };
}

export interface KeyPairArt {
  id: string;
  fingerprint: string;
  /** the line `ssh-keygen -l` prints */
  fingerprintLine: string;
  /** the picture `ssh-keygen -lv` draws */
  randomart: string;
}

export function keyPairRandomart(session: VaultSession, id: string): KeyPairArt {
  const record = session.getKey(id);
  if (!isKeyPairKind(record.kind) || !record.publicPart) throw new KeyholdError('INVALID_INPUT', `Key ${record.id} is not a key pair.`);
  const { key, comment } = parsePublicKeyLine(record.publicPart);
  return { id: record.id, fingerprint: fingerprint(key), fingerprintLine: fingerprintLine(key, comment), randomart: randomart(key) };
}

/**
 * Signs bytes with a stored ed25519 key (main process only: the private key never leaves it).
 * Not audited per call: a signed request is audited by what it does.
 */
export function signWithKey(session: VaultSession, keyId: string, bytes: Uint8Array): Buffer {
  const { key } = loadKeyPair(session, keyId);
  if (!key.privateKey) throw new KeyholdError('NOT_FOUND', `Key pair ${keyId} has no private key stored, so it cannot sign.`);
  return signEd25519(key.privateKey, bytes);
}

/** The raw ed25519 public key in hex (Encord's key id). */
export function publicKeyHex(session: VaultSession, keyId: string): string {
  const record = session.getKey(keyId);
  if (!isKeyPairKind(record.kind) || !record.publicPart) throw new KeyholdError('INVALID_INPUT', `Key ${record.id} is not a key pair.`);
  return ed25519PublicBytes(parsePublicKeyLine(record.publicPart).key).toString('hex');
}
