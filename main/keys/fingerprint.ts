// Fingerprints and the randomart picture, exactly as ssh-keygen prints them (-l, -lv):
// OpenSSH's sshkey_fingerprint (SHA256, unpadded base64) and fingerprint_randomart (sshkey.c).
import { createHash } from 'node:crypto';
import type { SshPublicKey } from './public-key';

export function sha256Digest(key: SshPublicKey): Buffer {
  return createHash('sha256').update(key.blob).digest();
}

/** `SHA256:` + unpadded base64 of the blob's SHA-256, as `ssh-keygen -l` prints it. */
export function fingerprint(key: SshPublicKey): string {
  return `SHA256:${sha256Digest(key).toString('base64').replace(/=+$/, '')}`;
}

/** The line `ssh-keygen -l` prints: "256 SHA256:... comment (ED25519)". */
export function fingerprintLine(key: SshPublicKey, comment: string): string {
  return `${key.bits} ${fingerprint(key)} ${comment || 'no comment'} (${key.algorithm})`;
}

const FLD_BASE = 8;
const FLD_Y = FLD_BASE + 1;
const FLD_X = FLD_BASE * 2 + 1;
// Symbols by how often the bishop visited a square; the last two mark start (S) and end (E).
const AUGMENTATION = ' .o+=*BOX@%&#/^SE';

/** Draws a border line with a centred label, as fingerprint_randomart does. */
function border(label: string): string {
  const lead = Math.floor((FLD_X - label.length) / 2);
  return `+${'-'.repeat(lead)}${label}${'-'.repeat(Math.max(0, FLD_X - lead - label.length))}+`;
}

/**
 * The "drunken bishop" picture of `ssh-keygen -lv` (no trailing newline): 17x9 field walked by
 * the SHA-256 digest two bits at a time, headed "+--[ED25519 256]--+", footed "+----[SHA256]-----+".
 */
export function randomart(key: SshPublicKey): string {
  const digest = sha256Digest(key);
  const len = AUGMENTATION.length - 1;
  const field: number[][] = Array.from({ length: FLD_X }, () => new Array<number>(FLD_Y).fill(0));
  let x = Math.floor(FLD_X / 2);
  let y = Math.floor(FLD_Y / 2);
  for (const byte of digest) {
    let input = byte;
    for (let b = 0; b < 4; b++) {
      x += input & 0x1 ? 1 : -1;
      y += input & 0x2 ? 1 : -1;
      x = Math.min(Math.max(x, 0), FLD_X - 1);
      y = Math.min(Math.max(y, 0), FLD_Y - 1);
      const col = field[x]!;
      if (col[y]! < len - 2) col[y]!++;
      input >>= 2;
    }
  }
  field[Math.floor(FLD_X / 2)]![Math.floor(FLD_Y / 2)] = len - 1;
  field[x]![y] = len;

  // snprintf into a 17-byte buffer: a title longer than 16 characters falls back to "[TYPE]"
  let title = `[${key.algorithm} ${key.bits}]`;
  if (title.length > FLD_X) title = `[${key.algorithm}]`;
  const lines = [border(title.slice(0, FLD_X - 1))];
  for (let row = 0; row < FLD_Y; row++) {
    let line = '|';
    for (let col = 0; col < FLD_X; col++) line += AUGMENTATION[Math.min(field[col]![row]!, len)];
    lines.push(`${line}|`);
  }
  lines.push(border('[SHA256]'));
  return lines.join('\n');
}
