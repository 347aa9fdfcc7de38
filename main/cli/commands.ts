import { agentCommand } from './agent-command';
import { completionCommands } from './completion';
import { exportCommands } from './export-commands';
import { injectCommands } from './inject-commands';
import { keyCommands } from './key-commands';
import { keyPairCommands } from './keypair-commands';
import { migrateCommand } from './migrate-command';
import { policyCommands } from './policy-commands';
import type { CommandModule } from './program';
import { remoteCommands } from './remote-commands';
import { vaultCommands } from './vault-commands';
import { workspaceCommands } from './workspace-commands';

/** Every command module of `keyhold`, in the order `--help` lists them. */
export const allCommands: readonly CommandModule[] = [
  vaultCommands,
  workspaceCommands,
  keyCommands,
  keyPairCommands,
  exportCommands,
  injectCommands,
  remoteCommands,
  agentCommand,
  migrateCommand,
  policyCommands,
  completionCommands,
];
