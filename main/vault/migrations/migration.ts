// One numbered step of the vault's format. A step may need the vault key (to re-seal rows written
// in an older shape): it gets the Sealer, or null while a new, empty vault is being created.
import type { Database } from 'better-sqlite3';
import type { Sealer } from '../crypto';

export interface Migration {
  version: number;
  up(db: Database, sealer: Sealer | null): void;
}
