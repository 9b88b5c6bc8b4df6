import type { Database } from 'better-sqlite3';

/**
 * Versioned schema migrations, applied in order inside one transaction each. A migration, once
 * released, is never edited: a change of schema is a new migration.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'append-only event table with hash chain',
    sql: `
      CREATE TABLE events (
        -- AUTOINCREMENT: a position is never handed out twice, even after the last row vanished.
        global_position INTEGER PRIMARY KEY AUTOINCREMENT,
        stream_name     TEXT    NOT NULL,
        stream_revision INTEGER NOT NULL CHECK (stream_revision >= 0),
        event_id        TEXT    NOT NULL UNIQUE,
        event_type      TEXT    NOT NULL,
        data            TEXT    NOT NULL,
        metadata        TEXT    NOT NULL,
        recorded_at     TEXT    NOT NULL,
        prev_hash       TEXT    NOT NULL CHECK (length(prev_hash) = 64),
        hash            TEXT    NOT NULL CHECK (length(hash) = 64),
        UNIQUE (stream_name, stream_revision)
      );

      CREATE TRIGGER events_refuse_update BEFORE UPDATE ON events
      BEGIN
        SELECT RAISE(ABORT, 'events are append-only: UPDATE refused');
      END;

      CREATE TRIGGER events_refuse_delete BEFORE DELETE ON events
      BEGIN
        SELECT RAISE(ABORT, 'events are append-only: DELETE refused');
      END;
    `,
  },
  {
    version: 2,
    name: 'envelopes beside events, outside the hash',
    // A nullable column: events written before have none. ADD COLUMN rewrites no row, so the
    // append-only triggers are not involved and every stored hash stays as it was.
    sql: `ALTER TABLE events ADD COLUMN envelopes TEXT;`,
  },
];

export class SchemaTooNewError extends Error {
  constructor(found: number, known: number) {
    super(`the ledger file has schema version ${found}, newer than this release knows (${known}); upgrade the software`);
  }
}

/** Brings the schema up to date; refuses a file written by a newer release. */
export function migrate(db: Database, now: string, migrations: readonly Migration[] = MIGRATIONS): number {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const current = (db.prepare('SELECT coalesce(max(version), 0) AS v FROM schema_migrations').get() as { v: number }).v;
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  if (current > latest) throw new SchemaTooNewError(current, latest);

  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, m.name, now);
    }).immediate();
  }
  return latest;
}
