import { join } from 'node:path';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ATTACHMENT_STORE, AttachmentStore } from './attachment-store';
import { FileAttachmentStore } from './file/file-attachment-store';

/** Attachment content lives next to the ledger, in the data dir that start-up has checked is writable. */
export const ATTACHMENTS_DIRNAME = 'attachments';

/** The one place that decides which adapter backs the ATTACHMENT_STORE port. */
export function createAttachmentStore(config: Pick<AppConfig, 'dataDir'>): AttachmentStore {
  return new FileAttachmentStore(join(config.dataDir, ATTACHMENTS_DIRNAME));
}

/** The ATTACHMENT_STORE port: build it once and import that module wherever the store is injected. */
@Module({})
export class AttachmentsModule {
  /** Over the app's ConfigModule.forRoot(…), whose data dir holds the content. */
  static forRoot(config: DynamicModule): DynamicModule {
    return {
      module: AttachmentsModule,
      imports: [config],
      providers: [{ provide: ATTACHMENT_STORE, useFactory: createAttachmentStore, inject: [APP_CONFIG] }],
      exports: [ATTACHMENT_STORE],
    };
  }
}
