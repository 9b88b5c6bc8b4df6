import type { Database } from 'better-sqlite3';

/**
 * Tables that belong to the ledger, the projector or the evidence log, not to a read model: signed
 * tree heads, the signing keys' history and witnesses' cosignatures are made at a time, never rebuilt.
 */
const NOT_READ_MODELS = new Set([
  'events',
  'schema_migrations',
  'sqlite_sequence',
  'projection_checkpoints',
  'projector_lock',
  'tree_heads',
  'log_keys',
  'checkpoint_cosignatures',
  // The record of their copy from ledger.sqlite (see kept-tables.ts): written once, with its instant.
  'kept_tables_carried_over',
]);

/** Every read-model table as sorted JSON rows, so two databases can be compared whole. */
export function dumpReadModels(db: Database): Record<string, string[]> {
  const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as Array<{ name: string }>)
    .map((t) => t.name)
    .filter((name) => !NOT_READ_MODELS.has(name));
  return Object.fromEntries(
    tables.map((table) => [table, (db.prepare(`SELECT * FROM "${table}"`).all() as object[]).map((row) => JSON.stringify(row)).sort()]),
  );
}

/**
 * Checkpoints that are not at `head` or that record a failure (any non-null `failed_*` column, in
 * schemas that have them): an empty list means every read model applied every event.
 */
export function checkpointsNotCaughtUp(db: Database, head: number): object[] {
  const rows = db.prepare('SELECT * FROM projection_checkpoints').all() as Array<Record<string, unknown>>;
  return rows.filter(
    (row) => row.position !== head || Object.entries(row).some(([column, value]) => column.startsWith('failed') && value !== null),
  );
}
