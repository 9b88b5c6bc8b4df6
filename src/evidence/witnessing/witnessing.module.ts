import { BeforeApplicationShutdown, DynamicModule, Inject, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { ClockModule } from '../../platform/clock.module';
import { READ_MODEL_DB } from '../../projections/projection';
import { CLOCK, type Clock } from '../../shared/clock';
import type { TreeHeadDatabase } from '../tree-heads/sqlite/sqlite-tree-head-store';
import { TreeHeadLog } from '../tree-heads/tree-head-log';
import { CheckpointWitnessing } from './checkpoint-witnessing';
import { SqliteCosignatureStore } from './sqlite/sqlite-cosignature-store';
import { knownWitnesses, type KnownWitness } from './witness-client';
import { WitnessedCheckpoints } from './witnessed-checkpoints';

const KNOWN_WITNESSES = Symbol('KnownWitnesses');

export interface WitnessingDependencies {
  config: DynamicModule;
  /** Its database holds the cosignatures beside the heads. */
  projections: DynamicModule;
  treeHeads: DynamicModule;
}

/**
 * Witness cosigning of the log's checkpoints (WITNESS_CONFIG_FILE): the submitter, started with
 * the application and stopped before the read-model database closes, and WitnessedCheckpoints for
 * the bundle, the statements and GET /evidence/witnesses. Without witnesses nothing runs.
 */
@Module({})
export class WitnessingModule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Witnessing');

  static forRoot(dependencies: WitnessingDependencies): DynamicModule {
    return {
      module: WitnessingModule,
      imports: [dependencies.config, ClockModule, dependencies.projections, dependencies.treeHeads],
      providers: [
        {
          provide: KNOWN_WITNESSES,
          useFactory: (config: AppConfig) => knownWitnesses(config.evidence.witnessing?.witnesses ?? []),
          inject: [APP_CONFIG],
        },
        {
          provide: SqliteCosignatureStore,
          useFactory: (db: TreeHeadDatabase) => {
            const store = new SqliteCosignatureStore(db);
            store.setup();
            return store;
          },
          inject: [READ_MODEL_DB],
        },
        {
          provide: WitnessedCheckpoints,
          useFactory: (log: TreeHeadLog, store: SqliteCosignatureStore, witnesses: KnownWitness[], config: AppConfig) =>
            new WitnessedCheckpoints(
              log,
              store,
              witnesses,
              config.evidence.witnessing?.quorum ?? 0,
              config.evidence.witnessing?.timeoutMs ?? 0,
            ),
          inject: [TreeHeadLog, SqliteCosignatureStore, KNOWN_WITNESSES, APP_CONFIG],
        },
        {
          provide: CheckpointWitnessing,
          useFactory: (log: TreeHeadLog, store: SqliteCosignatureStore, witnesses: KnownWitness[], config: AppConfig, clock: Clock) =>
            new CheckpointWitnessing(
              log,
              store,
              witnesses,
              {
                intervalMs: config.evidence.treeHeadIntervalSeconds * 1000,
                timeoutMs: config.evidence.witnessing?.timeoutMs ?? 0,
                now: () => clock.now(),
              },
              new Logger('Witnessing'),
            ),
          inject: [TreeHeadLog, SqliteCosignatureStore, KNOWN_WITNESSES, APP_CONFIG, CLOCK],
        },
      ],
      exports: [WitnessedCheckpoints],
    };
  }

  constructor(
    @Inject(CheckpointWitnessing) private readonly witnessing: CheckpointWitnessing,
    @Inject(WitnessedCheckpoints) private readonly checkpoints: WitnessedCheckpoints,
  ) {}

  onApplicationBootstrap(): void {
    const { witnesses, witnessQuorum } = this.checkpoints.published();
    if (witnesses.length === 0) return;
    this.logger.log(`checkpoints are submitted to ${witnesses.map((w) => w.name).join(', ')}; bundles need ${witnessQuorum} cosignatures`);
    this.witnessing.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.witnessing.stop();
  }
}
