import { DynamicModule, Module } from '@nestjs/common';
import { AttachmentsModule } from './attachments/attachments.module';
import { AuthModule } from './auth/auth.module';
import { actorOf } from './auth/request-actor';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { ConsoleModule } from './console/console.module';
import { CustodyModule } from './custody/custody.module';
import { CUSTODY_HISTORY_SOURCE, type CustodyHistorySource } from './evidence/bundle/custody-history-source';
import { EvidenceModule } from './evidence/evidence.module';
import { TreeHeadLog } from './evidence/tree-heads/tree-head-log';
import { TreeHeadsModule } from './evidence/tree-heads/tree-heads.module';
import { HealthModule } from './health/health.module';
import { LedgerModule } from './ledger/ledger.module';
import { PortBindingModule } from './port-binding.module';
import { ProjectionsModule } from './projections/projections.module';
import { custodyHistoryProjection } from './read-models/custody-history/custody-history.projection';
import { CustodyHistoryQuery } from './read-models/custody-history/custody-history.query';
import { ReadModelsModule } from './read-models/read-models.module';
import { SIGNED_TREE_HEAD_SOURCE, type SignedTreeHeadSource } from './read-models/seizure-statement/signed-tree-head-source';
import { REGISTERED_PROJECTIONS } from './registered-projections';
import { IdempotencyModule } from './platform/http/idempotency/idempotency.module';
import { RateLimitModule } from './platform/http/rate-limit/rate-limit.module';
import type { JsonObject } from './shared/json';

/**
 * The root module takes the configuration as an argument: main.ts passes the one loaded from
 * the environment, tests pass their own (temp data dir, small body limit, …).
 */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    const { projections, readModels, evidence } = projectingFeatures();
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        // Before AuthModule: its global guard then runs first, so floods are refused before any
        // token is verified.
        RateLimitModule,
        AuthModule.forRoot(config.auth),
        LedgerModule,
        AttachmentsModule,
        IdempotencyModule.forRoot((request) => actorOf(request)?.sub),
        HealthModule.forRoot(projections),
        CustodyModule,
        projections,
        readModels,
        evidence,
        // The web console at `/` and under /console/, over the same API.
        ConsoleModule,
      ],
      // Query probes that tests add to the root read the read-model database and the projector.
      exports: [projections],
    };
  }
}

/**
 * One projection runtime running every registered projection, and the two features that project
 * into it, each given the port it needs of the other: the statements read signed heads, the
 * evidence bundle reads the custody history.
 */
function projectingFeatures(): { projections: DynamicModule; readModels: DynamicModule; evidence: DynamicModule } {
  const projections = ProjectionsModule.forRoot(REGISTERED_PROJECTIONS);
  const treeHeads = TreeHeadsModule.forRoot(projections);
  const signedTreeHeads = PortBindingModule.bind(SIGNED_TREE_HEAD_SOURCE, treeHeads, {
    useFactory: (log: TreeHeadLog): SignedTreeHeadSource => log,
    inject: [TreeHeadLog],
  });
  const readModels = ReadModelsModule.forRoot({ projections, signedTreeHeads });
  const custodyHistory = PortBindingModule.bind(CUSTODY_HISTORY_SOURCE, readModels, {
    useFactory: (query: CustodyHistoryQuery): CustodyHistorySource => ({
      readModel: custodyHistoryProjection.name,
      seizureHistory: (actor, seizureId) => query.seizureHistory(actor, seizureId) as unknown as JsonObject,
    }),
    inject: [CustodyHistoryQuery],
  });
  const evidence = EvidenceModule.forRoot({ projections, treeHeads, custodyHistory });
  return { projections, readModels, evidence };
}
