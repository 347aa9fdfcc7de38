// The OpenSSH agent protocol (draft-miller-ssh-agent, OpenSSH's PROTOCOL.agent): message numbers,
// the uint32-length framing, and the replies. Parsing is bounds-checked by SshReader, so a hostile
// message is an error the connection answers with SSH_AGENT_FAILURE, never a crash.
import { SshWriter } from '../keys/ssh-wire';

export const MSG = {
  FAILURE: 5,
  SUCCESS: 6,
  REQUEST_IDENTITIES: 11,
  IDENTITIES_ANSWER: 12,
  SIGN_REQUEST: 13,
  SIGN_RESPONSE: 14,
  ADD_IDENTITY: 17,
  REMOVE_IDENTITY: 18,
  REMOVE_ALL_IDENTITIES: 19,
  ADD_SMARTCARD_KEY: 20,
  REMOVE_SMARTCARD_KEY: 21,
  LOCK: 22,
  UNLOCK: 23,
  ADD_ID_CONSTRAINED: 25,
  ADD_SMARTCARD_KEY_CONSTRAINED: 26,
  EXTENSION: 27,
  EXTENSION_FAILURE: 28,
} as const;

/** OpenSSH's ssh-agent refuses messages over 256 KiB (AGENT_MAX_LEN); so do we. */
export const MAX_MESSAGE_SIZE = 256 * 1024;

export const EXT_SESSION_BIND = 'session-bind@openssh.com';
export const EXT_QUERY = 'query';

export function frame(body: Buffer): Buffer {
  const head = Buffer.allocUnsafe(4);
  head.writeUInt32BE(body.length, 0);
  return Buffer.concat([head, body]);
}

export const failure = (): Buffer => frame(Buffer.from([MSG.FAILURE]));
export const success = (): Buffer => frame(Buffer.from([MSG.SUCCESS]));

export interface Identity {
  publicKeyBlob: Buffer;
  comment: string;
}

export function identitiesAnswer(ids: readonly Identity[]): Buffer {
  const w = new SshWriter().raw(Buffer.from([MSG.IDENTITIES_ANSWER])).uint32(ids.length);
  for (const id of ids) w.string(id.publicKeyBlob).string(id.comment);
  return frame(w.toBuffer());
}

export function signResponse(signatureBlob: Buffer): Buffer {
  return frame(
    new SshWriter()
      .raw(Buffer.from([MSG.SIGN_RESPONSE]))
      .string(signatureBlob)
      .toBuffer(),
  );
}

/** The `query` extension's answer as draft-miller-ssh-agent-04 §4.7.1 has it: SUCCESS and the names. */
export function queryAnswer(names: readonly string[]): Buffer {
  const w = new SshWriter().raw(Buffer.from([MSG.SUCCESS]));
  for (const n of names) w.string(n);
  return frame(w.toBuffer());
}

export type FrameEvent = { kind: 'message'; body: Buffer } | { kind: 'oversize'; length: number };

/**
 * Splits a byte stream into agent messages. A declared length over MAX_MESSAGE_SIZE is reported
 * once and ends the stream: reading on would mean trusting a hostile length (the caller answers
 * FAILURE and closes, as OpenSSH closes such a connection).
 */
export class FrameDecoder {
  private buf: Buffer = Buffer.alloc(0);
  private dead = false;

  push(chunk: Buffer): FrameEvent[] {
    if (this.dead) return [];
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const out: FrameEvent[] = [];
    while (this.buf.length >= 4) {
      const length = this.buf.readUInt32BE(0);
      if (length > MAX_MESSAGE_SIZE) {
        this.dead = true;
        this.buf = Buffer.alloc(0);
        out.push({ kind: 'oversize', length });
        break;
      }
      if (this.buf.length < 4 + length) break;
      out.push({ kind: 'message', body: Buffer.from(this.buf.subarray(4, 4 + length)) });
      this.buf = this.buf.subarray(4 + length);
    }
    return out;
  }
}
