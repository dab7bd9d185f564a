/**
 * The workspace server's tables, in both store dialects. File contents live once per distinct
 * content in `blobs`, keyed by their SHA-256; a workspace is a list of `files` rows (path -> hash),
 * so a fork copies rows, never bytes. `fork_points` keeps, per fork, the path -> hash list it was
 * forked from (or last merged with): the base of its three-way merges. A blob lives while some
 * file row names it: on SQLite, whose single writer makes "no row names it" safe to check; on
 * PostgreSQL, where writers run at once, by a reference count kept in the same transactions.
 */
import type { Migration } from '@sessionless/kit';

export const workspaceMigrations: Migration[] = [
  {
    id: 'workspace-001-tables',
    sqlite: `
      CREATE TABLE blobs (
        hash   TEXT PRIMARY KEY,
        size   INTEGER NOT NULL CHECK (size >= 0),
        bytes  BLOB NOT NULL
      ) STRICT;
      CREATE TABLE workspaces (
        id          TEXT PRIMARY KEY,
        name        TEXT,
        parent_id   TEXT,
        version     INTEGER NOT NULL DEFAULT 0,
        bytes       INTEGER NOT NULL DEFAULT 0 CHECK (bytes >= 0),
        file_count  INTEGER NOT NULL DEFAULT 0 CHECK (file_count >= 0),
        created_at  INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE files (
        workspace_id  TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
        path          TEXT NOT NULL,
        hash          TEXT NOT NULL REFERENCES blobs (hash),
        size          INTEGER NOT NULL,
        updated_at    INTEGER NOT NULL,
        PRIMARY KEY (workspace_id, path)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX files_by_hash ON files (hash);
      CREATE TABLE fork_points (
        workspace_id  TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
        path          TEXT NOT NULL,
        hash          TEXT NOT NULL,
        PRIMARY KEY (workspace_id, path)
      ) STRICT, WITHOUT ROWID;`,
    postgres: `
      CREATE TABLE blobs (
        hash   TEXT COLLATE "C" PRIMARY KEY,
        size   INTEGER NOT NULL CHECK (size >= 0),
        bytes  BYTEA NOT NULL,
        refs   INTEGER NOT NULL CHECK (refs >= 0)
      );
      CREATE TABLE workspaces (
        id          TEXT COLLATE "C" PRIMARY KEY,
        name        TEXT,
        parent_id   TEXT COLLATE "C",
        version     INTEGER NOT NULL DEFAULT 0,
        bytes       BIGINT NOT NULL DEFAULT 0 CHECK (bytes >= 0),
        file_count  INTEGER NOT NULL DEFAULT 0 CHECK (file_count >= 0),
        created_at  BIGINT NOT NULL
      );
      CREATE TABLE files (
        workspace_id  TEXT COLLATE "C" NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
        path          TEXT COLLATE "C" NOT NULL,
        hash          TEXT COLLATE "C" NOT NULL REFERENCES blobs (hash),
        size          INTEGER NOT NULL,
        updated_at    BIGINT NOT NULL,
        PRIMARY KEY (workspace_id, path)
      );
      CREATE INDEX files_by_hash ON files (hash);
      CREATE TABLE fork_points (
        workspace_id  TEXT COLLATE "C" NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
        path          TEXT COLLATE "C" NOT NULL,
        hash          TEXT COLLATE "C" NOT NULL,
        PRIMARY KEY (workspace_id, path)
      );`,
  },
];
