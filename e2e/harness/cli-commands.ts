// Every `keyhold` command module, loaded up front for the app socket the bridge harness runs in
// the test process: the CLI's registry loads them with import(), which Playwright's transform of
// TypeScript does not serve; the built app and CLI bundle them and load them lazily.
import type { CommandModule } from '../../main/cli/program';
import { agentCommand } from '../../main/cli/agent-command';
import { completionCommands } from '../../main/cli/completion';
import { exportCommands } from '../../main/cli/export-commands';
import { injectCommands } from '../../main/cli/inject-commands';
import { keyCommands } from '../../main/cli/key-commands';
import { keyPairCommands } from '../../main/cli/keypair-commands';
import { migrateCommand } from '../../main/cli/migrate-command';
import { policyCommands } from '../../main/cli/policy-commands';
import { remoteCommands } from '../../main/cli/remote-commands';
import { vaultCommands } from '../../main/cli/vault-commands';
import { workspaceCommands } from '../../main/cli/workspace-commands';

/** In the registry's order (main/cli/commands.ts), so `--help` lists them the same way. */
export const eagerCommands: readonly CommandModule[] = [
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
