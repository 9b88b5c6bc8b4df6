import { DynamicModule, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ClockModule } from '../platform/clock.module';
import { CLOCK, Clock } from '../shared/clock';
import { createEventStore } from './create-event-store';
import { EVENT_STORE, EventStore } from './event-store';

export { SQLITE_FILENAME, createEventStore } from './create-event-store';

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
