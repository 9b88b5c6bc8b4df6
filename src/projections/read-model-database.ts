import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import type { AppConfig } from '../config/app-config';
import { SQLITE_FILENAME } from '../ledger/create-event-store';
import { openDurableDatabase } from '../platform/sqlite/durable-database';
import { prepareReadModelSchema } from './checkpoints';
import { carryOverKeptTables, keptTablesCarriedOver, type KeptTable } from './kept-tables';

/** The read models' file under the data dir, whichever store holds the events. */
export const READ_MODELS_FILENAME = 'read-models.sqlite';

export type { KeptTable };

type ReadModelConfig = Pick<AppConfig, 'dataDir' | 'eventStoreConnectionString'>;

/**
 * Where the read models live: read-models.sqlite under the data dir, apart from the events
 * (ledger.sqlite with the embedded store), so that the projector's commits never hold the lock
 * the event appends need: SQLite has one writer per file.
 */
export function readModelDatabasePath(config: Pick<AppConfig, 'dataDir'>): string {
  return join(config.dataDir, READ_MODELS_FILENAME);
}

const logCarriedOver = (message: string): void => new Logger('ReadModelDatabase').log(message);

/**
 * Opens the read-model database through a connection of its own, with the projector's tables.
 * With the embedded store, `keptTables` (signed heads and the like, which cannot be rebuilt) are
 * carried over once from ledger.sqlite, where releases before this file kept them; `log` hears
 * of it once, with the counts. Every opener that may read or write those tables passes the list.
 */
export function openReadModelDatabase(
  config: ReadModelConfig,
  keptTables: readonly KeptTable[] = [],
  log: (message: string) => void = logCarriedOver,
): Database {
  return openDurableDatabase(readModelDatabasePath(config), (db) => {
    prepareReadModelSchema(db);
    if (config.eventStoreConnectionString !== undefined) return;
    const copied = carryOverKeptTables(db, join(config.dataDir, SQLITE_FILENAME), keptTables);
    if (copied === null || copied.size === 0) return;
    const counts = [...copied].map(([name, rows]) => `${rows} ${rows === 1 ? 'row' : 'rows'} of ${name}`).join(', ');
    log(`carried over from ${SQLITE_FILENAME} into ${READ_MODELS_FILENAME}: ${counts} (${SQLITE_FILENAME} left unchanged)`);
  });
}

/**
 * The file to read the kept tables from without changing anything (the verifier): ledger.sqlite
 * of a data dir that a release before read-models.sqlite wrote and this one has not opened yet,
 * else read-models.sqlite.
 */
export function keptTablesDatabasePath(config: ReadModelConfig, keptTables: readonly KeptTable[]): string {
  const readModels = readModelDatabasePath(config);
  const ledger = join(config.dataDir, SQLITE_FILENAME);
  if (config.eventStoreConnectionString !== undefined || !existsSync(ledger)) return readModels;
  if (existsSync(readModels) && readOnly(readModels, (db) => keptTablesCarriedOver(db, keptTables))) return readModels;
  const ledgerHasThem = readOnly(ledger, (db) =>
    keptTables.some((t) => db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(t.name) !== undefined),
  );
  return ledgerHasThem ? ledger : readModels;
}

function readOnly<T>(file: string, work: (db: Database) => T): T {
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    return work(db);
  } finally {
    db.close();
  }
}
