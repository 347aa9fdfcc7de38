// The registry of `keyhold`'s command modules. Each entry names the commands its module adds (a
// top-level command, or "group sub" when several modules add to one group) and loads the module
// only when asked: a run loads the modules of its own command (zod, SQLite, the providers and the
// rest cost start-up time); `--help`, shell completion and unknown commands load them all.
// commands.test.ts checks that every module declares exactly what it adds.
import type { CommandModule, LazyCommands } from './program';

/** Every command module of `keyhold`, in the order `--help` lists them. */
export const allCommands: readonly LazyCommands[] = [
  {
    names: ['init', 'status', 'passwd', 'audit', 'backup', 'restore'],
    load: async (): Promise<CommandModule> => (await import('./vault-commands')).vaultCommands,
  },
  {
    names: ['workspace add', 'workspace list', 'workspace rm', 'env'],
    load: async (): Promise<CommandModule> => (await import('./workspace-commands')).workspaceCommands,
  },
  {
    names: ['key add', 'key list', 'key show', 'key rm', 'key history'],
    load: async (): Promise<CommandModule> => (await import('./key-commands')).keyCommands,
  },
  { names: ['gen', 'import', 'export'], load: async (): Promise<CommandModule> => (await import('./keypair-commands')).keyPairCommands },
  {
    names: ['netrc', 'dotenv', 'curlrc', 'exec'],
    load: async (): Promise<CommandModule> => (await import('./export-commands')).exportCommands,
  },
  { names: ['inject'], load: async (): Promise<CommandModule> => (await import('./inject-commands')).injectCommands },
  {
    names: [
      'workspace connect',
      'sync',
      'key create',
      'key rotate',
      'key activate',
      'key deactivate',
      'key revoke',
      'key edit',
      'key check',
    ],
    load: async (): Promise<CommandModule> => (await import('./remote-commands')).remoteCommands,
  },
  { names: ['agent'], load: async (): Promise<CommandModule> => (await import('./agent-command')).agentCommand },
  { names: ['migrate'], load: async (): Promise<CommandModule> => (await import('./migrate-command')).migrateCommand },
  { names: ['policy'], load: async (): Promise<CommandModule> => (await import('./policy-commands')).policyCommands },
  {
    names: ['completion', '__names'],
    whole: ['completion'],
    load: async (): Promise<CommandModule> => (await import('./completion')).completionCommands,
  },
];
