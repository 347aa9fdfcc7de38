// Migration 3: rotation policies (maximum key age and warning window) per workspace and optionally
// per environment. The scope ids are clear (foreign keys, removed with their scope); the days are
// sealed like every other record.
import type { Migration } from './migration';

export const policies: Migration = {
  version: 3,
  up(db) {
    db.exec(`
      CREATE TABLE policies (
        id TEXT PRIMARY KEY,
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        environment_id TEXT REFERENCES environments(id) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        data BLOB NOT NULL
      );
      CREATE INDEX policies_ws ON policies(workspace_id);
    `);
  },
};
