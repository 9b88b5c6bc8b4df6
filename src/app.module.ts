import type { IncomingMessage } from 'node:http';
import { extname, join } from 'node:path';
import { DynamicModule, Module } from '@nestjs/common';
import { AttachmentsModule } from './attachments/attachments.module';
import { AuthModule } from './auth/auth.module';
import { actorOf } from './auth/request-actor';
import { verifiedSubjectOf } from './auth/request-credentials';
import { TokenVerifier } from './auth/token-verifier';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { ConsoleModule } from './console/console.module';
import { CustodyModule } from './custody/custody.module';
import { CUSTODY_HISTORY_SOURCE, type CustodyHistorySource } from './evidence/bundle/custody-history-source';
import { EvidenceModule } from './evidence/evidence.module';
import { StoredBundlesModule } from './evidence/bundle/stored/stored-bundles.module';
import { TreeHeadsModule } from './evidence/tree-heads/tree-heads.module';
import { WitnessedCheckpoints } from './evidence/witnessing/witnessed-checkpoints';
import { WitnessingModule } from './evidence/witnessing/witnessing.module';
import { HealthModule } from './health/health.module';
import { LedgerModule } from './ledger/ledger.module';
import { PortBindingModule } from './port-binding.module';
import { ProjectionsModule } from './projections/projections.module';
import { custodyHistoryProjection } from './read-models/custody-history/custody-history.projection';
import { CustodyHistoryQuery } from './read-models/custody-history/custody-history.query';
import { ReadModelsModule } from './read-models/read-models.module';
import { SIGNED_TREE_HEAD_SOURCE, type SignedTreeHeadSource } from './read-models/seizure-statement/signed-tree-head-source';
import { REGISTERED_KEPT_TABLES, REGISTERED_PROJECTIONS } from './registered-projections';
import { RetentionModule } from './retention/retention.module';
import { IdempotencyModule } from './platform/http/idempotency/idempotency.module';
import { RATE_LIMIT_SUBJECT, type VerifiedSubjectOf } from './platform/http/rate-limit/rate-limit-tracker';
import { RateLimitModule } from './platform/http/rate-limit/rate-limit.module';
import { SEALED_CELL_KEYS } from './read-models/http/reveal-sealed-cells.interceptor';
import { revealSealedCells } from './read-models/sealed-cells';
import type { PersonalDataKeyStore } from './sealing/key-store';
import { SealingModule } from './sealing/sealing.module';
import type { JsonObject } from './shared/json';

/** The projector's worker thread: compiled beside this file, or run as TypeScript under a loader (tests). */
const PROJECTOR_WORKER_FILE = join(__dirname, `projector.worker${extname(__filename)}`);

/**
 * The root module takes the configuration as an argument: main.ts passes the one loaded from
 * the environment, tests pass their own (temp data dir, small body limit, …).
 *
 * No module of ours is global: each imports what it injects. The modules several others need
 * (config, the event store, the attachment store, the projection runtime) are built once here and
 * that object handed to each of them; Nest makes one instance per module object, so one store.
 */
