// One private key (from a ~/.ssh file, a KeePassXC attachment or a Bitwarden SSH key item) into
// the fields of an ssh_key_pair item, or the reason it is skipped. An unprotected key keeps its
// bytes; a protected one is decrypted with the passphrase given for it and kept as unprotected
// OpenSSH text, as the vault encrypts it itself.
import { createHash } from 'node:crypto';
import { isKeyholdError } from '../errors';
import { fingerprint } from '../keys/fingerprint';
import { decodeOpenSshPrivateKey, encodeOpenSshPrivateKey } from '../keys/openssh-private';
import { keyFileNeedsPassphrase, parseKeyFile } from '../keys/parse-key-file';
import { parsePublicKeyLine, publicKeyLine } from '../keys/public-key';

export interface SshKeyFields {
  privateKey: string;
  publicKey: string;
  fingerprint: string;
  comment?: string;
}

export type SshKeyOutcome = { ok: true; fields: SshKeyFields } | { ok: false; reason: string };

export interface SshKeyInput {
  privateKeyText: string;
  /** the .pub line, when there is one: its comment wins (ssh-keygen -c edits only the .pub) */
  publicKeyText?: string;
  passphrase?: string;
}

/** True when the text looks like a private key file at all (PEM or OpenSSH armour). */
export function looksLikePrivateKey(text: string): boolean {
  return /-----BEGIN (OPENSSH |RSA |EC |ENCRYPTED )?PRIVATE KEY-----/.test(text);
}

/** The rewritten file's check number, derived from the KDF salt in the unencrypted header: stable
 * per file without running the (slow) KDF a second time for the original number. */
function checkintOf(text: string): number {
  const salt = decodeOpenSshPrivateKey(text).salt ?? Buffer.alloc(4);
  return createHash('sha256').update(salt).digest().readUInt32BE(0);
}

export async function readSshKey(input: SshKeyInput): Promise<SshKeyOutcome> {
  try {
    const needs = keyFileNeedsPassphrase(input.privateKeyText);
    if (needs && !input.passphrase) return { ok: false, reason: 'the key is protected by a passphrase and none was given for it' };
    const parsed = await parseKeyFile(input.privateKeyText, needs ? { passphrase: input.passphrase } : {});
    if (!parsed.privateKey) return { ok: false, reason: 'it holds a public key only' };
    let comment = parsed.comment;
    if (input.publicKeyText !== undefined && input.publicKeyText.trim() !== '') {
      const pub = parsePublicKeyLine(input.publicKeyText.trim().split(/\r?\n/)[0]!);
      if (!pub.key.blob.equals(parsed.publicKey.blob)) return { ok: false, reason: 'its .pub file holds a different key' };
      if (pub.comment) comment = pub.comment;
    }
    // decrypted: rewritten unprotected, so that reading the same file twice gives the same text
    const checkint = needs && parsed.source === 'openssh' ? checkintOf(input.privateKeyText) : undefined;
    const privateKey = needs ? encodeOpenSshPrivateKey({ ...parsed.privateKey, comment }, { checkint }) : input.privateKeyText;
    return {
      ok: true,
      fields: {
        privateKey,
        publicKey: publicKeyLine(parsed.publicKey),
        fingerprint: fingerprint(parsed.publicKey),
        ...(comment ? { comment } : {}),
      },
    };
  } catch (e) {
    if (!isKeyholdError(e)) throw e;
    // the keys module's messages name the problem, never the key
    if (e.code === 'WRONG_PASSWORD') return { ok: false, reason: 'the passphrase given does not open the key' };
    return { ok: false, reason: e.message };
  }
}
