// The CLI is stateless: each command opens the vault with the master password, runs, and locks
// (or, run through the desktop app's socket, uses the app's unlocked vault: main/bridge).
import { defaultDataDir, resolveVaultPath } from '../service/paths';
import { inspectVaultFile, openWithKey, unlockKey, type SeenRecords } from '../vault';
import type { VaultSession } from '../vault/types';
import type { Cli } from './io';

export function cliVaultPath(cli: Cli): string {
  return cli.path(resolveVaultPath(cli.globals().vault, cli.streams.env));
}

/** This computer's rollback records, in the desktop app's folder (docs/CLI.md "An older copy"). */
export function cliSeenRecords(cli: Cli): SeenRecords {
  return { dir: defaultDataDir(cli.streams.env), acceptRollback: Boolean(cli.globals().acceptRollback) };
}

export async function withVault<T>(cli: Cli, fn: (session: VaultSession) => T | Promise<T>): Promise<T> {
  // inside the desktop app: its unlocked session, which the app locks, not the command
  if (cli.streams.host) return fn(cli.streams.host.session());
  const path = cliVaultPath(cli);
  // a missing or damaged file is reported before asking for a password
  const header = inspectVaultFile(path);
  const source = cli.passwordSource;
  const password = await cli.masterPassword();
  // the key the entry began deriving while the modules loaded, if it is this file's and password's
  const early = source === 'prompt' ? undefined : await cli.early?.take(path, header, password, source);
  // the write counters this computer has seen are kept where the desktop app keeps them; no
  // search haystacks: a one-shot command never searches with them
  const session = await openWithKey(path, header, early ?? (await unlockKey(header, password)), undefined, {
    warmSearch: false,
    seen: cliSeenRecords(cli),
  });
  try {
    return await fn(session);
  } finally {
    session.lock();
  }
}
