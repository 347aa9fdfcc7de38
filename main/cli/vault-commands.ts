// `keyhold init | status | passwd | audit | backup | restore` (CLI.md, Vault).
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { KeyholdError } from '../errors';
import { listAuditEvents, verifyAuditTrail } from '../service/audit';
import { restoreBackup, writeBackup } from '../service/backup';
import { KDF_FLOOR, defaultParallelism } from '../vault/crypto';
import { changeMasterPassword, createVault, rekeyVault, normalizeKdf, type CreateVaultOptions } from '../vault';
import type { AuditEvent, KdfParams, VaultStats } from '../vault/types';
import type { Cli } from './io';
import type { CommandModule } from './program';
import { cliVaultPath, withVault } from './with-vault';
import { resolveKeyRef } from '../service/key-ref';
import type { VaultSession } from '../vault/types';

/** A deleted key's events stay in the trail: an id that no longer resolves is taken as given. */
function auditKeyId(s: VaultSession, ref: string): string {
  try {
    return resolveKeyRef(s, ref).id;
  } catch (e) {
    if (e instanceof KeyholdError && e.code === 'NOT_FOUND') return ref;
    throw e;
  }
}

interface KdfFlags {
  kdfMemory?: string;
  kdfIterations?: string;
  kdfParallelism?: string;
}

function intFlag(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim())) throw new KeyholdError('USAGE', `${flag} takes a whole number.`);
  return Number(value);
}

/** --kdf-* flags: any of them skips calibration; missing ones take the floor's values. */
export function kdfFromFlags(o: KdfFlags): CreateVaultOptions {
  const memMiB = intFlag(o.kdfMemory, '--kdf-memory');
  const iterations = intFlag(o.kdfIterations, '--kdf-iterations');
  const parallelism = intFlag(o.kdfParallelism, '--kdf-parallelism');
  if (memMiB === undefined && iterations === undefined && parallelism === undefined) return {};
  if (memMiB !== undefined && memMiB * 1024 < KDF_FLOOR.memoryKiB)
    throw new KeyholdError('USAGE', `--kdf-memory must be at least ${KDF_FLOOR.memoryKiB / 1024} (MiB).`);
  if (iterations !== undefined && iterations < KDF_FLOOR.iterations)
    throw new KeyholdError('USAGE', `--kdf-iterations must be at least ${KDF_FLOOR.iterations}.`);
  return {
    kdf: normalizeKdf({
      memoryKiB: memMiB === undefined ? KDF_FLOOR.memoryKiB : memMiB * 1024,
      iterations: iterations ?? KDF_FLOOR.iterations,
      parallelism: parallelism ?? defaultParallelism(),
    }),
  };
}

function addKdfFlags(cmd: Command): Command {
  return cmd
    .option('--kdf-memory <MiB>', 'Argon2id memory in MiB (at least 64; skips calibration)')
    .option('--kdf-iterations <n>', 'Argon2id iterations (at least 3; skips calibration)')
    .option('--kdf-parallelism <p>', 'Argon2id lanes (skips calibration)');
}

function kdfText(k: KdfParams): string {
  return `Argon2id, ${k.memoryKiB / 1024} MiB, ${k.iterations} iterations, parallelism ${k.parallelism}`;
}

function statsText(s: VaultStats): string {
  return [
    `vault:        ${s.path}`,
    `format:       ${s.formatVersion}`,
    `kdf:          ${kdfText(s.kdf)}`,
    `workspaces:   ${s.workspaces}`,
    `environments: ${s.environments}`,
    `keys:         ${s.keys}`,
  ].join('\n');
}

function auditText(events: AuditEvent[]): string {
  if (events.length === 0) return 'No audit events.';
  return events
    .map((e) => `${String(e.seq).padStart(5)}  ${e.at}  ${e.action.padEnd(17)} ${e.keyId ? `key ${e.keyId}  ` : ''}${e.detail}`)
    .join('\n');
}

function refuseExisting(path: string, what: string): void {
  if (existsSync(path)) throw new KeyholdError('CONFLICT', `${what} already exists at ${path}.`);
}

