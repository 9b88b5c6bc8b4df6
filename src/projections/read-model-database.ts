import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import type { AppConfig } from '../config/app-config';
import { SQLITE_FILENAME } from '../ledger/ledger.module';
import { openDurableDatabase } from '../platform/sqlite/durable-database';
import { prepareReadModelSchema } from './checkpoints';

/** With EventStoreDB the events live elsewhere, so the read models get a file of their own. */
export const READ_MODELS_FILENAME = 'read-models.sqlite';

/**
 * Where the read models live: beside the events in ledger.sqlite with the embedded store (one
 * file to back up; read models and events are then from one consistent snapshot), in
 * read-models.sqlite under the data dir with EventStoreDB.
 */
export function readModelDatabasePath(config: Pick<AppConfig, 'dataDir' | 'eventStoreConnectionString'>): string {
  return join(config.dataDir, config.eventStoreConnectionString === undefined ? SQLITE_FILENAME : READ_MODELS_FILENAME);
}

/** Opens the read-model database through a connection of its own, with the projector's tables. */
export function openReadModelDatabase(config: Pick<AppConfig, 'dataDir' | 'eventStoreConnectionString'>): Database {
  return openDurableDatabase(readModelDatabasePath(config), prepareReadModelSchema);
}
