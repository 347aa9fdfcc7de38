// One client connection: messages are answered strictly in order (sign requests may wait on an
// approval), every malformed or refused request is SSH_AGENT_FAILURE, and nothing a client sends
// can throw out of here.
import { isKeyholdError } from '../errors';
import { SshReader } from '../keys/ssh-wire';
import type { AgentKey, KeySource } from './key-source';
import type { KnownHostLine } from './known-hosts';
import { decide, visibleOn, type ApprovalRequest, type UseReport } from './policy';
import { EXT_QUERY, EXT_SESSION_BIND, failure, identitiesAnswer, MSG, queryAnswer, signResponse, success } from './protocol';
import { checkBinding, parseSessionBind, type SessionBinding } from './session-bind';

export interface AgentDeps {
  source: KeySource;
  knownHosts: () => Promise<KnownHostLine[]>;
  approve: (request: ApprovalRequest) => Promise<boolean>;
  onUse: (report: UseReport) => void;
}

export class AgentConnection {
  readonly bindings: SessionBinding[] = [];

  constructor(
    private readonly deps: AgentDeps,
    /**
     * the calling program, looked up once per connection. A sign request waits for it: a client
     * like ssh-keygen exits right after its reply and could no longer be named for the audit.
     */
    private readonly program: () => Promise<string | undefined>,
  ) {}

  private async servedKeys(): Promise<AgentKey[]> {
    return (await this.deps.source.list()).filter((k) => k.policy.agent !== 'off');
  }

  private async listedKeys(): Promise<AgentKey[]> {
    const keys = await this.servedKeys();
    let lines: Promise<KnownHostLine[]> | undefined;
    const knownHosts = () => (lines ??= this.deps.knownHosts()); // read once per listing
    const visible = await Promise.all(keys.map((k) => visibleOn(k, this.bindings, knownHosts)));
    return keys.filter((_, i) => visible[i]);
  }

  /** The framed reply to one message body. */
  async handle(body: Buffer): Promise<Buffer> {
    try {
      if (body.length === 0) return failure();
      const r = new SshReader(body.subarray(1), 'agent message');
      switch (body[0]) {
        case MSG.REQUEST_IDENTITIES:
          r.expectEnd();
          return identitiesAnswer(await this.listedKeys());
        case MSG.SIGN_REQUEST:
          return await this.sign(r);
        case MSG.EXTENSION:
          return this.extension(r);
        default:
          // adding, removing, locking and smartcards: the vault owns its keys, the socket does not
          return failure();
      }
    } catch {
      return failure();
    }
  }

  private async sign(r: SshReader): Promise<Buffer> {
    const blob = Buffer.from(r.string());
    const data = Buffer.from(r.string());
    const flags = r.uint32();
    r.expectEnd();
    const key = (await this.servedKeys()).find((k) => k.publicKeyBlob.equals(blob));
    if (!key) return failure();
    const verdict = await decide({
      key,
      data,
      flags,
      bindings: this.bindings,
      program: await this.program(),
      knownHosts: this.deps.knownHosts,
      approve: this.deps.approve,
    });
    const report = (decision: UseReport['decision'], reason: string): void => {
      try {
        this.deps.onUse({ ...verdict.report, decision, reason });
      } catch {
        // the audit sink failing must not take the agent down with it
      }
    };
    if (verdict.decision !== 'allowed') {
      report('refused', verdict.reason);
      return failure();
    }
    try {
      const signature = await this.deps.source.sign(key.keyId, data, flags);
      report('allowed', verdict.reason);
      return signResponse(signature);
    } catch (e) {
      report('refused', isKeyholdError(e) && e.code === 'LOCKED' ? 'the vault is locked' : 'signing failed');
      return failure();
    }
  }

  private extension(r: SshReader): Buffer {
    const name = r.string().toString('latin1');
    if (name === EXT_QUERY) {
      r.expectEnd();
      return queryAnswer([EXT_QUERY, EXT_SESSION_BIND]);
    }
    if (name !== EXT_SESSION_BIND) return failure();
    const bind = parseSessionBind(r);
    const refusal = checkBinding(this.bindings, bind);
    if (refusal === 'duplicate') return success();
    if (refusal) return failure();
    this.bindings.push({ hostKeyBlob: bind.hostKeyBlob, sessionId: bind.sessionId, forwarded: bind.forwarded });
    return success();
  }
}
