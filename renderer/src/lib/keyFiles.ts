// Reading a key file the user dropped or picked: its text (FileReader, in the renderer; the text
// goes to main over the channel) and whether it is protected by a passphrase, so the dialog can
// ask for one before the first try.

export const MAX_KEY_FILE_BYTES = 256 * 1024;

export interface KeyFileContent {
  content: string;
  /** text for PEM / OpenSSH / public lines; base64 for binary (DER) files */
  encoding: 'text' | 'base64';
}

export function readKeyFile(file: File): Promise<KeyFileContent> {
  return new Promise((resolve, reject) => {
    if (file.size > MAX_KEY_FILE_BYTES) {
      reject(new Error(`${file.name} is ${Math.round(file.size / 1024)} KiB; a key file is at most a few KiB.`));
      return;
    }
    const reader = new FileReader();
    reader.onload = () => resolve(decodeKeyFile(new Uint8Array(reader.result instanceof ArrayBuffer ? reader.result : new ArrayBuffer(0))));
    reader.onerror = () => reject(new Error(`Could not read ${file.name}.`));
    reader.readAsArrayBuffer(file);
  });
}

/** Text when the bytes are clean UTF-8 without control characters, else base64 (a DER key). */
export function decodeKeyFile(bytes: Uint8Array): KeyFileContent {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    if (!/[\u0000-\u0008\u000e-\u001f]/.test(text)) return { content: text, encoding: 'text' };
  } catch {
    // not UTF-8: binary
  }
  let binary = '';
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]!);
  return { content: btoa(binary), encoding: 'base64' };
}

/** True when the text is a private key encrypted with a passphrase (OpenSSH, PKCS#8 or PKCS#1). */
export function isEncryptedKey(text: string): boolean {
  if (/-----BEGIN ENCRYPTED PRIVATE KEY-----/.test(text)) return true;
  if (/Proc-Type:\s*4,ENCRYPTED/.test(text)) return true;
  const m = /-----BEGIN OPENSSH PRIVATE KEY-----([\s\S]*?)-----END OPENSSH PRIVATE KEY-----/.exec(text);
  if (!m) return false;
  try {
    const bin = atob(m[1]!.replace(/\s+/g, ''));
    // "openssh-key-v1\0" then uint32 length + cipher name ("none" when unencrypted)
    const at = 15;
    const len = (bin.charCodeAt(at) << 24) | (bin.charCodeAt(at + 1) << 16) | (bin.charCodeAt(at + 2) << 8) | bin.charCodeAt(at + 3);
    return bin.slice(at + 4, at + 4 + len) !== 'none';
  } catch {
    return false;
  }
}

/** A name for the key from its file name (id_ed25519.pub -> id_ed25519). */
export function nameFromFile(fileName: string): string {
  return fileName.replace(/\.(pub|pem|key|txt)$/i, '');
}
