// session-bind@openssh.com (OpenSSH PROTOCOL.agent §1): ssh tells the agent which host key its
// session is bound to, proved by the host's signature over the session id. Checked as OpenSSH's
// ssh-agent does (process_ext_session_bind): the signature must verify, a connection bound for
// authentication takes no further binding, a repeated session id must carry the same key, and a
// connection holds at most 16 bindings.
import { SshReader } from '../keys/ssh-wire';
import { verifySsh } from '../keys/ssh-signature';

export interface SessionBinding {
  hostKeyBlob: Buffer;
  sessionId: Buffer;
  forwarded: boolean;
}

const MAX_BINDINGS = 16;
// the exchange hash is a digest: SHA-512 at most (OpenSSH rejects longer ids too)
const MAX_SESSION_ID = 128;

/** Parses the fields after the extension name; throws INVALID_INPUT when malformed. */
export function parseSessionBind(r: SshReader): SessionBinding & { signature: Buffer } {
  const hostKeyBlob = Buffer.from(r.string());
  const sessionId = Buffer.from(r.string());
  const signature = Buffer.from(r.string());
  const flag = r.bytes(1)[0];
  r.expectEnd();
  return { hostKeyBlob, sessionId, signature, forwarded: flag !== 0 };
}

/** Why a binding is refused, or undefined when it may be recorded. */
export function checkBinding(existing: readonly SessionBinding[], bind: SessionBinding & { signature: Buffer }): string | undefined {
  if (bind.sessionId.length === 0 || bind.sessionId.length > MAX_SESSION_ID) return 'session id of a wrong size';
  if (!verifySsh(bind.hostKeyBlob, bind.signature, bind.sessionId)) return 'host key signature does not verify';
  if (existing.length >= MAX_BINDINGS) return 'too many session bindings';
  for (const b of existing) {
    if (!b.forwarded) return 'connection already bound for authentication';
    if (b.sessionId.equals(bind.sessionId))
      return b.hostKeyBlob.equals(bind.hostKeyBlob) ? 'duplicate' : 'session id bound to another host key';
  }
  return undefined;
}

export interface UserauthRequest {
  sessionId: Buffer;
  user: string;
  keyBlob: Buffer;
  /** the host key of publickey-hostbound-v00@openssh.com requests */
  hostKeyBlob?: Buffer;
}

const SSH2_MSG_USERAUTH_REQUEST = 50;

/** The data ssh signs for public key authentication (RFC 4252 §7), or undefined if it is not that. */
export function parseUserauthRequest(data: Buffer): UserauthRequest | undefined {
  try {
    const r = new SshReader(data, 'userauth request');
    const sessionId = Buffer.from(r.string());
    if (r.bytes(1)[0] !== SSH2_MSG_USERAUTH_REQUEST) return undefined;
    const user = r.text();
    if (r.string().toString('latin1') !== 'ssh-connection') return undefined;
    const method = r.string().toString('latin1');
    if (r.bytes(1)[0] === 0) return undefined;
    r.string(); // algorithm
    const keyBlob = Buffer.from(r.string());
    if (method === 'publickey') {
      r.expectEnd();
      return { sessionId, user, keyBlob };
    }
    if (method === 'publickey-hostbound-v00@openssh.com') {
      const hostKeyBlob = Buffer.from(r.string());
      r.expectEnd();
      return { sessionId, user, keyBlob, hostKeyBlob };
    }
    return undefined;
  } catch {
    return undefined;
  }
}
