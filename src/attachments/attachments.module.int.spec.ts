import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Test } from '@nestjs/testing';
import { testAuthConfig } from '../auth/auth.test-support';
import { AppConfig, CONFIG_DEFAULTS } from '../config/app-config';
import { ConfigModule } from '../config/config.module';
import { ATTACHMENT_STORE, AttachmentStore } from './attachment-store';
import { ATTACHMENTS_DIRNAME, AttachmentsModule } from './attachments.module';
import { FileAttachmentStore } from './file/file-attachment-store';

describe('AttachmentsModule', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'ledger-attachments-module-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('provides a file store under <dataDir>/attachments', async () => {
    const config: AppConfig = { ...CONFIG_DEFAULTS, auth: testAuthConfig(), dataDir };
    const moduleRef = await Test.createTestingModule({
      imports: [AttachmentsModule.forRoot(ConfigModule.forRoot(config))],
    }).compile();

    const store = moduleRef.get<AttachmentStore>(ATTACHMENT_STORE);
    expect(store).toBeInstanceOf(FileAttachmentStore);

    const { sha256 } = await store.put(Buffer.from('seizure memo, page 1'), { maxBytes: 1024 });
    // Read back through a store opened directly on the documented folder.
    await expect(new FileAttachmentStore(join(dataDir, ATTACHMENTS_DIRNAME)).has(sha256)).resolves.toBe(true);
    await moduleRef.close();
  });
});
