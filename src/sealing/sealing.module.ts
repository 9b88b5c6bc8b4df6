import { join } from 'node:path';
import { DynamicModule, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ClockModule } from '../platform/clock.module';
import { CLOCK, Clock } from '../shared/clock';
import { loadKek } from './kek-source';
import { PERSONAL_DATA_KEY_STORE, PersonalDataKeyStore } from './key-store';
import { SqliteKeyStore } from './sqlite/sqlite-key-store';

/** The key file, in the data dir but apart from the ledger: erasing a key never touches the log. */
export const KEY_STORE_FILENAME = 'personal-data-keys.sqlite';

/** The one place that decides which adapter backs the PERSONAL_DATA_KEY_STORE port. */
export function createKeyStore(config: AppConfig, clock: Clock, log: (message: string) => void = () => undefined): PersonalDataKeyStore {
  const kek = loadKek(config.personalData, config.dataDir);
  if (kek.created)
    log(
      `generated a new personal-data key-encryption key in ${kek.source.replace(/^the generated /, '')}; back it up apart from the data dir`,
    );
  return SqliteKeyStore.open({ filename: join(config.dataDir, KEY_STORE_FILENAME), kek, clock });
}

/**
 * The PERSONAL_DATA_KEY_STORE port and its adapter, opened in the data dir (with either event
 * store: the keys stay local) and closed on shutdown. Build it once (`SealingModule.forRoot(config)`).
 */
@Module({})
export class SealingModule implements OnApplicationShutdown {
  private static readonly logger = new Logger(SealingModule.name);

  /** Over the app's ConfigModule.forRoot(…), which names the data dir and the KEK. */
  static forRoot(config: DynamicModule): DynamicModule {
    return {
      module: SealingModule,
      imports: [config, ClockModule],
      providers: [
        {
          provide: PERSONAL_DATA_KEY_STORE,
          useFactory: (appConfig: AppConfig, clock: Clock) => createKeyStore(appConfig, clock, (m) => SealingModule.logger.log(m)),
          inject: [APP_CONFIG, CLOCK],
        },
      ],
      exports: [PERSONAL_DATA_KEY_STORE],
    };
  }

  constructor(@Inject(PERSONAL_DATA_KEY_STORE) private readonly keys: PersonalDataKeyStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.keys.close();
    SealingModule.logger.log('personal-data key store closed');
  }
}
