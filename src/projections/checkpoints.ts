import type { Database, Statement } from 'better-sqlite3';
import type { Projection } from './projection';
import type { ReadModelFailure, ReadModelState } from './read-model-failure';

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
  /** Set when the projection threw on an event: it stays at `position` (just before that event). */
  failure?: ReadModelFailure;
}

/** A checkpoint made ready to run; `retrying` is the failure a failed projection is retried after. */
export interface PreparedCheckpoint extends Checkpoint {
  retrying?: ReadModelFailure;
}

/** The projector's own tables in the read-model database; created on open, never dropped. */
export const READ_MODEL_SCHEMA = `
  CREATE TABLE IF NOT EXISTS projection_checkpoints (
    name     TEXT    PRIMARY KEY,
    version  INTEGER NOT NULL,
    position INTEGER NOT NULL CHECK (position >= 0),
    status   TEXT    NOT NULL CHECK (status IN ('live', 'rebuilding')),
    failed_position   INTEGER,
    failed_event_id   TEXT,
    failed_event_type TEXT,
    failed_stream     TEXT,
    failed_error      TEXT
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

/** Columns added to projection_checkpoints since it was first released, with their types. */
const ADDED_CHECKPOINT_COLUMNS: ReadonlyArray<[string, string]> = [
  ['failed_position', 'INTEGER'],
  ['failed_event_id', 'TEXT'],
  ['failed_event_type', 'TEXT'],
  ['failed_stream', 'TEXT'],
  ['failed_error', 'TEXT'],
];

export function prepareReadModelSchema(db: Database): void {
  db.exec(READ_MODEL_SCHEMA);
  addMissingCheckpointColumns(db);
}

/**
 * Data dirs written before failures were recorded have a checkpoint table without the failure
 * columns: add them (nullable, so every existing row reads as not failed). Checked and altered in
 * one write transaction, so two processes opening the same file at once cannot both add a column.
 */
function addMissingCheckpointColumns(db: Database): void {
  const columnsNow = () =>
    new Set(
      db
        .prepare<[], { name: string }>('PRAGMA table_info(projection_checkpoints)')
        .all()
        .map((c) => c.name),
    );
  if (ADDED_CHECKPOINT_COLUMNS.every(([name]) => columnsNow().has(name))) return;
  db.transaction(() => {
    const present = columnsNow();
    for (const [name, type] of ADDED_CHECKPOINT_COLUMNS) {
      if (!present.has(name)) db.exec(`ALTER TABLE projection_checkpoints ADD COLUMN ${name} ${type}`);
    }
  }).immediate();
}

interface CheckpointRow {
  name: string;
  version: number;
  position: number;
  status: CheckpointStatus;
  failed_position: number | null;
  failed_event_id: string | null;
  failed_event_type: string | null;
  failed_stream: string | null;
  failed_error: string | null;
}

function toCheckpoint(row: CheckpointRow): Checkpoint {
  const checkpoint: Checkpoint = { name: row.name, version: row.version, position: row.position, status: row.status };
  if (row.failed_position !== null) {
    checkpoint.failure = {
      position: row.failed_position,
      eventId: row.failed_event_id ?? '',
      eventType: row.failed_event_type ?? '',
      streamName: row.failed_stream ?? '',
      error: row.failed_error ?? '',
    };
  }
  return checkpoint;
}

/** Reads and writes checkpoints. Writers call these inside their own transactions. */
export class Checkpoints {
  private readonly stmt: {
    get: Statement<[string], CheckpointRow>;
    upsert: Statement<[string, number, number, string]>;
    advance: Statement<[number, string]>;
    markLive: Statement<[string]>;
    markFailed: Statement<[number, string, string, string, string, string]>;
    clearFailure: Statement<[string]>;
  };

  constructor(private readonly db: Database) {
    this.stmt = {
      get: db.prepare('SELECT * FROM projection_checkpoints WHERE name = ?'),
      // A reset starts afresh: whatever failure the old tables had is gone with them.
      upsert: db.prepare(
        `INSERT INTO projection_checkpoints (name, version, position, status) VALUES (?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET version = excluded.version, position = excluded.position, status = excluded.status,
           failed_position = NULL, failed_event_id = NULL, failed_event_type = NULL, failed_stream = NULL, failed_error = NULL`,
      ),
      advance: db.prepare('UPDATE projection_checkpoints SET position = ? WHERE name = ?'),
      markLive: db.prepare(`UPDATE projection_checkpoints SET status = 'live' WHERE name = ?`),
      markFailed: db.prepare(
        `UPDATE projection_checkpoints SET failed_position = ?, failed_event_id = ?, failed_event_type = ?, failed_stream = ?, failed_error = ?
         WHERE name = ?`,
      ),
      clearFailure: db.prepare(
        `UPDATE projection_checkpoints SET failed_position = NULL, failed_event_id = NULL, failed_event_type = NULL, failed_stream = NULL, failed_error = NULL
         WHERE name = ?`,
      ),
    };
  }

  get(name: string): Checkpoint | undefined {
    const row = this.stmt.get.get(name);
    return row === undefined ? undefined : toCheckpoint(row);
  }

  /** Each projection's position and failure, as committed (0 for one never run). */
  states(projections: readonly Projection[]): ReadModelState[] {
    return projections.map((p) => {
      const checkpoint = this.get(p.name);
      return { name: p.name, position: checkpoint?.position ?? 0, ...(checkpoint?.failure && { failure: checkpoint.failure }) };
    });
  }

  markFailed(name: string, failure: ReadModelFailure): void {
    this.stmt.markFailed.run(failure.position, failure.eventId, failure.eventType, failure.streamName, failure.error, name);
  }

  clearFailure(name: string): void {
    this.stmt.clearFailure.run(name);
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
   * Unchanged projections keep their checkpoint, including an interrupted rebuild's. A projection
   * that failed is retried from its checkpoint (just before the event it threw on): its failure is
   * cleared and returned as `retrying`, so new code that applies the event catches up, and code
   * that still throws marks it failed again on that same event.
   */
  prepare(projection: Projection, options: { reset?: boolean } = {}): PreparedCheckpoint {
    const stored = this.get(projection.name);
    if (options.reset === true || stored === undefined || stored.version !== projection.version) return this.reset(projection);
    projection.setup(this.db);
    const { failure, ...checkpoint } = stored;
    if (failure === undefined) return checkpoint;
    this.clearFailure(projection.name);
    return { ...checkpoint, retrying: failure };
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
