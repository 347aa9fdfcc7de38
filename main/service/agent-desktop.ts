// The desktop app's SSH agent: started at the first unlock while the setting agentEnabled is on
// (before that it would have no keys to list), kept through locks (keys stay listed; a signature
// asks to unlock), stopped when the setting goes off. Approvals and unlock requests reach the
// renderer as events; its answers come back through agent.answer.
import { rmSync } from 'node:fs';
import { chooseSocketPlace, type SocketPlace } from '../agent/socket-path';
import { rm } from 'node:fs/promises';
import { KeyholdError } from '../errors';
import type { VaultSession } from '../vault/types';
import { startVaultAgent, type VaultAgent } from './agent';
import { AgentApprovals, UnlockWaiter } from './agent-approvals';
import { agentPolicyOf, setAgentSettings, type AgentSettingsPatch } from './agent-settings';
import { recentAgentUses, type AgentUse } from './agent-uses';
import type { ServiceContext } from './context';
import type { VaultManager } from './vault-manager';
import { agentEnabled } from './vault-settings';

export interface AgentKeyInfo {
  id: string;
  settings: { agent: 'on' | 'off' | 'confirm'; agentHosts: string[]; agentForwarding: 'allow' | 'deny' };
  uses: AgentUse[];
}

export function agentKeyInfo(session: VaultSession, id: string): AgentKeyInfo {
  const rec = session.getKey(id);
  if (rec.kind !== 'ssh_key_pair')
    throw new KeyholdError('INVALID_INPUT', `Key ${rec.id} is a ${rec.kind}; agent settings are for SSH key pairs.`);
  const p = agentPolicyOf(rec);
  return {
    id: rec.id,
    settings: { agent: p.agent, agentHosts: p.agentHosts, agentForwarding: p.agentForwarding },
    uses: recentAgentUses(session, rec.id),
  };
}

export function setAgentKey(session: VaultSession, id: string, patch: AgentSettingsPatch): AgentKeyInfo {
  setAgentSettings(session, id, patch);
  return agentKeyInfo(session, id);
}

export class DesktopAgent {
  readonly approvals: AgentApprovals;
  private readonly unlocks: UnlockWaiter;
  private agent: VaultAgent | null = null;
  private changing: Promise<void> = Promise.resolve();
  private enabled = false;
  private removeSocketAtExit: (() => void) | null = null;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly vault: VaultManager,
  ) {
    this.approvals = new AgentApprovals(
      (req) => ctx.emit('agent.approvalRequested', req),
      60_000,
      (id) => ctx.emit('agent.approvalClosed', { id }),
    );
    this.unlocks = new UnlockWaiter(
      () => vault.peek() !== null,
      (req) => ctx.emit('agent.unlockRequested', req),
      30_000,
    );
    vault.onUnlock((session) => {
      this.unlocks.unlocked();
      this.agent?.source.refresh(session);
      return this.setEnabled(agentEnabled(session));
    });
    vault.onDispose(() => void this.stop());
    vault.onLock((closing) => {
      this.agent?.source.refresh(closing);
      return () => {
        this.agent?.source.vaultLocked();
        this.approvals.vaultLocked();
      };
    });
  }

  status(): { enabled: boolean; running: boolean; socket: string | null } {
    return { enabled: this.enabled, running: this.agent !== null, socket: this.agent?.server.path ?? null };
  }

  /** Starts or stops the agent (the setting changed, or was read at an unlock). */
  setEnabled(enabled: boolean): Promise<void> {
    this.enabled = enabled;
    this.changing = this.changing.then(() => this.apply()).catch(() => undefined);
    return this.changing;
  }

  private async place(): Promise<SocketPlace> {
    const path = this.ctx.agent?.socketPath;
    if (!path) return chooseSocketPlace();
    return { path, cleanup: () => rm(path, { force: true }) };
  }

  private async apply(): Promise<void> {
    const want = this.enabled && this.ctx.agent !== undefined;
    if (want && !this.agent) {
      this.agent = await startVaultAgent({
        access: { vaultPath: this.vault.path, current: () => this.vault.peek(), requestUnlock: this.unlocks.request },
        approve: this.approvals.approve,
        place: await this.place(),
        onAudited: (keyIds) => this.ctx.emit('agent.used', { keyIds }),
      });
      const path = this.agent.server.path;
      // a socket file outlives a process that quits without stopping it; remove it at exit
      this.removeSocketAtExit = () => rmSync(path, { force: true });
      process.once('exit', this.removeSocketAtExit);
    } else if (!want && this.agent) {
      const a = this.agent;
      this.agent = null;
      this.approvals.vaultLocked();
      if (this.removeSocketAtExit) process.removeListener('exit', this.removeSocketAtExit);
      this.removeSocketAtExit = null;
      await a.stop();
    }
  }

  async stop(): Promise<void> {
    await this.setEnabled(false);
  }
}
