import { BeforeApplicationShutdown, Inject, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { READ_MODEL_DB } from '../projections/projection';
import { CLOCK, type Clock } from '../shared/clock';
import { EvidenceBundleHttpController } from './bundle/evidence-bundle.http.controller';
import { merkleLogTree } from './merkle/merkle-log.projection';
import { LogSigningKey, loadOrCreateSigningKey } from './tree-heads/signing-key';
import { SqliteTreeHeadStore, type TreeHeadDatabase } from './tree-heads/sqlite/sqlite-tree-head-store';
import { TreeHeadLog } from './tree-heads/tree-head-log';
import { TreeHeadSigner, type TreeHeadSignerOptions } from './tree-heads/tree-head-signer';
import { TreeHeadsHttpController } from './tree-heads/tree-heads.http.controller';

/** Options of the tree head signer; tests may override them (a shorter interval, a shorter maximum age). */
export const TREE_HEAD_SIGNER_OPTIONS = Symbol('TreeHeadSignerOptions');

/**
 * Signed tree heads over the Merkle log the `merkle-log` read model keeps: the signing key, the
 * signer (started with the application, stopped before the read-model database closes), and the
 * public routes under /evidence. Exports TreeHeadLog (heads, proofs, public key) and the key.
 */
@Module({
  controllers: [TreeHeadsHttpController, EvidenceBundleHttpController],
  providers: [
    {
      provide: LogSigningKey,
      useFactory: (config: AppConfig) => {
        const logger = new Logger('EvidenceSigningKey');
        return loadOrCreateSigningKey({ keyFile: config.evidence.signingKeyFile, dataDir: config.dataDir }, (m) => logger.log(m));
      },
      inject: [APP_CONFIG],
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
      useFactory: (db: TreeHeadDatabase, heads: SqliteTreeHeadStore, key: LogSigningKey) => new TreeHeadLog(merkleLogTree(db), heads, key),
      inject: [READ_MODEL_DB, SqliteTreeHeadStore, LogSigningKey],
    },
    {
      provide: TREE_HEAD_SIGNER_OPTIONS,
      useFactory: (config: AppConfig): TreeHeadSignerOptions => ({ intervalMs: config.evidence.treeHeadIntervalSeconds * 1000 }),
      inject: [APP_CONFIG],
    },
    {
      provide: TreeHeadSigner,
      useFactory: (db: TreeHeadDatabase, heads: SqliteTreeHeadStore, key: LogSigningKey, clock: Clock, options: TreeHeadSignerOptions) =>
        new TreeHeadSigner(merkleLogTree(db), heads, key, clock, options, new Logger('TreeHeadSigner')),
      inject: [READ_MODEL_DB, SqliteTreeHeadStore, LogSigningKey, CLOCK, TREE_HEAD_SIGNER_OPTIONS],
    },
  ],
  exports: [TreeHeadLog, LogSigningKey],
})
export class EvidenceModule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(EvidenceModule.name);

  constructor(
    @Inject(TreeHeadSigner) private readonly signer: TreeHeadSigner,
    @Inject(LogSigningKey) private readonly key: LogSigningKey,
  ) {}

  onApplicationBootstrap(): void {
    this.logger.log(`tree heads are signed by log ${this.key.logId}, Ed25519 public key ${this.key.publicKeyBase64} (raw, base64)`);
    this.logger.log(`public key (SPKI PEM):\n${this.key.publicKeyPem.trimEnd()}`);
    this.signer.start();
  }

  // Before the read-model database closes (ReadModelsModule, onApplicationShutdown).
  beforeApplicationShutdown(): void {
    this.signer.stop();
  }
}
