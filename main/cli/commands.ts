// The registry of `keyhold`'s command modules. Each entry names the top-level commands its module
// adds to and loads the module only when asked: a run loads the modules of its own command (zod,
// SQLite, sshpk and the rest cost start-up time), `--help` and unknown commands load them all.
import type { CommandModule, LazyCommands } from './program';

/** Every command module of `keyhold`, in the order `--help` lists them. */
export const allCommands: readonly LazyCommands[] = [
  { names: ['init', 'status', 'passwd', 'audit', 'backup', 'restore'], load: async (): Promise<CommandModule> => (await import('./vault-commands')).vaultCommands },
  { names: ['workspace', 'env'], load: async (): Promise<CommandModule> => (await import('./workspace-commands')).workspaceCommands },
  { names: ['key'], load: async (): Promise<CommandModule> => (await import('./key-commands')).keyCommands },
  { names: ['gen', 'import', 'export'], load: async (): Promise<CommandModule> => (await import('./keypair-commands')).keyPairCommands },
  { names: ['netrc', 'dotenv', 'curlrc', 'exec'], load: async (): Promise<CommandModule> => (await import('./export-commands')).exportCommands },
  { names: ['workspace', 'sync', 'key'], load: async (): Promise<CommandModule> => (await import('./remote-commands')).remoteCommands },
];
