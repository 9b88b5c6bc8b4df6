import { join } from 'node:path';
import { DynamicModule, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ClockModule } from '../platform/clock.module';
import { CLOCK, Clock } from '../shared/clock';
import { EVENT_STORE, EventStore } from './event-store';
import { EventStoreDbEventStore } from './eventstoredb/eventstoredb-event-store';
import { SqliteEventStore, type SqliteEventStoreOptions } from './sqlite/sqlite-event-store';

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
    return EventStoreDbEventStore.fromConnectionString(config.eventStoreConnectionString, clock);
  }
  return SqliteEventStore.open({
    filename: join(config.dataDir, SQLITE_FILENAME),
    clock,
    ...(appendedElsewhere !== undefined && { appendedElsewhere }),
    ...embedded,
  });
}

/**
 * The EVENT_STORE port and its adapter. Build it once (`LedgerModule.forRoot(config)`) and import
 * that module wherever the store is injected: one module object is one store, opened once.
 */
@Module({})
export class LedgerModule implements OnApplicationShutdown {
  private readonly logger = new Logger(LedgerModule.name);

  /** Over the app's ConfigModule.forRoot(…), which names the adapter and the data dir. */
  static forRoot(config: DynamicModule): DynamicModule {
    return {
      module: LedgerModule,
      imports: [config, ClockModule],
      providers: [
        {
          provide: EVENT_STORE,
          useFactory: (config: AppConfig, clock: Clock) => createEventStore(config, clock),
          inject: [APP_CONFIG, CLOCK],
        },
      ],
      exports: [EVENT_STORE],
    };
  }

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  // Runs after the HTTP server has stopped taking requests, so no handler sees a closed store.
  async onApplicationShutdown(): Promise<void> {
    // A failure propagates: Nest logs it and the process exits non-zero, flagging an unclean stop.
    await this.store.close();
    this.logger.log(`${this.store.kind} event store closed`);
  }
}
