import { BeforeApplicationShutdown, DynamicModule, Inject, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { ClockModule } from '../../platform/clock.module';
import { READ_MODEL_DB } from '../../projections/projection';
import { CLOCK, type Clock } from '../../shared/clock';
import { merkleLogTree } from '../merkle/merkle-log.projection';
import { LogKeys, adoptSigningKey } from './log-keys';
import { LogSigningKey, loadOrCreateSigningKey } from './signing-key';
import { SqliteLogKeyStore } from './sqlite/sqlite-log-key-store';
import { SqliteTreeHeadStore, type TreeHeadDatabase } from './sqlite/sqlite-tree-head-store';
import { TreeHeadLog } from './tree-head-log';
import { TreeHeadSigner, type TreeHeadSignerOptions } from './tree-head-signer';

/** Options of the tree head signer; tests may override them (a shorter interval, a shorter maximum age). */
export const TREE_HEAD_SIGNER_OPTIONS = Symbol('TreeHeadSignerOptions');

/** What the tree heads are wired to. */
export interface TreeHeadsDependencies {
  /** The app's ConfigModule.forRoot(…): the signing key file, the data dir, the signing interval. */
  config: DynamicModule;
  /** The app's ProjectionsModule.forRoot(…), whose database holds the Merkle log. */
  projections: DynamicModule;
}

/**
 * Signed tree heads over the Merkle log the `merkle-log` projection keeps in the read-model
 * database: the signing key, and the signer (started with the application, stopped before the
 * read-model database closes). Exports TreeHeadLog (heads, proofs, public key) and the key. No
 * controllers, so that a port bound to TreeHeadLog needs nothing else of the evidence side.
 */
@Module({})
export class TreeHeadsModule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(TreeHeadsModule.name);

  static forRoot(dependencies: TreeHeadsDependencies): DynamicModule {
    return {
      module: TreeHeadsModule,
      imports: [dependencies.config, ClockModule, dependencies.projections],
      providers: [
        {
          provide: SqliteLogKeyStore,
          useFactory: (db: TreeHeadDatabase) => {
            const store = new SqliteLogKeyStore(db);
            store.setup();
            return store;
          },
          inject: [READ_MODEL_DB],
        },
        {
          // The key file's key, which must be the current key of the log's key history.
          provide: LogSigningKey,
          useFactory: (config: AppConfig, keys: SqliteLogKeyStore, heads: SqliteTreeHeadStore, clock: Clock) => {
            const logger = new Logger('EvidenceSigningKey');
            const key = loadOrCreateSigningKey({ keyFile: config.evidence.signingKeyFile, dataDir: config.dataDir }, (m) => logger.log(m));
            return adoptSigningKey(key, keys, heads, clock);
          },
          inject: [APP_CONFIG, SqliteLogKeyStore, SqliteTreeHeadStore, CLOCK],
        },
        {
          provide: LogKeys,
          useFactory: (keys: SqliteLogKeyStore, heads: SqliteTreeHeadStore) => new LogKeys(keys, heads),
          inject: [SqliteLogKeyStore, SqliteTreeHeadStore],
        },
        {
          provide: SqliteTreeHeadStore,
          useFactory: (db: TreeHeadDatabase) => {
            const store = new SqliteTreeHeadStore(db);
            store.setup();
            return store;
          },
          inject: [READ_MODEL_DB],
        },
        {
          provide: TreeHeadLog,
          useFactory: (db: TreeHeadDatabase, heads: SqliteTreeHeadStore, key: LogSigningKey, keys: LogKeys, config: AppConfig) =>
            new TreeHeadLog(merkleLogTree(db), heads, key, config.evidence.logOrigin ?? key.defaultOrigin, keys),
          inject: [READ_MODEL_DB, SqliteTreeHeadStore, LogSigningKey, LogKeys, APP_CONFIG],
        },
        {
          provide: TREE_HEAD_SIGNER_OPTIONS,
          useFactory: (config: AppConfig): TreeHeadSignerOptions => ({
            intervalMs: config.evidence.treeHeadIntervalSeconds * 1000,
            ...(config.evidence.logOrigin !== undefined && { origin: config.evidence.logOrigin }),
          }),
          inject: [APP_CONFIG],
        },
        {
          provide: TreeHeadSigner,
          useFactory: (
            db: TreeHeadDatabase,
            heads: SqliteTreeHeadStore,
            key: LogSigningKey,
            clock: Clock,
            options: TreeHeadSignerOptions,
          ) => new TreeHeadSigner(merkleLogTree(db), heads, key, clock, options, new Logger('TreeHeadSigner')),
          inject: [READ_MODEL_DB, SqliteTreeHeadStore, LogSigningKey, CLOCK, TREE_HEAD_SIGNER_OPTIONS],
        },
      ],
      exports: [TreeHeadLog, LogSigningKey],
    };
  }

  constructor(
    @Inject(TreeHeadSigner) private readonly signer: TreeHeadSigner,
    @Inject(LogSigningKey) private readonly key: LogSigningKey,
    @Inject(TreeHeadLog) private readonly log: TreeHeadLog,
  ) {}

  onApplicationBootstrap(): void {
    this.logger.log(
      `tree heads of log ${this.key.logId} are signed by key ${this.key.keyId}, Ed25519 public key ${this.key.publicKeyBase64} (raw, base64)`,
    );
    this.logger.log(`public key (SPKI PEM):\n${this.key.publicKeyPem.trimEnd()}`);
    this.logger.log(
      `checkpoints are signed as origin ${this.log.publicKey().checkpointOrigin}, verifier key ${this.log.publicKey().checkpointVerifierKey}`,
    );
    this.signer.start();
  }

  // Before the read-model database closes (ProjectionsModule, onApplicationShutdown).
  beforeApplicationShutdown(): void {
    this.signer.stop();
  }
}
