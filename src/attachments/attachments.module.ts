import { join } from 'node:path';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { PERSONAL_DATA_KEY_STORE, type PersonalDataKeyStore } from '../sealing/key-store';
import { ATTACHMENT_STORE, AttachmentStore } from './attachment-store';
import { FileAttachmentStore } from './file/file-attachment-store';
import { ContentIsPersonalDataError, PERSONAL_ATTACHMENT_STORE, type PersonalAttachmentStore } from './personal-attachment-store';
import { FilePersonalAttachmentStore, holdsPersonalContent } from './personal/file-personal-attachment-store';

/** Attachment content lives next to the ledger, in the data dir that start-up has checked is writable. */
export const ATTACHMENTS_DIRNAME = 'attachments';
/** Personal attachments, encrypted, apart from the clear ones. */
export const PERSONAL_ATTACHMENTS_DIRNAME = 'personal-attachments';

export interface AttachmentStores {
  clear: AttachmentStore;
  /** Null without a key store: personal attachments are then refused. */
  personal: PersonalAttachmentStore | null;
}

/**
 * The one place that decides which adapters back the attachment ports. Each store refuses a
 * content the other holds: a file once marked personal is never also kept in clear.
 */
export function createAttachmentStores(config: Pick<AppConfig, 'dataDir'>, keys: PersonalDataKeyStore | null = null): AttachmentStores {
  const personalRoot = join(config.dataDir, PERSONAL_ATTACHMENTS_DIRNAME);
  const clear = new FileAttachmentStore(join(config.dataDir, ATTACHMENTS_DIRNAME), {
    // Needs no key: the personal store's folders tell which contents it holds.
    admit: async (sha256) => {
      if (await holdsPersonalContent(personalRoot, sha256)) throw new ContentIsPersonalDataError(sha256);
    },
  });
  const personal = keys && new FilePersonalAttachmentStore(personalRoot, keys, (sha256) => clear.has(sha256));
  return { clear, personal };
}

const ATTACHMENT_STORES = Symbol('AttachmentStores');

/** The ATTACHMENT_STORE and PERSONAL_ATTACHMENT_STORE ports: build it once and import that module wherever a store is injected. */
@Module({})
export class AttachmentsModule {
  /** Over the app's ConfigModule.forRoot(…), whose data dir holds the content, and its SealingModule.forRoot(…) for personal content. */
  static forRoot(config: DynamicModule, sealing?: DynamicModule): DynamicModule {
    return {
      module: AttachmentsModule,
      imports: [config, ...(sealing ? [sealing] : [])],
      providers: [
        sealing
          ? {
              provide: ATTACHMENT_STORES,
              useFactory: (appConfig: AppConfig, keys: PersonalDataKeyStore) => createAttachmentStores(appConfig, keys),
              inject: [APP_CONFIG, PERSONAL_DATA_KEY_STORE],
            }
          : { provide: ATTACHMENT_STORES, useFactory: (appConfig: AppConfig) => createAttachmentStores(appConfig), inject: [APP_CONFIG] },
        { provide: ATTACHMENT_STORE, useFactory: (stores: AttachmentStores) => stores.clear, inject: [ATTACHMENT_STORES] },
        { provide: PERSONAL_ATTACHMENT_STORE, useFactory: (stores: AttachmentStores) => stores.personal, inject: [ATTACHMENT_STORES] },
      ],
      exports: [ATTACHMENT_STORE, PERSONAL_ATTACHMENT_STORE],
    };
  }
}
