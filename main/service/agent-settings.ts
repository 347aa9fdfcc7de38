// A key pair's agent settings (docs/SECURITY.md, SSH agent): kept in the key's sealed metadata
// (meta.agent, meta.agentHosts, meta.agentForwarding, meta.agentSha1), so they need no new column
// and are as private as the key's name. A key that never had them set is `confirm`: like
// 1Password and Bitwarden, a vault does not let a program sign with a key nobody approved for it.
import { KeyholdError } from '../errors';
import type { AgentKeyPolicy } from '../agent/key-source';
import type { KeyRecord, VaultSession } from '../vault/types';

export const AGENT_MODES = ['on', 'off', 'confirm'] as const;
export const AGENT_FORWARDING = ['allow', 'deny'] as const;

export const DEFAULT_VAULT_AGENT_POLICY: AgentKeyPolicy = { agent: 'confirm', agentHosts: [], agentForwarding: 'deny', agentSha1: 'deny' };

const MAX_HOSTS = 64;
const HOST_PATTERN = /^(\[[^\]\s,]{1,253}\]:\d{1,5}|[^\s,[\]]{1,253})$/;

function pick<T extends string>(allowed: readonly T[], v: string | undefined, fallback: T): T {
  return allowed.find((a) => a === v) ?? fallback;
}

/** The key's agent settings; unknown stored values fall back to the safe default. */
export function agentPolicyOf(record: Pick<KeyRecord, 'meta'>): AgentKeyPolicy {
  const m = record.meta;
  const hosts = (m.agentHosts ?? '').split(',').filter((h) => h !== '');
  return {
    agent: pick(AGENT_MODES, m.agent, DEFAULT_VAULT_AGENT_POLICY.agent),
    agentHosts: hosts,
    agentForwarding: pick(AGENT_FORWARDING, m.agentForwarding, 'deny'),
    agentSha1: pick(AGENT_FORWARDING, m.agentSha1, 'deny'),
  };
}

/** What `key show` and the UI report of a key pair. */
export function agentFields(
  record: Pick<KeyRecord, 'kind' | 'meta'>,
): Pick<AgentKeyPolicy, 'agent' | 'agentHosts' | 'agentForwarding'> | Record<string, never> {
  if (record.kind !== 'ssh_key_pair') return {};
  const p = agentPolicyOf(record);
  return { agent: p.agent, agentHosts: p.agentHosts, agentForwarding: p.agentForwarding };
}

export interface AgentSettingsPatch {
  agent?: AgentKeyPolicy['agent'];
  agentHosts?: string[];
  agentForwarding?: AgentKeyPolicy['agentForwarding'];
  agentSha1?: 'allow' | 'deny';
}

/** Host names as known_hosts writes them: `host` or `[host]:port`. */
export function checkAgentHosts(hosts: readonly string[]): string[] {
  const clean = [...new Set(hosts.map((h) => h.trim()).filter((h) => h !== ''))];
  if (clean.length > MAX_HOSTS) throw new KeyholdError('INVALID_INPUT', `At most ${MAX_HOSTS} agent hosts per key.`);
  for (const h of clean) {
    if (!HOST_PATTERN.test(h))
      throw new KeyholdError('INVALID_INPUT', `"${h.slice(0, 80)}" is not a host name as known_hosts writes it (host or [host]:port).`);
  }
  return clean;
}

/** Changes a key pair's agent settings, audited 'edited' (what changed, never a secret). */
export function setAgentSettings(session: VaultSession, id: string, patch: AgentSettingsPatch): KeyRecord {
  if (patch.agent !== undefined && !AGENT_MODES.includes(patch.agent))
    throw new KeyholdError('INVALID_INPUT', `--agent takes one of ${AGENT_MODES.join(', ')}.`);
  if (patch.agentForwarding !== undefined && !AGENT_FORWARDING.includes(patch.agentForwarding))
    throw new KeyholdError('INVALID_INPUT', '--agent-forwarding takes allow or deny.');
  if (patch.agentSha1 !== undefined && !AGENT_FORWARDING.includes(patch.agentSha1))
    throw new KeyholdError('INVALID_INPUT', 'agentSha1 takes allow or deny.');
  const hosts = patch.agentHosts === undefined ? undefined : checkAgentHosts(patch.agentHosts);
  return session.transaction(() => {
    const rec = session.getKey(id);
    if (rec.kind !== 'ssh_key_pair')
      throw new KeyholdError('INVALID_INPUT', `Key ${rec.id} is a ${rec.kind}; agent settings are for SSH key pairs.`);
    const meta = { ...rec.meta };
    const changed: string[] = [];
    if (patch.agent !== undefined) {
      meta.agent = patch.agent;
      changed.push(`agent ${patch.agent}`);
    }
    if (hosts !== undefined) {
      if (hosts.length) meta.agentHosts = hosts.join(',');
      else delete meta.agentHosts;
      changed.push(hosts.length ? `agent hosts ${hosts.join(', ')}` : 'agent hosts cleared');
    }
    if (patch.agentForwarding !== undefined) {
      meta.agentForwarding = patch.agentForwarding;
      changed.push(`agent forwarding ${patch.agentForwarding}`);
    }
    if (patch.agentSha1 !== undefined) {
      meta.agentSha1 = patch.agentSha1;
      changed.push(`SHA-1 signatures ${patch.agentSha1}`);
    }
    if (changed.length === 0) throw new KeyholdError('USAGE', 'Nothing to change: give --agent, --agent-hosts or --agent-forwarding.');
    const updated = session.updateKey(id, { meta });
    session.audit({ action: 'edited', keyId: id, workspaceId: rec.workspaceId, detail: `changed ${changed.join('; ')}` });
    return updated;
  });
}
