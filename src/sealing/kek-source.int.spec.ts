import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Test } from '@nestjs/testing';
import { testAuthConfig } from '../auth/auth.test-support';
import { CONFIG_DEFAULTS, type AppConfig } from '../config/app-config';
import { ConfigModule } from '../config/config.module';
import { GENERATED_KEK_FILE, KekError, loadKek } from './kek-source';
import { PERSONAL_DATA_KEY_STORE, type PersonalDataKeyStore } from './key-store';
import { KEY_STORE_FILENAME, SealingModule } from './sealing.module';
import { SUBJECTS } from './subjects';

describe('the key-encryption key and the sealing module', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-kek-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('generates the KEK into the data dir once (0600) and reads the same one later', () => {
    const first = loadKek({}, dir);
    const second = loadKek({}, dir);

    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(second.kek.export()).toEqual(first.kek.export());
    expect(Buffer.from(readFileSync(join(dir, GENERATED_KEK_FILE), 'utf8').trim(), 'base64')).toEqual(first.kek.export());
    expect(statSync(join(dir, GENERATED_KEK_FILE)).mode & 0o777).toBe(0o600);
    expect(first.source).toBe(`the generated ${join(dir, GENERATED_KEK_FILE)}`);
  });

  it('reads PERSONAL_DATA_KEK_FILE, and names it when its content is not a KEK or it cannot be read', () => {
    const file = join(dir, 'kek');
    const key = randomBytes(32);
    writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600 });
    expect(loadKek({ kekFile: file }, dir).kek.export()).toEqual(key);

    writeFileSync(file, 'not a key\n');
    expect(() => loadKek({ kekFile: file }, dir)).toThrow(
      new KekError(`PERSONAL_DATA_KEK_FILE ${file} must hold the base64 of exactly 32 bytes (e.g. \`openssl rand -base64 32\`)`),
    );
    expect(() => loadKek({ kekFile: join(dir, 'missing') }, dir)).toThrow(/^PERSONAL_DATA_KEK_FILE .*missing cannot be read/);

    chmodSync(file, 0o644);
    expect(() => loadKek({ kekFile: file }, dir)).toThrow(`personal-data key-encryption key ${file} is readable by group and others`);
  });

  it('says to restore a damaged generated KEK rather than silently making a new one', () => {
    writeFileSync(join(dir, GENERATED_KEK_FILE), 'short\n', { mode: 0o600 });
    expect(() => loadKek({}, dir)).toThrow(/restore it from the backup of the data dir, or set PERSONAL_DATA_KEK_FILE/);
  });

  it('provides the key store in the data dir and closes it on shutdown', async () => {
    const config: AppConfig = { ...CONFIG_DEFAULTS, auth: testAuthConfig(), dataDir: dir };
    const moduleRef = await Test.createTestingModule({ imports: [SealingModule.forRoot(ConfigModule.forRoot(config))] }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    const store = app.get<PersonalDataKeyStore>(PERSONAL_DATA_KEY_STORE);
    const key = await store.keyFor('SZ-1', SUBJECTS.seizedFrom);
    await app.close();

    expect(statSync(join(dir, KEY_STORE_FILENAME)).isFile()).toBe(true);
    await expect(store.keyFor('SZ-1', SUBJECTS.seizedFrom)).rejects.toThrow(/not open/);
    const reopened = await Test.createTestingModule({ imports: [SealingModule.forRoot(ConfigModule.forRoot(config))] }).compile();
    const again = reopened.createNestApplication({ logger: false });
    await again.init();
    expect((await again.get<PersonalDataKeyStore>(PERSONAL_DATA_KEY_STORE).keyFor('SZ-1', SUBJECTS.seizedFrom)).keyId).toBe(key.keyId);
    await again.close();
  });
});
