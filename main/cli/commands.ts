import type { CommandModule } from './program';

/** Every command module of `keyhold`, in the order `--help` lists them. */
export const allCommands: readonly CommandModule[] = [];
