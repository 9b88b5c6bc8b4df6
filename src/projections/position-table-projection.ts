import type { Database, Statement } from 'better-sqlite3';
import type { ProjectedEvent, Projection, ProjectionBatch } from './projection';
import { StatementCache } from './statement-cache';

/** The statements of a read model that keeps its position in a one-row table. */
export interface PositionedStatements {
  moveTo: Statement<[number]>;
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
      spec.applyRows(sql, event);
      sql.moveTo.run(event.globalPosition);
    },

    // A batch moves the position row once, to its last event, instead of once per event.
    beginBatch(db): ProjectionBatch {
      const sql = statements.for(db);
      let position: number | undefined;
      return {
        apply(event) {
          spec.applyRows(sql, event);
          position = event.globalPosition;
        },
        finish() {
          if (position !== undefined) sql.moveTo.run(position);
        },
      };
    },
  };
}
