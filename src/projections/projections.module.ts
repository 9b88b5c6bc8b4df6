import {
  BeforeApplicationShutdown,
  DynamicModule,
  Inject,
  Logger,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import type { Database } from 'better-sqlite3';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { EVENT_STORE, type EventStore } from '../ledger/event-store';
import { PROJECTIONS, READ_MODEL_DB, type Projection } from './projection';
import { Projector } from './projector';
import { openReadModelDatabase, type KeptTable } from './read-model-database';

/** What the projection runtime is wired to. */
export interface ProjectionsDependencies {
  /** The app's ConfigModule.forRoot(…): where the read-model database lives. */
  config: DynamicModule;
  /** The app's LedgerModule.forRoot(…): the event store it projects from. */
  ledger: DynamicModule;
  /** The tables of the read-model database that cannot be rebuilt, carried over from ledger.sqlite on open. */
  keptTables?: readonly KeptTable[];
}

/**
 * The projection runtime: the read-model database (a connection of its own), and the projector
 * that keeps every registered projection current in it (checkpoints, writer lock, batches).
 * The composition root builds it once with the registered projections and hands that module to
 * each feature that projects into it or reads from it.
 */
@Module({})
export class ProjectionsModule implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger(ProjectionsModule.name);

  /** The runtime projecting `projections`: import the returned module wherever it is needed (Nest makes one instance). */
  static forRoot(projections: readonly Projection[], dependencies: ProjectionsDependencies): DynamicModule {
    return {
      module: ProjectionsModule,
      imports: [dependencies.config, dependencies.ledger],
      providers: [
        {
          provide: READ_MODEL_DB,
          useFactory: (config: AppConfig) => openReadModelDatabase(config, dependencies.keptTables),
          inject: [APP_CONFIG],
        },
        { provide: PROJECTIONS, useValue: projections },
        {
          provide: Projector,
          useFactory: (db: Database, store: EventStore, registered: readonly Projection[]) =>
            new Projector(db, store, registered, { logger: new Logger('Projector') }),
          inject: [READ_MODEL_DB, EVENT_STORE, PROJECTIONS],
        },
      ],
      exports: [READ_MODEL_DB, PROJECTIONS, Projector],
    };
  }

  constructor(
    @Inject(READ_MODEL_DB) private readonly db: Database,
    @Inject(Projector) private readonly projector: Projector,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.projector.start();
  }

  // Before the store closes: finish the batch in progress and release the lock.
  async beforeApplicationShutdown(): Promise<void> {
    await this.projector.stop();
  }

  // After the HTTP server stopped, so no query runs on a closed connection.
  onApplicationShutdown(): void {
    if (!this.db.open) return;
    this.db.close();
    this.logger.log('read-model database closed');
  }
}
