// Migration 1: the tables. Clear columns hold only random ids, foreign keys, counters and times;
// every name, description, public part, secret and setting is a sealed blob (see crypto.ts for the
// binding).
import type { Migration } from './migration';

export const initial: Migration = {
  version: 1,
  up(db) {
    db.exec(`
      CREATE TABLE header (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        magic TEXT NOT NULL,
        format_version INTEGER NOT NULL,
        vault_id TEXT NOT NULL,
        kdf TEXT NOT NULL,
        wrapped_key BLOB NOT NULL,
        checksum TEXT NOT NULL,
        created_at TEXT NOT NULL,
        audit_head_seq INTEGER NOT NULL DEFAULT 0,
        audit_head_hash BLOB
      );
      CREATE TABLE workspaces (
        id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        data BLOB NOT NULL
      );
      CREATE TABLE environments (
        id TEXT PRIMARY KEY,
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        data BLOB NOT NULL
      );
      CREATE INDEX environments_ws ON environments(workspace_id);
      -- The key's metadata lives (sealed) in its index segment: one blob per ~1000 keys, so that
      -- unlock opens a few large boxes instead of 100,000 small ones.
      CREATE TABLE index_segments (
        seg INTEGER PRIMARY KEY,
        rev INTEGER NOT NULL,
        data BLOB NOT NULL
      );
      CREATE TABLE keys (
        id TEXT PRIMARY KEY,
        workspace_id TEXT REFERENCES workspaces(id) ON DELETE RESTRICT,
        environment_id TEXT REFERENCES environments(id) ON DELETE SET NULL,
        seg INTEGER NOT NULL,
        current_version INTEGER NOT NULL
      );
      CREATE INDEX keys_seg ON keys(seg);
      CREATE INDEX keys_ws ON keys(workspace_id);
      CREATE INDEX keys_env ON keys(environment_id);
      CREATE TABLE key_versions (
        key_id TEXT NOT NULL REFERENCES keys(id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        data BLOB NOT NULL,
        secret BLOB,
        PRIMARY KEY (key_id, version)
      ) WITHOUT ROWID;
      CREATE TABLE audit_events (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        data BLOB NOT NULL,
        hash BLOB NOT NULL
      );
      CREATE TABLE pending_operations (
        id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        data BLOB NOT NULL
      );
      CREATE TABLE settings (
        name TEXT PRIMARY KEY,
        value BLOB NOT NULL
      );
    `);
  },
};
