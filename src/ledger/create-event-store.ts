import { join } from 'node:path';
import type { Observable } from 'rxjs';
import type { AppConfig } from '../config/app-config';
import type { Clock } from '../shared/clock';
import type { EventStore } from './event-store';
import type { EventStoreDbEventStore } from './eventstoredb/eventstoredb-event-store';
import { SqliteEventStore, type SqliteEventStoreOptions } from './sqlite/sqlite-event-store';

// Apart from the Nest module (ledger.module.ts), so that the projector's worker thread, which opens
// a store of its own, loads neither Nest nor the configuration's validators.

export const SQLITE_FILENAME = 'ledger.sqlite';

/**
 * The one place that decides which adapter backs the EVENT_STORE port. `appendedElsewhere`: the
 * appends another connection of this process commits (the projector's worker thread follows the
 * main thread's), so that the embedded store's subscriptions need not wait for their next poll;
 * `embedded`: settings of the embedded store's connection, ignored by EventStoreDB.
 */
export function createEventStore(
  config: Pick<AppConfig, 'dataDir' | 'eventStoreConnectionString'>,
  clock: Clock,
  appendedElsewhere?: Observable<void>,
  embedded: Pick<SqliteEventStoreOptions, 'pageCacheKib'> = {},
): EventStore {
  if (config.eventStoreConnectionString !== undefined) {
    return eventStoreDbAdapter().fromConnectionString(config.eventStoreConnectionString, clock);
  }
  return SqliteEventStore.open({
    filename: join(config.dataDir, SQLITE_FILENAME),
    clock,
    ...(appendedElsewhere !== undefined && { appendedElsewhere }),
    ...embedded,
  });
}

/** Loaded when configured only: the EventStoreDB client (gRPC) is most of what a store costs to load. */
function eventStoreDbAdapter(): typeof EventStoreDbEventStore {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const adapter = require('./eventstoredb/eventstoredb-event-store') as typeof import('./eventstoredb/eventstoredb-event-store');
  return adapter.EventStoreDbEventStore;
}
