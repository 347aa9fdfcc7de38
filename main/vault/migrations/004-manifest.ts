// Migration 4: the sealed manifest (manifest.ts). A vault from before it gets one that seals what
// the file holds at this unlock; from then on every write re-seals it.
import type { Database } from 'better-sqlite3';
import { z } from 'zod';
import { MANIFEST_FORMAT, measure, refuseLoweredFormat, writeManifest } from '../manifest';
import type { Migration } from './migration';

export const manifest: Migration = {
  version: MANIFEST_FORMAT,
  up(db: Database, sealer) {
    refuseLoweredFormat(db, 0);
    db.exec('CREATE TABLE manifest (id INTEGER PRIMARY KEY CHECK (id = 1), data BLOB NOT NULL)');
    // the manifest hashes each segment's keys rows in id order, at every commit (and all of them
    // at unlock): an index that yields them in that order without a sort
    db.exec('DROP INDEX IF EXISTS keys_seg; CREATE INDEX IF NOT EXISTS keys_seg_id ON keys(seg, id);');
    // a new vault (no key yet): createVault writes its first manifest itself
    const hasHeader = z.object({ n: z.number() }).parse(db.prepare('SELECT count(*) AS n FROM header').get()).n > 0;
    if (!sealer || !hasHeader) return;
    writeManifest(db, sealer, measure(db, 0));
  },
};
