// The vault's format as numbered migrations (migrations/NNN-*.ts, in order). header.format_version
// is the version row: a file from a newer Keyhold is refused (INTEGRITY), never rewritten; an older
// one is brought up to date after unlock, each step in its own transaction with its version bump.
import type { Database } from 'better-sqlite3';
import type { Sealer } from './crypto';
import { initial } from './migrations/001-initial';
import { currentShapes } from './migrations/002-current-shapes';
import { policies } from './migrations/003-policies';
import { manifest } from './migrations/004-manifest';
import { keysRowsIndex } from './migrations/005-keys-rows-index';
import type { Migration } from './migrations/migration';

export type { Migration } from './migrations/migration';

export const MIGRATIONS: readonly Migration[] = [initial, currentShapes, policies, manifest, keysRowsIndex];

export const FORMAT_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
export const MAGIC = 'keyhold-vault';

/** Applies the migrations after `from`. `sealer`: the vault key (null only for a new, empty file). */
export function migrate(db: Database, from: number, sealer: Sealer | null): void {
  for (const m of MIGRATIONS) {
    if (m.version <= from) continue;
    db.transaction(() => {
      m.up(db, sealer);
      if (m.version > 1) db.prepare('UPDATE header SET format_version = ? WHERE id = 1').run(m.version);
    }).immediate();
  }
}
