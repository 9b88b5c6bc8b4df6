import { DynamicModule, Module } from '@nestjs/common';
import { ClockModule } from '../platform/clock.module';
import { PERSONAL_DATA_KEY_STORE, type PersonalDataKeyStore } from '../sealing/key-store';
import { KeyStoreSealing, NO_SEALING, PERSONAL_DATA_SEALING } from './sealing/personal-data-sealing';
import { PersonalDataErasureHttpController } from './http/personal-data-erasure.http.controller';
import { SeizureAttachmentsHttpController } from './http/seizure-attachments.http.controller';
import { SeizureCommandsHttpController } from './http/seizure-commands.http.controller';
import { SeizureQueriesHttpController } from './http/seizure-queries.http.controller';

/** What the custody slice is wired to: the app's config, event store and attachment store modules. */
export interface CustodyDependencies {
  /** The app's ConfigModule.forRoot(…) (the attachment size limit). */
  config: DynamicModule;
  /** The app's LedgerModule.forRoot(…): the event store. */
  ledger: DynamicModule;
  /** The app's AttachmentsModule.forRoot(…): the attachment content store. */
  attachments: DynamicModule;
  /**
   * The app's SealingModule.forRoot(…): the personal-data key store. Without it commands write in
   * clear (NO_SEALING): AppModule passes it only once the read models and evidence bundles reveal
   * sealed values (issue #17, see README).
   */
  sealing?: DynamicModule;
}

/** The seizure custody slice: its commands and reads over HTTP. */
@Module({})
export class CustodyModule {
  static forRoot(dependencies: CustodyDependencies): DynamicModule {
    const sealing = dependencies.sealing;
    return {
      module: CustodyModule,
      imports: [dependencies.config, dependencies.ledger, dependencies.attachments, ...(sealing ? [sealing] : []), ClockModule],
      providers: [
        sealing
          ? {
              provide: PERSONAL_DATA_SEALING,
              useFactory: (keys: PersonalDataKeyStore) => new KeyStoreSealing(keys),
              inject: [PERSONAL_DATA_KEY_STORE],
            }
          : { provide: PERSONAL_DATA_SEALING, useValue: NO_SEALING },
      ],
      controllers: [
        SeizureCommandsHttpController,
        SeizureQueriesHttpController,
        SeizureAttachmentsHttpController,
        PersonalDataErasureHttpController,
      ],
    };
  }
}
