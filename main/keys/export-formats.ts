// What `export` writes, by format: the OpenSSH private key file (optionally passphrase-protected),
// PKCS#8 PEM, the public key line, and Encord's download form (a .txt holding the OpenSSH
// private key). Encord's SDK loads passphrase-protected keys too, though Encord's docs say to
// leave the passphrase blank: a passphrase asked for is honoured, with that warning.
import type { KEY_EXPORT_FORMATS } from '../api/constants';
import { KeyholdError } from '../errors';
import { encodeOpenSshPrivateKeyAsync } from './openssh-private';
import { encodePkcs8 } from './pem';
import type { SshPrivateKey } from './private-key';
import { publicKeyLine, type SshPublicKey } from './public-key';

export { KEY_EXPORT_FORMATS as EXPORT_FORMATS } from '../api/constants';
export type ExportFormat = (typeof KEY_EXPORT_FORMATS)[number];

export const ENCORD_PASSPHRASE_WARNING =
  "Protected with the passphrase as asked, though Encord's docs say to leave it blank: give the passphrase to Encord's SDK (create_with_ssh_private_key(password=...)) when it loads the key.";

export interface ExportableKey {
  publicKey: SshPublicKey;
  comment: string;
  privateKey: SshPrivateKey | null;
}

export interface RenderedExport {
  text: string;
  /** private key material: written with mode 0600 */
  isPrivate: boolean;
  passphraseProtected: boolean;
  /** why the export differs from what was asked, for the user */
  note?: string;
}

export interface RenderOptions {
  passphrase?: string;
  /** the key is meant for Encord: a passphrase is honoured with a warning */
  forEncord?: boolean;
}

/** Async: a passphrase-protected OpenSSH key's KDF runs on a worker thread. */
export async function renderExport(key: ExportableKey, format: ExportFormat, options: RenderOptions = {}): Promise<RenderedExport> {
  if (format === 'pub') return { text: `${publicKeyLine(key.publicKey, key.comment)}\n`, isPrivate: false, passphraseProtected: false };
  const priv = key.privateKey;
  if (!priv)
    throw new KeyholdError('INVALID_INPUT', `This key has no private key stored, so it cannot be exported as ${format}; export it as pub.`);
  if (format === 'txt' && priv.publicKey.type !== 'ssh-ed25519') {
    throw new KeyholdError('INVALID_INPUT', `Encord's key form holds ed25519 keys only; this is an ${priv.publicKey.algorithm} key.`);
  }
  const passphrase = options.passphrase || undefined;
  // Encord's .txt form, and any key of an Encord workspace: protected only if asked, with a warning
  const note = passphrase && (format === 'txt' || options.forEncord) ? ENCORD_PASSPHRASE_WARNING : undefined;
  const text =
    format === 'pkcs8' ? encodePkcs8(priv, passphrase) : await encodeOpenSshPrivateKeyAsync(priv, passphrase ? { passphrase } : {});
  return { text, isPrivate: true, passphraseProtected: Boolean(passphrase), ...(note ? { note } : {}) };
}