export const vaultCommands: CommandModule = (program: Command, cli: Cli) => {
  addKdfFlags(program.command('init').description('create a vault (Argon2id parameters calibrated to this machine unless given)')).action(
    async (o: KdfFlags) => {
      const path = cliVaultPath(cli);
      const options = kdfFromFlags(o);
      refuseExisting(path, 'A vault');
      const password = await cli.masterPassword();
      if (!options.kdf) cli.progress('Calibrating the key derivation to this machine...');
      const session = await createVault(path, password, options);
      try {
        const s = session.stats();
        cli.print({ path: s.path, formatVersion: s.formatVersion, kdf: s.kdf }, `Created the vault ${s.path}\n(${kdfText(s.kdf)})`);
      } finally {
        session.lock();
      }
    },
  );

  program
    .command('status')
    .description('path, format version, KDF parameters and counts of the vault')
    .action(async () => {
      const s = await withVault(cli, (session) => session.stats());
      cli.print(s, () => statsText(s));
    });

  program
    .command('passwd')
    .description('change the master password (rewraps the vault key; --rekey: a new vault key, every value re-sealed)')
    .option('--new-password-stdin', 'read the new master password from the next line of standard input')
    .option(
      '--rekey',
      'also replace the vault key and re-seal every value (an old copy of the file and the old password then reveal nothing written later)',
    )
    .action(async (o: { newPasswordStdin?: boolean; rekey?: boolean }) => {
      await withVault(cli, async (session) => {
        const next = await cli.secret(o.newPasswordStdin, 'new master password');
        if (o.rekey) await rekeyVault(session, next);
        else await changeMasterPassword(session, next);
      });
      cli.print(
        o.rekey ? { changed: true, rekeyed: true } : { changed: true },
        o.rekey ? 'The master password was changed and every value re-sealed under a new vault key.' : 'The master password was changed.',
      );
    });

  program
    .command('audit')
    .description('list the audit trail; --verify checks its hash chain')
    .option('--verify', 'check the hash chain (INTEGRITY if an event was edited, removed or reordered)')
    .option('--key <id>', 'only the events of one key')
    .option('--limit <n>', 'only the last N events')
    .action(async (o: { verify?: boolean; key?: string; limit?: string }) => {
      const limit = intFlag(o.limit, '--limit');
      if (o.verify) {
        const r = await withVault(cli, (s) => verifyAuditTrail(s));
        cli.print(r, `The audit trail is intact (${r.events} events).`);
        return;
      }
      const events = await withVault(cli, (s) =>
        listAuditEvents(s, { keyId: o.key === undefined ? undefined : auditKeyId(s, o.key), limit: limit === 0 ? undefined : limit }),
      );
      cli.print(events, () => auditText(events));
    });

  program
    .command('backup')
    .description('write an encrypted backup of the whole vault (sealed under a passphrase)')
    .requiredOption('--out <file>', 'the backup file')
    .option('--passphrase-stdin', 'read the backup passphrase from the next line of standard input')
    .option('--force', 'replace an existing file')
    .action(async (o: { out: string; passphraseStdin?: boolean; force?: boolean }) => {
      const out = cli.path(o.out);
      if (!o.force) refuseExisting(out, 'A file');
      const r = await withVault(cli, async (session) => {
        const passphrase = await cli.secret(o.passphraseStdin, 'backup passphrase');
        return writeBackup(session, out, passphrase, { force: o.force });
      });
      cli.print(r, `Wrote an encrypted backup of ${r.keys} key(s) to ${r.path}`);
    });

  addKdfFlags(
    program
      .command('restore')
      .description('restore an encrypted backup into a NEW vault file (--vault NEW)')
      .argument('<file>', 'the backup file')
      .option('--passphrase-stdin', 'read the backup passphrase from the next line of standard input (after the master password)'),
  ).action(async (file: string, o: KdfFlags & { passphraseStdin?: boolean }) => {
    const path = cliVaultPath(cli);
    const options = kdfFromFlags(o);
    refuseExisting(path, 'A vault');
    if (!existsSync(file)) throw new KeyholdError('NOT_FOUND', `No backup file at ${file}.`);
    const password = await cli.masterPassword();
    const passphrase = await cli.secret(o.passphraseStdin, 'backup passphrase');
    const session = await restoreBackup(file, passphrase, path, password, options);
    try {
      const s = session.stats();
      cli.print(
        { path: s.path, workspaces: s.workspaces, environments: s.environments, keys: s.keys },
        `Restored ${s.keys} key(s), ${s.workspaces} workspace(s) into ${s.path}`,
      );
    } finally {
      session.lock();
    }
  });
};
