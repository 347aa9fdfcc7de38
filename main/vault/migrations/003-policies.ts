// Migration 3: rotation policies (maximum key age and warning window) per workspace and optionally
// per environment. The scope ids are clear (foreign keys, removed with their scope); the days are
// sealed like every other record. IF NOT EXISTS: a file whose version row was set back (tests of
// older formats) may hold the table already.
import type { Migration } from './migration';

export const policies: Migration = {
  version: 3,
  up(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS policies (
        id TEXT PRIMARY KEY,
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        environment_id TEXT REFERENCES environments(id) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        data BLOB NOT NULL
      );
      CREATE INDEX IF NOT EXISTS policies_ws ON policies(workspace_id);
    `);
  },
};
