import type { Database, Statement } from 'better-sqlite3';
import type { ProjectedEvent, Projection, ProjectionBatch } from './projection';
import { StatementCache } from './statement-cache';

/** The statements of a read model that keeps its position in a one-row table. */
export interface PositionedStatements {
  moveTo: Statement<[number]>;
  /**
   * The stored position, when the read model guards against repeats: events at or below it are
   * then ignored. The projector hands each event over once; the guard makes a repeat harmless.
   */
  position?: Statement<[], { position: number }>;
}

export interface PositionTableProjectionSpec<S extends PositionedStatements> {
  name: string;
  version: number;
  /** CREATE … IF NOT EXISTS statements for every table and index. */
  schema: string;
  tables: readonly string[];
  prepare: (db: Database) => S;
  /** What one event changes, but the position row. */
  applyRows: (sql: S, event: ProjectedEvent) => void;
  /**
   * For a read model that folds each seizure's events into its rows: a batch's events folded in
   * memory, each seizure's rows written once at the batch's end rather than once per event.
   * Must leave the same rows as `applyRows` event by event (used alone, and by failure isolation).
   */
  batchRows?: (sql: S) => RowsBatch;
}

/** A batch's rows kept in memory: `apply` per event in order, `finish` writes them. */
export interface RowsBatch {
  apply(event: ProjectedEvent): void;
  finish(): void;
}

/**
 * A read model made of tables plus a one-row position table: the same setup, teardown and
 * batching for each, so a read model states only its schema, statements and rows per event.
 */
export function positionTableProjection<S extends PositionedStatements>(spec: PositionTableProjectionSpec<S>): Projection {
  // Prepared once per database; forgotten when the tables are (re)created so none outlives its table.
  const statements = new StatementCache(spec.prepare);
  return {
    name: spec.name,
    version: spec.version,

    setup(db) {
      db.exec(spec.schema);
      statements.forget(db);
    },

    teardown(db) {
      statements.forget(db);
      for (const table of spec.tables) db.exec(`DROP TABLE IF EXISTS ${table}`);
    },

    apply(db, event) {
      const sql = statements.for(db);
      if (sql.position !== undefined && event.globalPosition <= storedPosition(sql.position)) return;
      spec.applyRows(sql, event);
      sql.moveTo.run(event.globalPosition);
    },

    // A batch reads the position row once (if guarded) and writes it once, to its last event.
    beginBatch(db): ProjectionBatch {
      const sql = statements.for(db);
      const guarded = sql.position !== undefined;
      const stored = sql.position === undefined ? undefined : storedPosition(sql.position);
      let position = stored;
      const rows = spec.batchRows?.(sql);
      return {
        apply(event) {
          if (guarded && event.globalPosition <= (position ?? 0)) return;
          if (rows === undefined) spec.applyRows(sql, event);
          else rows.apply(event);
          position = event.globalPosition;
        },
        finish() {
          rows?.finish();
          if (position !== stored && position !== undefined) sql.moveTo.run(position);
        },
      };
    },
  };
}

/** Where a guarded read model stands: the last global position it applied. */
function storedPosition(position: NonNullable<PositionedStatements['position']>): number {
  return position.get()?.position ?? 0;
}
