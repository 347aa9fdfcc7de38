// The SSH wire encoding (RFC 4251 §5: uint32, string, mpint) that every OpenSSH key format is
// built from. Reading is bounds-checked: a truncated or hostile blob is INVALID_INPUT, never a
// RangeError or an out-of-bounds slice.
import { KeyholdError } from '../errors';

export class SshReader {
  private offset = 0;
  constructor(
    private readonly buf: Buffer,
    /** what is being read, for error messages ("public key", "private key section") */
    private readonly what: string,
  ) {}

  private fail(detail: string): never {
    throw new KeyholdError('INVALID_INPUT', `Malformed ${this.what}: ${detail}.`);
  }

  uint32(): number {
    if (this.offset + 4 > this.buf.length) this.fail('it ends too early (truncated?)');
    const v = this.buf.readUInt32BE(this.offset);
    this.offset += 4;
    return v;
  }

  bytes(n: number): Buffer {
    if (n < 0 || this.offset + n > this.buf.length) this.fail('it ends too early (truncated?)');
    const v = this.buf.subarray(this.offset, this.offset + n);
    this.offset += n;
    return v;
  }

  string(): Buffer {
    return this.bytes(this.uint32());
  }

  text(): string {
    const b = this.string();
    const s = b.toString('utf8');
    if (!Buffer.from(s, 'utf8').equals(b)) this.fail('a text field is not valid UTF-8');
    return s;
  }

  /** A non-negative mpint, as its unsigned big-endian magnitude without leading zeros. */
  mpint(): Buffer {
    const raw = this.string();
    if (raw.length > 0 && (raw[0]! & 0x80) !== 0) this.fail('a negative number where a key number belongs');
    let i = 0;
    while (i < raw.length && raw[i] === 0) i++;
    return raw.subarray(i);
  }

  /** C string terminated by NUL (the openssh-key-v1 magic). */
  cstring(): string {
    const end = this.buf.indexOf(0, this.offset);
    if (end < 0) this.fail('missing terminator');
    const s = this.buf.subarray(this.offset, end).toString('latin1');
    this.offset = end + 1;
    return s;
  }

  remaining(): Buffer {
    return this.buf.subarray(this.offset);
  }

  get atEnd(): boolean {
    return this.offset === this.buf.length;
  }

  expectEnd(): void {
    if (!this.atEnd) this.fail('unexpected bytes after the key');
  }
}

export class SshWriter {
  private readonly parts: Buffer[] = [];
  private size = 0;

  raw(b: Buffer | Uint8Array): this {
    const buf = Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
    this.parts.push(buf);
    this.size += buf.length;
    return this;
  }

  uint32(v: number): this {
    const b = Buffer.allocUnsafe(4);
    b.writeUInt32BE(v >>> 0, 0);
    return this.raw(b);
  }

  string(v: Buffer | Uint8Array | string): this {
    const b = typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
    this.uint32(b.length);
    return this.raw(b);
  }

  /** An unsigned magnitude as an mpint: no leading zeros, one 0x00 if the top bit is set. */
  mpint(magnitude: Buffer): this {
    let i = 0;
    while (i < magnitude.length && magnitude[i] === 0) i++;
    const m = magnitude.subarray(i);
    if (m.length > 0 && (m[0]! & 0x80) !== 0) return this.string(Buffer.concat([Buffer.from([0]), m]));
    return this.string(m);
  }

  get length(): number {
    return this.size;
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.parts, this.size);
  }
}

/** Bits of an unsigned big-endian magnitude without leading zeros (OpenSSL's BN_num_bits). */
export function bitLength(magnitude: Buffer): number {
  let i = 0;
  while (i < magnitude.length && magnitude[i] === 0) i++;
  if (i === magnitude.length) return 0;
  return (magnitude.length - i - 1) * 8 + (32 - Math.clz32(magnitude[i]!));
}
