import type { Database, Statement } from 'better-sqlite3';
import type { Projection } from '../projection';

/**
 * 'rebuilding': the projection's tables were reset and it is replaying the log from its
 * checkpoint; the checkpoint is committed with every batch, so an interrupted rebuild continues
 * where it stopped. 'live': it has caught up once and follows new events.
 */
export type CheckpointStatus = 'live' | 'rebuilding';

export interface Checkpoint {
  name: string;
  version: number;
  /** Global position of the last event applied (0: none yet). */
  position: number;
  status: CheckpointStatus;
}

/** The projector's own tables in the read-model database; created on open, never dropped. */
export const READ_MODEL_SCHEMA = `
  CREATE TABLE IF NOT EXISTS projection_checkpoints (
    name     TEXT    PRIMARY KEY,
    version  INTEGER NOT NULL,
    position INTEGER NOT NULL CHECK (position >= 0),
    status   TEXT    NOT NULL CHECK (status IN ('live', 'rebuilding'))
  );
  -- At most one row: the process that may write read models (see projector-lock.ts).
  CREATE TABLE IF NOT EXISTS projector_lock (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    owner        TEXT    NOT NULL,
    purpose      TEXT    NOT NULL,
    pid          INTEGER NOT NULL,
    host         TEXT    NOT NULL,
    acquired_at  TEXT    NOT NULL,
    heartbeat_at INTEGER NOT NULL
  );
`;

export function prepareReadModelSchema(db: Database): void {
  db.exec(READ_MODEL_SCHEMA);
}

/** Reads and writes checkpoints. Writers call these inside their own transactions. */
export class Checkpoints {
  private readonly stmt: {
    get: Statement<[string], Checkpoint>;
    upsert: Statement<[string, number, number, string]>;
    advance: Statement<[number, string]>;
    markLive: Statement<[string]>;
  };

  constructor(private readonly db: Database) {
    this.stmt = {
      get: db.prepare('SELECT name, version, position, status FROM projection_checkpoints WHERE name = ?'),
      upsert: db.prepare(
        `INSERT INTO projection_checkpoints (name, version, position, status) VALUES (?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET version = excluded.version, position = excluded.position, status = excluded.status`,
      ),
      advance: db.prepare('UPDATE projection_checkpoints SET position = ? WHERE name = ?'),
      markLive: db.prepare(`UPDATE projection_checkpoints SET status = 'live' WHERE name = ?`),
    };
  }

  get(name: string): Checkpoint | undefined {
    return this.stmt.get.get(name);
  }

  advance(name: string, position: number): void {
    this.stmt.advance.run(position, name);
  }

  markLive(name: string): void {
    this.stmt.markLive.run(name);
  }

  /** Drops the projection's tables, creates them afresh and sets it to replay from the start. */
  reset(projection: Projection): Checkpoint {
    projection.teardown(this.db);
    projection.setup(this.db);
    const checkpoint: Checkpoint = { name: projection.name, version: projection.version, position: 0, status: 'rebuilding' };
    this.stmt.upsert.run(checkpoint.name, checkpoint.version, checkpoint.position, checkpoint.status);
    return checkpoint;
  }

  /**
   * Makes a projection ready to run: its tables exist, and a projection seen for the first time
   * or whose code version differs from the stored one is reset to replay from the start.
   * Unchanged projections keep their checkpoint, including an interrupted rebuild's.
   */
  prepare(projection: Projection, options: { reset?: boolean } = {}): Checkpoint {
    const stored = this.get(projection.name);
    if (options.reset === true || stored === undefined || stored.version !== projection.version) return this.reset(projection);
    projection.setup(this.db);
    return stored;
  }
}

/** Refuses two projections with one name: they would share and corrupt one checkpoint. */
export function assertUniqueNames(projections: readonly Projection[]): void {
  const seen = new Set<string>();
  for (const p of projections) {
    if (seen.has(p.name)) throw new Error(`two projections are named "${p.name}"; names must be unique`);
    seen.add(p.name);
  }
}
