// The SSH agent on the vault (docs/SECURITY.md, SSH agent): the KeySource main/agent asks for
// keys and signatures, the audit of every signature decision, and starting the socket server.
// Listing works while the vault is locked from a memory-only snapshot of the last unlocked list
// (public blobs and settings, no secret), dropped when the vault file changed since the lock;
// signing needs the unlocked vault and is LOCKED otherwise.
import { statSync } from 'node:fs';
import type { KeyObject } from 'node:crypto';
import type { AgentKey, KeySource } from '../agent/key-source';
import { defaultKnownHostsPaths, readKnownHosts, type KnownHostLine } from '../agent/known-hosts';
import { keyFingerprint, type ApprovalRequest, type UseReport } from '../agent/policy';
import { startAgentServer, type AgentServer } from '../agent/server';
import type { SocketPlace } from '../agent/socket-path';
import { KeyholdError } from '../errors';
import { toKeyObject, type SshPrivateKey } from '../keys/private-key';
import { parsePublicKeyLine } from '../keys/public-key';
import { signSsh } from '../keys/ssh-signature';
import type { VaultSession } from '../vault/types';
import { agentPolicyOf } from './agent-settings';
import { useDetail } from './agent-uses';
import { loadKeyPair } from './keypairs';

export interface AgentVaultAccess {
  vaultPath: string;
  /** the unlocked session, or null while locked */
  current: () => VaultSession | null;
  /**
   * Desktop: asks the user to unlock and resolves (within a bounded time) whether the vault is
   * unlocked now. Without it a request while locked is refused at once.
   */
  requestUnlock?: (request: { keyFingerprint: string; comment: string }) => Promise<boolean>;
}

interface ServedKey extends AgentKey {
  workspaceId: string | null;
  fingerprint: string;
}

/** What identifies the vault file's content on disk (the WAL too: writes land there first). */
function fileStamp(path: string): string {
  const part = (p: string): string => {
    try {
      const s = statSync(p);
      return `${s.ino}:${s.size}:${s.mtimeMs}`;
    } catch {
      return '-';
    }
  };
  return `${part(path)}|${part(`${path}-wal`)}`;
}

const MAX_QUEUED_USES = 1000;
/**
 * Uses are written in batches: one SQLite commit (a few ms of fsync) per signature would cap the
 * agent at a few hundred signatures a second. A crash loses at most this much of the trail.
 */
const AUDIT_BATCH_MS = 100;

