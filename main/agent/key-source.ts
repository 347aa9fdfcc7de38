// What the agent asks of whoever holds the keys (the vault, later; an in-memory set in the tests).
// The agent never sees a private key: it lists public halves and asks for signatures.

/** Per-key agent settings. */
export interface AgentKeyPolicy {
  /** off: not served at all; confirm: every signature is approved first */
  agent: 'on' | 'off' | 'confirm';
  /** known_hosts names (`host` or `[host]:port`) the key may sign for; empty: any host */
  agentHosts: string[];
  /** whether a request through a forwarded agent connection may use the key */
  agentForwarding: 'allow' | 'deny';
  /** plain ssh-rsa signatures are SHA-1; only with this set does an RSA key make them */
  agentSha1?: 'allow' | 'deny';
}

export const DEFAULT_AGENT_POLICY: AgentKeyPolicy = { agent: 'on', agentHosts: [], agentForwarding: 'deny', agentSha1: 'deny' };

export interface AgentKey {
  /** the key source's own id, handed back on sign */
  keyId: string;
  /** the SSH wire encoding of the public key */
  publicKeyBlob: Buffer;
  comment: string;
  policy: AgentKeyPolicy;
}

export interface KeySource {
  /** Listing works while the vault is locked: only public halves and settings are needed. */
  list(): Promise<AgentKey[]> | AgentKey[];
  /**
   * An SSH signature blob of `data` under the agent's sign flags. Throws a KeyholdError LOCKED
   * while the private key is not available.
   */
  sign(keyId: string, data: Buffer, flags: number): Promise<Buffer>;
}
