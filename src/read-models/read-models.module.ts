import {
  DynamicModule,
  Inject,
  Logger,
  MiddlewareConsumer,
  Module,
  NestModule,
  OnModuleDestroy,
  RequestMethod,
  SetMetadata,
  UseInterceptors,
  type Type,
} from '@nestjs/common';
import type { Database } from 'better-sqlite3';
import { EVENT_STORE, type EventStore } from '../ledger/event-store';
import { ClockModule } from '../platform/clock.module';
import { READ_MODEL_DB } from '../projections/projection';
import { CustodyHistoryHttpController } from './custody-history/custody-history.http.controller';
import { custodyHistoryProjection } from './custody-history/custody-history.projection';
import { CustodyHistoryQuery } from './custody-history/custody-history.query';
import { DeadlineWatchHttpController } from './deadline-watch/deadline-watch.http.controller';
import { deadlineWatchProjection } from './deadline-watch/deadline-watch.projection';
import { DeadlineWatchQuery } from './deadline-watch/deadline-watch.query';
import { READS_READ_MODELS, ReadPositionInterceptor } from './http/read-position';
import { RevealSealedCellsInterceptor, SEALED_CELL_KEYS } from './http/reveal-sealed-cells.interceptor';
import { PERSONAL_DATA_KEY_STORE, type PersonalDataKeyStore } from '../sealing/key-store';
import { acceptAccessTokenQuery } from './live-feed/access-token-query.middleware';
import { DEFAULT_LIVE_FEED_OPTIONS, LiveFeed, type LiveFeedOptions } from './live-feed/live-feed';
import { LIVE_FEED_PATH, LiveFeedHttpController } from './live-feed/live-feed.http.controller';
import { retentionProjection } from './retention/retention.projection';
import { RetentionQuery } from './retention/retention.query';
import { SeizureSearchHttpController } from './seizure-search/seizure-search.http.controller';
import { seizureSearchProjection } from './seizure-search/seizure-search.projection';
import { SeizureSearchQuery } from './seizure-search/seizure-search.query';
import { SeizureStatementHttpController } from './seizure-statement/seizure-statement.http.controller';
import { seizureStatementProjection } from './seizure-statement/seizure-statement.projection';
import { SeizureStatementQuery } from './seizure-statement/seizure-statement.query';
import { SIGNED_TREE_HEAD_READ_MODEL } from './seizure-statement/signed-tree-head-source';
import { TreasuryReconciliationHttpController } from './treasury-reconciliation/treasury-reconciliation.http.controller';
import { treasuryReconciliationProjection } from './treasury-reconciliation/treasury-reconciliation.projection';
import { TreasuryReconciliationQuery } from './treasury-reconciliation/treasury-reconciliation.query';
import { TransferInboxHttpController } from './transfer-inbox/transfer-inbox.http.controller';
import { transferInboxProjection } from './transfer-inbox/transfer-inbox.projection';
import { TransferInboxQuery } from './transfer-inbox/transfer-inbox.query';

const QUERIES = [
  CustodyHistoryQuery,
  SeizureSearchQuery,
  SeizureStatementQuery,
  TreasuryReconciliationQuery,
  DeadlineWatchQuery,
  TransferInboxQuery,
  RetentionQuery,
];

/**
 * The read models each query controller reads (its @ReadModelQuery routes): they wait for these
 * only, and answer 503 read-model-failed when one of them failed, while the others go on serving.
 */
const QUERY_CONTROLLERS: ReadonlyArray<readonly [Type, readonly string[]]> = [
  [CustodyHistoryHttpController, [custodyHistoryProjection.name]],
  [SeizureSearchHttpController, [seizureSearchProjection.name]],
  // A statement carries the signed tree head covering it: the Merkle log too.
  [SeizureStatementHttpController, [seizureStatementProjection.name, SIGNED_TREE_HEAD_READ_MODEL]],
  [TreasuryReconciliationHttpController, [treasuryReconciliationProjection.name]],
  // Due erasures come from the retention read model.
  [DeadlineWatchHttpController, [deadlineWatchProjection.name, retentionProjection.name]],
  [TransferInboxHttpController, [transferInboxProjection.name]],
];
for (const [controller, readModels] of QUERY_CONTROLLERS) {
  SetMetadata(READS_READ_MODELS, readModels)(controller);
  UseInterceptors(RevealSealedCellsInterceptor)(controller);
}

const CONTROLLERS = [LiveFeedHttpController, ...QUERY_CONTROLLERS.map(([controller]) => controller)];

/** Options of the live feed; tests override them (a short heartbeat, a small stream cap). */
export const LIVE_FEED_OPTIONS = Symbol('LiveFeedOptions');

/** What the read models are wired to: config, the event store, the projection runtime they read, and the evidence side's signed heads (a port). */
export interface ReadModelsDependencies {
  /** The app's ConfigModule.forRoot(…) (how long a statement waits for a signed head). */
  config: DynamicModule;
  /** The app's LedgerModule.forRoot(…): the event store the live feed follows. */
  ledger: DynamicModule;
  /** The app's ProjectionsModule.forRoot(…): the read-model database and the projector. */
  projections: DynamicModule;
  /** A module exporting SIGNED_TREE_HEAD_SOURCE, for the statements. */
  signedTreeHeads: DynamicModule;
  /** The app's SealingModule.forRoot(…), to open sealed cells in answers; without it answers are sent as they are. */
  sealing?: DynamicModule;
}

/**
 * The query side: the queries and their controllers over the read-model database, read-your-writes
 * for queries, and the live feed. Its projections are listed in read-model-projections.ts; the
 * projection runtime that keeps them current is given by the composition root.
 */
@Module({})
export class ReadModelsModule implements NestModule, OnModuleDestroy {
  static forRoot(dependencies: ReadModelsDependencies): DynamicModule {
    return {
      module: ReadModelsModule,
      imports: [
        dependencies.config,
        dependencies.ledger,
        ClockModule,
        dependencies.projections,
        dependencies.signedTreeHeads,
        ...(dependencies.sealing ? [dependencies.sealing] : []),
      ],
      controllers: CONTROLLERS,
      providers: [
        ...QUERIES,
        { provide: LIVE_FEED_OPTIONS, useValue: DEFAULT_LIVE_FEED_OPTIONS },
        {
          provide: LiveFeed,
          useFactory: (store: EventStore, db: Database, options: LiveFeedOptions, keys: PersonalDataKeyStore | null) =>
            new LiveFeed(store, db, options, new Logger('LiveFeed'), keys),
          inject: [EVENT_STORE, READ_MODEL_DB, LIVE_FEED_OPTIONS, SEALED_CELL_KEYS],
        },
        ReadPositionInterceptor,
        dependencies.sealing
          ? { provide: SEALED_CELL_KEYS, useFactory: (keys: PersonalDataKeyStore) => keys, inject: [PERSONAL_DATA_KEY_STORE] }
          : { provide: SEALED_CELL_KEYS, useValue: null },
        RevealSealedCellsInterceptor,
      ],
      exports: [LiveFeed, ReadPositionInterceptor, CustodyHistoryQuery, RetentionQuery, SEALED_CELL_KEYS],
    };
  }

  constructor(@Inject(LiveFeed) private readonly feed: LiveFeed) {}

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(acceptAccessTokenQuery).forRoutes({ path: LIVE_FEED_PATH, method: RequestMethod.GET });
  }

  // First of the shutdown hooks: open event streams would keep the HTTP server from closing.
  onModuleDestroy(): void {
    this.feed.closeAll();
  }
}
