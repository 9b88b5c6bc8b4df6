import { DynamicModule, Module } from '@nestjs/common';
import { ClockModule } from '../platform/clock.module';
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
}

/** The seizure custody slice: its commands and reads over HTTP. */
@Module({})
export class CustodyModule {
  static forRoot(dependencies: CustodyDependencies): DynamicModule {
    return {
      module: CustodyModule,
      imports: [dependencies.config, dependencies.ledger, dependencies.attachments, ClockModule],
      controllers: [SeizureCommandsHttpController, SeizureQueriesHttpController, SeizureAttachmentsHttpController],
    };
  }
}
