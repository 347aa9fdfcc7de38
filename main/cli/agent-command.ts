// `keyhold agent` (CLI.md, SSH agent): unlocks the vault once, serves its SSH key pairs on a
// socket until SIGINT/SIGTERM, confirms through $SSH_ASKPASS, and with --timeout forgets the
// unlocked vault after that many idle minutes (keys stay listed, signing is refused).
import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { askpassApprover } from '../agent/askpass';
import { defaultKnownHostsPaths } from '../agent/known-hosts';
import type { SocketPlace } from '../agent/socket-path';
import { KeyholdError } from '../errors';
import { startVaultAgent } from '../service/agent';
import type { AgentSettingsPatch } from '../service/agent-settings';
import { inspectVaultFile, openWithKey, unlockKey } from '../vault';
import type { VaultSession } from '../vault/types';
import type { Cli } from './io';
import type { CommandModule } from './program';
import { cliSeenRecords, cliVaultPath } from './with-vault';

/** `key edit`'s agent flags (registered with the other edit flags in remote-commands.ts). */
export interface AgentEditOptions {
  agent?: 'on' | 'off' | 'confirm';
  agentHosts?: string;
  agentForwarding?: 'allow' | 'deny';
}

export function agentPatchOf(o: AgentEditOptions): AgentSettingsPatch | undefined {
  const patch: AgentSettingsPatch = {};
  if (o.agent !== undefined) patch.agent = o.agent;
  if (o.agentHosts !== undefined) patch.agentHosts = o.agentHosts.split(',');
  if (o.agentForwarding !== undefined) patch.agentForwarding = o.agentForwarding;
  return Object.keys(patch).length ? patch : undefined;
}

function timeoutMs(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!/^\d+(\.\d+)?$/.test(v) || !(n > 0)) throw new KeyholdError('USAGE', '--timeout takes a number of minutes greater than 0.');
  return Math.max(1, Math.round(n * 60_000));
}

/**
 * Resolves on the first SIGINT or SIGTERM. The handlers stay for the life of the process: a
 * second signal during cleanup must not kill it half-way (the socket would stay behind), and a
 * loader such as tsx re-raises a signal nobody else listens to any more.
 */
function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolveSignal) => {
    const on = (sig: NodeJS.Signals): void => resolveSignal(sig);
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

export const agentCommand: CommandModule = (program: Command, cli: Cli) => {
  program
    .command('agent')
    .description("serve the vault's SSH key pairs to ssh and git (OpenSSH agent protocol) until SIGINT/SIGTERM")
    .option('--socket <path>', 'where to listen (default: $XDG_RUNTIME_DIR/keyhold/agent.sock, else a private folder in the temp dir)')
    .option('--timeout <minutes>', 'forget the unlocked vault after this many idle minutes (then signing is refused)')
    .option('--known-hosts <file...>', 'known_hosts files for host-bound keys (default: ~/.ssh/known_hosts and the system one)')
    .action(async (o: { socket?: string; timeout?: string; knownHosts?: string[] }) => {
      const idleMs = timeoutMs(o.timeout);
      const path = cliVaultPath(cli);
      const header = inspectVaultFile(path);
      const password = await cli.masterPassword();
      let session: VaultSession | null = await openWithKey(path, header, await unlockKey(header, password), {
        seen: cliSeenRecords(cli),
      });
      const place: SocketPlace | undefined = o.socket
        ? { path: resolve(o.socket), cleanup: () => rm(resolve(o.socket!), { force: true }) }
        : undefined;
      let idleTimer: NodeJS.Timeout | undefined;
      const agent = await startVaultAgent({
        access: { vaultPath: path, current: () => session },
        approve: askpassApprover({ env: cli.streams.env }),
        knownHostsFiles: o.knownHosts?.map((f) => resolve(f)) ?? defaultKnownHostsPaths(),
        ...(place ? { place } : {}),
        onUse: () => armIdle(),
      }).catch((e: unknown) => {
        session?.lock();
        throw e;
      });
      const forget = (): void => {
        if (!session) return;
        agent.source.refresh();
        session.lock();
        session = null;
        agent.source.vaultLocked();
        cli.streams.stderr.write(`keyhold agent: idle for ${o.timeout} min; the vault is locked and signing is refused until restarted\n`);
      };
      function armIdle(): void {
        if (idleMs === undefined || !session) return;
        if (idleTimer) clearTimeout(idleTimer);
        idleTimer = setTimeout(forget, idleMs);
      }
      armIdle();
      // listening before the first line: whoever reads it may signal at once
      const signalled = untilSignal();
      const socket = agent.server.path;
      if (cli.json) cli.streams.stdout.write(`${JSON.stringify({ socket, pid: process.pid })}\n`);
      else cli.streams.stdout.write(`SSH_AUTH_SOCK=${socket}; export SSH_AUTH_SOCK;\necho Agent pid ${process.pid};\n`);
      try {
        await signalled;
      } finally {
        if (idleTimer) clearTimeout(idleTimer);
        await agent.stop(); // writes the uses still waiting for the trail
        session?.lock();
        session = null;
      }
    });
};