export class VaultKeySource implements KeySource {
  /** the last unlocked list; `stamp` is set once the vault locked */
  private snapshot: { keys: ServedKey[]; stamp: string | null } | null = null;
  /** decisions not yet in the trail: written within AUDIT_BATCH_MS, or at the next unlock */
  private queued: { keyId: string; workspaceId: string | null; detail: string }[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  private readonly privateKeys = new Map<string, { key: SshPrivateKey; object: KeyObject }>();
  private keysOf: VaultSession | null = null;

  constructor(
    private readonly access: AgentVaultAccess,
    /** after uses were written to the trail (the UI reloads a key's recent uses) */
    private readonly onAudited: (keyIds: string[]) => void = () => undefined,
  ) {}

  private fromSession(session: VaultSession): ServedKey[] {
    const out: ServedKey[] = [];
    for (const rec of session.listKeys({ kind: 'ssh_key_pair' }).items) {
      if (!rec.hasSecret || rec.state === 'revoked' || !rec.publicPart) continue;
      try {
        const { key, comment } = parsePublicKeyLine(rec.publicPart);
        out.push({
          keyId: rec.id,
          publicKeyBlob: key.blob,
          comment: comment || rec.name,
          policy: agentPolicyOf(rec),
          workspaceId: rec.workspaceId,
          fingerprint: keyFingerprint(key.blob),
        });
      } catch {
        // a public part that no longer parses is not served
      }
    }
    return out;
  }

  private keys(): ServedKey[] {
    const session = this.access.current();
    if (session) {
      const keys = this.fromSession(session);
      this.snapshot = { keys, stamp: null };
      return keys;
    }
    if (!this.snapshot) return [];
    this.snapshot.stamp ??= fileStamp(this.access.vaultPath);
    if (this.snapshot.stamp !== fileStamp(this.access.vaultPath)) {
      // edited by another process (the CLI) since: what we knew may be wrong, so list nothing
      this.snapshot = null;
      return [];
    }
    return this.snapshot.keys;
  }

  list(): AgentKey[] {
    return this.keys();
  }

  /**
   * Call right after the vault locked (the lock may checkpoint the file, so the stamp is taken
   * after it). Forgets the private keys; keeps the public list.
   */
  vaultLocked(): void {
    this.privateKeys.clear();
    this.keysOf = null;
    if (this.snapshot) this.snapshot.stamp = fileStamp(this.access.vaultPath);
  }

  /** Forgets everything, the public list too (vault removed or replaced). */
  clear(): void {
    this.vaultLocked();
    this.snapshot = null;
    this.queued = [];
  }

  /** Reads the public list now from `session` (at an unlock, or from the session being locked). */
  refresh(session: VaultSession | null = this.access.current()): void {
    if (!session) return;
    this.flushQueued(session);
    this.snapshot = { keys: this.fromSession(session), stamp: null };
  }

  private privateKey(session: VaultSession, keyId: string): { key: SshPrivateKey; object: KeyObject } {
    if (this.keysOf !== session) {
      this.privateKeys.clear();
      this.keysOf = session;
    }
    let k = this.privateKeys.get(keyId);
    if (!k) {
      const { key } = loadKeyPair(session, keyId);
      if (!key.privateKey) throw new KeyholdError('NOT_FOUND', 'This key pair has no private key stored.');
      k = { key: key.privateKey, object: toKeyObject(key.privateKey) };
      this.privateKeys.set(keyId, k);
    }
    return k;
  }

  async sign(keyId: string, data: Buffer, flags: number): Promise<Buffer> {
    let session = this.access.current();
    if (!session && this.access.requestUnlock) {
      const key = this.snapshot?.keys.find((k) => k.keyId === keyId);
      if (key && (await this.access.requestUnlock({ keyFingerprint: key.fingerprint, comment: key.comment })))
        session = this.access.current();
    }
    if (!session) throw new KeyholdError('LOCKED', 'The vault is locked.');
    const k = this.privateKey(session, keyId);
    return signSsh(k.key, data, flags, k.object);
  }

  /** The audit of one decision: written within AUDIT_BATCH_MS when unlocked, else at the next unlock. */
  recordUse(report: UseReport): void {
    const key = this.snapshot?.keys.find((k) => k.fingerprint === report.keyFingerprint);
    if (!key || this.queued.length >= MAX_QUEUED_USES) return;
    this.queued.push({ keyId: key.keyId, workspaceId: key.workspaceId, detail: useDetail(report) });
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = undefined;
      this.flush();
    }, AUDIT_BATCH_MS);
    this.flushTimer.unref?.();
  }

  /** Writes the waiting uses now, if the vault is unlocked. */
  flush(): void {
    const session = this.access.current();
    if (session) this.flushQueued(session);
  }

  private flushQueued(session: VaultSession): void {
    if (this.queued.length === 0) return;
    const q = this.queued;
    this.queued = [];
    session.transaction(() => {
      for (const e of q) {
        try {
          session.audit({ action: 'agent_signed', ...e });
        } catch {
          // the key was removed meanwhile: its use has nothing left to belong to
        }
      }
    });
    try {
      this.onAudited([...new Set(q.map((e) => e.keyId))]);
    } catch {
      // a listener's failure is not the trail's
    }
  }
}

export interface VaultAgentOptions {
  access: AgentVaultAccess;
  approve: (request: ApprovalRequest) => Promise<boolean>;
  /** known_hosts files for host-bound keys (default ~/.ssh/known_hosts and /etc/ssh/ssh_known_hosts) */
  knownHostsFiles?: string[];
  place?: SocketPlace;
  /** every decision as it is made (the CLI's idle timer) */
  onUse?: (report: UseReport) => void;
  /** after decisions were written to the audit trail */
  onAudited?: (keyIds: string[]) => void;
}

export interface VaultAgent {
  server: AgentServer;
  source: VaultKeySource;
  stop: () => Promise<void>;
}

export async function startVaultAgent(opts: VaultAgentOptions): Promise<VaultAgent> {
  const source = new VaultKeySource(opts.access, opts.onAudited);
  source.refresh();
  const knownHosts = (): Promise<KnownHostLine[]> => readKnownHosts(opts.knownHostsFiles ?? defaultKnownHostsPaths());
  const server = await startAgentServer({
    source,
    knownHosts,
    approve: opts.approve,
    onUse: (report) => {
      try {
        source.recordUse(report);
      } finally {
        opts.onUse?.(report);
      }
    },
    ...(opts.place ? { place: opts.place } : {}),
  });
  return {
    server,
    source,
    stop: async () => {
      await server.stop();
      source.flush();
    },
  };
}
