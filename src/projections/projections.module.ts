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
import { READ_MODEL_PROGRESS, type ProjectorRuntime } from './read-model-progress';
import { ProjectorThread } from './thread/projector-thread';

/** What the projection runtime is wired to. */
export interface ProjectionsDependencies {
  /** The app's ConfigModule.forRoot(…): where the read-model database lives. */
  config: DynamicModule;
  /** The app's LedgerModule.forRoot(…): the event store it projects from. */
  ledger: DynamicModule;
  /** The tables of the read-model database that cannot be rebuilt, carried over from ledger.sqlite on open. */
  keptTables?: readonly KeptTable[];
  /**
   * The worker thread's entry file, which projects exactly `projections` (src/projector.worker.ts),
   * and its Node options; without it, or with PROJECTOR_THREAD=main, the projector runs on the
   * requests' thread.
   */
  worker?: { file: string; execArgv?: string[] };
}

function createProjectorRuntime(
  config: AppConfig,
  db: Database,
  store: EventStore,
  running: readonly Projection[],
  registered: readonly Projection[],
  { worker }: ProjectionsDependencies,
): ProjectorRuntime {
  const logger = new Logger('Projector');
  // The worker loads the registered projections itself: a list put in their place (a test's) can only run here.
  if (config.projectorThread === 'main' || worker === undefined || running !== registered) {
    return new Projector(db, store, running, { logger });
  }
  return new ProjectorThread({
    workerFile: worker.file,
    workerData: {
      dataDir: config.dataDir,
      ...(config.eventStoreConnectionString !== undefined && { eventStoreConnectionString: config.eventStoreConnectionString }),
    },
    ...(worker.execArgv !== undefined && { execArgv: worker.execArgv }),
    logger,
    ...(store.appendsCommitted !== undefined && { appendsCommitted: store.appendsCommitted }),
  });
}

/**
 * The projection runtime: the read-model database (a connection of its own, for the queries), and
 * the projector that keeps every registered projection current in it (checkpoints, writer lock,
 * batches), in a worker thread with connections of its own unless PROJECTOR_THREAD=main.
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
          provide: READ_MODEL_PROGRESS,
          useFactory: (config: AppConfig, db: Database, store: EventStore, running: readonly Projection[]) =>
            createProjectorRuntime(config, db, store, running, projections, dependencies),
          inject: [APP_CONFIG, READ_MODEL_DB, EVENT_STORE, PROJECTIONS],
        },
      ],
      exports: [READ_MODEL_DB, PROJECTIONS, READ_MODEL_PROGRESS],
    };
  }

  constructor(
    @Inject(READ_MODEL_DB) private readonly db: Database,
    @Inject(READ_MODEL_PROGRESS) private readonly projector: ProjectorRuntime,
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