/** How the application is put together beyond its configuration. */
export interface AppModuleOptions {
  /** Node options of the projector's worker thread: tests give it a TypeScript loader, as they run the sources. */
  projectorWorkerExecArgv?: string[];
}

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, options: AppModuleOptions = {}): DynamicModule {
    const configModule = ConfigModule.forRoot(config);
    const ledger = LedgerModule.forRoot(configModule);
    // Personal data is sealed on append (issue #17); the key store lives in the data dir, apart from the log.
    const sealing = SealingModule.forRoot(configModule);
    // Personal attachments are encrypted under their subject's key from the same store.
    const attachments = AttachmentsModule.forRoot(configModule, sealing);
    const { projections, readModels, evidence } = projectingFeatures(configModule, ledger, sealing, options);
    const auth = AuthModule.forRoot(config.auth);
    const rateLimitSubjects = PortBindingModule.bind(RATE_LIMIT_SUBJECT, auth, {
      useFactory:
        (verifier: TokenVerifier): VerifiedSubjectOf =>
        (request) =>
          verifiedSubjectOf(request as IncomingMessage, verifier),
      inject: [TokenVerifier],
    });
    return {
      module: AppModule,
      imports: [
        configModule,
        // Before AuthModule: its global guard then runs first, so floods are refused before any
        // token is verified.
        RateLimitModule.forRoot(configModule, rateLimitSubjects),
        auth,
        ledger,
        attachments,
        IdempotencyModule.forRoot({ config: configModule, subjectOf: (request) => actorOf(request)?.sub }),
        HealthModule.forRoot({ ledger, projections }),
        CustodyModule.forRoot({ config: configModule, ledger, attachments, sealing }),
        projections,
        readModels,
        evidence,
        // Carries out recorded erasures again on start, and erases personal data whose retention ran out.
        RetentionModule.forRoot({ config: configModule, ledger, sealing, readModels }),
        // The web console at `/` and under /console/, over the same API.
        ConsoleModule,
      ],
      // Probes that tests add to the root append to the event store, or read the read-model
      // database and the projector.
      exports: [ledger, projections],
    };
  }
}

/**
 * One projection runtime running every registered projection, and the two features that project
 * into it, each given the port it needs of the other: the statements read signed heads, the
 * evidence bundle reads the custody history.
 */
function projectingFeatures(
  config: DynamicModule,
  ledger: DynamicModule,
  sealing: DynamicModule,
  options: AppModuleOptions,
): { projections: DynamicModule; readModels: DynamicModule; evidence: DynamicModule } {
  const worker = {
    file: PROJECTOR_WORKER_FILE,
    ...(options.projectorWorkerExecArgv !== undefined && { execArgv: options.projectorWorkerExecArgv }),
  };
  const projections = ProjectionsModule.forRoot(REGISTERED_PROJECTIONS, {
    config,
    ledger,
    worker,
    // The heads, key history and cosignatures kept in the read-model database are carried over from ledger.sqlite once, on open.
    keptTables: REGISTERED_KEPT_TABLES,
  });
  const treeHeads = TreeHeadsModule.forRoot({ config, projections });
  const witnessing = WitnessingModule.forRoot({ config, projections, treeHeads });
  // Statements carry the newest head a quorum of witnesses cosigned (any head without witnesses), with its checkpoint.
  const signedTreeHeads = PortBindingModule.bind(SIGNED_TREE_HEAD_SOURCE, witnessing, {
    useFactory: (checkpoints: WitnessedCheckpoints): SignedTreeHeadSource => checkpoints,
    inject: [WitnessedCheckpoints],
  });
  const readModels = ReadModelsModule.forRoot({ config, ledger, projections, signedTreeHeads, sealing });
  const custodyHistory = PortBindingModule.bind(CUSTODY_HISTORY_SOURCE, readModels, {
    useFactory: (query: CustodyHistoryQuery, keys: PersonalDataKeyStore | null): CustodyHistorySource => ({
      readModel: custodyHistoryProjection.name,
      // The read model keeps sealed values as sealed cells: opened here for the bundle's custody section.
      seizureHistory: async (actor, seizureId) => {
        const history = query.seizureHistory(actor, seizureId) as unknown as JsonObject;
        return keys === null ? history : revealSealedCells(history, keys);
      },
    }),
    inject: [CustodyHistoryQuery, SEALED_CELL_KEYS],
  });
  // Issued bundles are kept in a file of their own in the data dir, whichever event store runs.
  const storedBundles = StoredBundlesModule.forRoot(config);
  const evidence = EvidenceModule.forRoot({ ledger, projections, treeHeads, witnessing, custodyHistory, sealing, storedBundles });
  return { projections, readModels, evidence };
}
