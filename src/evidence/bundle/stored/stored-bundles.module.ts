import { join } from 'node:path';
import { DynamicModule, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../../config/app-config';
import { SqliteStoredBundleStore } from './sqlite/sqlite-stored-bundle-store';
import { STORED_BUNDLE_STORE, type StoredBundleStore } from './stored-bundle-store';

/** The file of issued bundles, in the data dir beside the ledger whichever event store runs: bundles are derived data, not events. */
export const STORED_BUNDLES_FILENAME = 'evidence-bundles.sqlite';

/** The STORED_BUNDLE_STORE port and its adapter, opened in the data dir and closed on shutdown. Build it once. */
@Module({})
export class StoredBundlesModule implements OnApplicationShutdown {
  /** Over the app's ConfigModule.forRoot(…), which names the data dir. */
  static forRoot(config: DynamicModule): DynamicModule {
    return {
      module: StoredBundlesModule,
      imports: [config],
      providers: [
        {
          provide: STORED_BUNDLE_STORE,
          useFactory: (appConfig: AppConfig) => SqliteStoredBundleStore.open(join(appConfig.dataDir, STORED_BUNDLES_FILENAME)),
          inject: [APP_CONFIG],
        },
      ],
      exports: [STORED_BUNDLE_STORE],
    };
  }

  constructor(@Inject(STORED_BUNDLE_STORE) private readonly store: StoredBundleStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
