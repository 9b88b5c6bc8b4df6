import {
  BeforeApplicationShutdown,
  DynamicModule,
  Inject,
  Logger,
  Module,
  OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { KeyStoreSealing } from '../custody/sealing/personal-data-sealing';
import { EVENT_STORE, type EventStore } from '../ledger/event-store';
import { ClockModule } from '../platform/clock.module';
import { RetentionQuery } from '../read-models/retention/retention.query';
import { PERSONAL_DATA_KEY_STORE, type PersonalDataKeyStore } from '../sealing/key-store';
import { CLOCK, type Clock } from '../shared/clock';
import { RetentionWorker } from './retention-worker';

/** What the retention worker is wired to: the app's modules, each built once by the composition root. */
export interface RetentionDependencies {
  config: DynamicModule;
  ledger: DynamicModule;
  /** The SealingModule: the key store whose keys erasures destroy. */
  sealing: DynamicModule;
  /** The ReadModelsModule: the retention read model's query. */
  readModels: DynamicModule;
}

/**
 * The retention worker: on start (awaited before the server listens) it carries out every
 * erasure in the log again; then, every RETENTION_INTERVAL_SECONDS, the erasures recorded since
 * and those still pending, and the automatic erasures that fell due. The timer does not keep the
 * process alive and stops before the databases close.
 */
@Module({})
export class RetentionModule implements OnApplicationBootstrap, BeforeApplicationShutdown, OnModuleDestroy {
  private static readonly logger = new Logger('Retention');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  static forRoot(dependencies: RetentionDependencies): DynamicModule {
    return {
      module: RetentionModule,
      imports: [dependencies.config, dependencies.ledger, dependencies.sealing, dependencies.readModels, ClockModule],
      providers: [
        {
          provide: RetentionWorker,
          useFactory: (config: AppConfig, store: EventStore, keys: PersonalDataKeyStore, retention: RetentionQuery, clock: Clock) =>
            new RetentionWorker({
              store,
              sealing: new KeyStoreSealing(keys),
              keys,
              retention,
              clock,
              config: config.retention,
              logger: RetentionModule.logger,
            }),
          inject: [APP_CONFIG, EVENT_STORE, PERSONAL_DATA_KEY_STORE, RetentionQuery, CLOCK],
        },
      ],
      exports: [RetentionWorker],
    };
  }

  constructor(
    @Inject(RetentionWorker) private readonly worker: RetentionWorker,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Awaited: a failure here stops the start, rather than serving data a restored key store reopened.
    await this.worker.carryOutRecordedErasures();
    this.timer = setInterval(() => this.tick(), this.config.retention.intervalSeconds * 1000);
    this.timer.unref();
  }

  /** One pass at a time: a slow pass is not overtaken by the next. */
  private tick(): void {
    if (this.running !== undefined) return;
    this.running = this.worker
      .runOnce()
      .catch((error: unknown) =>
        RetentionModule.logger.error(`retention pass failed: ${error instanceof Error ? error.message : String(error)}`),
      )
      .finally(() => (this.running = undefined));
  }

  // Before the key store and the ledger close: the timer stops and a pass under way finishes.
  async beforeApplicationShutdown(): Promise<void> {
    this.stop();
    await this.running;
  }

  onModuleDestroy(): void {
    this.stop();
  }

  private stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
