import {
  BeforeApplicationShutdown,
  Global,
  Inject,
  Logger,
  MiddlewareConsumer,
  Module,
  NestModule,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  OnModuleDestroy,
  RequestMethod,
  SetMetadata,
  type Type,
} from '@nestjs/common';
import type { Database } from 'better-sqlite3';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { EvidenceModule } from '../evidence/evidence.module';
import { merkleLogProjection } from '../evidence/merkle/merkle-log.projection';
import { EVENT_STORE, type EventStore } from '../ledger/event-store';
import { CustodyHistoryHttpController } from './custody-history/custody-history.http.controller';
import { custodyHistoryProjection } from './custody-history/custody-history.projection';
import { CustodyHistoryQuery } from './custody-history/custody-history.query';
import { DeadlineWatchHttpController } from './deadline-watch/deadline-watch.http.controller';
import { deadlineWatchProjection } from './deadline-watch/deadline-watch.projection';
import { DeadlineWatchQuery } from './deadline-watch/deadline-watch.query';
import { READS_READ_MODELS, ReadPositionInterceptor } from './http/read-position';
import { acceptAccessTokenQuery } from './live-feed/access-token-query.middleware';
import { DEFAULT_LIVE_FEED_OPTIONS, LiveFeed, type LiveFeedOptions } from './live-feed/live-feed';
import { liveFeedScopeProjection } from './live-feed/live-feed-scope.projection';
import { LIVE_FEED_PATH, LiveFeedHttpController } from './live-feed/live-feed.http.controller';
import { PROJECTIONS, READ_MODEL_DB, type Projection } from '../projections/projection';
import { Projector } from '../projections/projector';
import { openReadModelDatabase } from '../projections/read-model-database';
import { SeizureSearchHttpController } from './seizure-search/seizure-search.http.controller';
import { seizureSearchProjection } from './seizure-search/seizure-search.projection';
import { SeizureSearchQuery } from './seizure-search/seizure-search.query';
import { SeizureStatementHttpController } from './seizure-statement/seizure-statement.http.controller';
import { seizureStatementProjection } from './seizure-statement/seizure-statement.projection';
import { SeizureStatementQuery } from './seizure-statement/seizure-statement.query';
import { TreasuryReconciliationHttpController } from './treasury-reconciliation/treasury-reconciliation.http.controller';
import { treasuryReconciliationProjection } from './treasury-reconciliation/treasury-reconciliation.projection';
import { TreasuryReconciliationQuery } from './treasury-reconciliation/treasury-reconciliation.query';
import { TransferInboxHttpController } from './transfer-inbox/transfer-inbox.http.controller';
import { transferInboxProjection } from './transfer-inbox/transfer-inbox.projection';
import { TransferInboxQuery } from './transfer-inbox/transfer-inbox.query';

/**
 * Every read model the projector keeps and the rebuild command rebuilds. Adding one is a line
 * here, and its query and controller in the two lists below.
 */
export const REGISTERED_PROJECTIONS: readonly Projection[] = [
  liveFeedScopeProjection,
  custodyHistoryProjection,
  seizureSearchProjection,
  seizureStatementProjection,
  treasuryReconciliationProjection,
  deadlineWatchProjection,
  transferInboxProjection,
  // Every seizure event becomes a leaf (its chain hash) in commit order; signed heads commit to it.
  merkleLogProjection,
];

const QUERIES = [CustodyHistoryQuery, SeizureSearchQuery, SeizureStatementQuery, TreasuryReconciliationQuery, DeadlineWatchQuery, TransferInboxQuery];

/**
 * The read models each query controller reads (its @ReadModelQuery routes): they wait for these
 * only, and answer 503 read-model-failed when one of them failed, while the others go on serving.
 */
const QUERY_CONTROLLERS: ReadonlyArray<readonly [Type, readonly Projection[]]> = [
  [CustodyHistoryHttpController, [custodyHistoryProjection]],
  [SeizureSearchHttpController, [seizureSearchProjection]],
  // A statement carries the signed tree head covering it: the Merkle log too.
  [SeizureStatementHttpController, [seizureStatementProjection, merkleLogProjection]],
  [TreasuryReconciliationHttpController, [treasuryReconciliationProjection]],
  [DeadlineWatchHttpController, [deadlineWatchProjection]],
  [TransferInboxHttpController, [transferInboxProjection]],
];
for (const [controller, projections] of QUERY_CONTROLLERS) {
  SetMetadata(READS_READ_MODELS, projections.map((p) => p.name))(controller);
}

const CONTROLLERS = [LiveFeedHttpController, ...QUERY_CONTROLLERS.map(([controller]) => controller)];

/** Options of the live feed; tests override them (a short heartbeat, a small stream cap). */
export const LIVE_FEED_OPTIONS = Symbol('LiveFeedOptions');

/**
 * The query side: the read-model database (its own connection), the projector that keeps it
 * current, read-your-writes for queries and the live feed. Global, so query controllers anywhere
 * can inject READ_MODEL_DB and use @ReadModelQuery().
 */
@Global()
@Module({
  // The statement controller puts the signed tree head covering a statement into it.
  imports: [EvidenceModule],
  controllers: CONTROLLERS,
  providers: [
    ...QUERIES,
    { provide: READ_MODEL_DB, useFactory: (config: AppConfig) => openReadModelDatabase(config), inject: [APP_CONFIG] },
    { provide: PROJECTIONS, useValue: REGISTERED_PROJECTIONS },
    {
      provide: Projector,
      useFactory: (db: Database, store: EventStore, projections: readonly Projection[]) =>
        new Projector(db, store, projections, { logger: new Logger('Projector') }),
      inject: [READ_MODEL_DB, EVENT_STORE, PROJECTIONS],
    },
    { provide: LIVE_FEED_OPTIONS, useValue: DEFAULT_LIVE_FEED_OPTIONS },
    {
      provide: LiveFeed,
      useFactory: (store: EventStore, db: Database, options: LiveFeedOptions) => new LiveFeed(store, db, options, new Logger('LiveFeed')),
      inject: [EVENT_STORE, READ_MODEL_DB, LIVE_FEED_OPTIONS],
    },
    ReadPositionInterceptor,
  ],
  exports: [READ_MODEL_DB, PROJECTIONS, Projector, LiveFeed, ReadPositionInterceptor, CustodyHistoryQuery],
})
export class ReadModelsModule implements NestModule, OnApplicationBootstrap, OnModuleDestroy, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger(ReadModelsModule.name);

  constructor(
    @Inject(READ_MODEL_DB) private readonly db: Database,
    @Inject(Projector) private readonly projector: Projector,
    @Inject(LiveFeed) private readonly feed: LiveFeed,
  ) {}

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(acceptAccessTokenQuery).forRoutes({ path: LIVE_FEED_PATH, method: RequestMethod.GET });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.projector.start();
  }

  // First of the shutdown hooks: open event streams would keep the HTTP server from closing.
  onModuleDestroy(): void {
    this.feed.closeAll();
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
