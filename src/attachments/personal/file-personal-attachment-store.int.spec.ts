import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { FixedClock } from '../../shared/clock';
import { loadKek } from '../../sealing/kek-source';
import { KEY_STORE_FILENAME } from '../../sealing/sealing.module';
import { SqliteKeyStore } from '../../sealing/sqlite/sqlite-key-store';
import { SUBJECTS } from '../../sealing/subjects';
import { AttachmentIntegrityError, AttachmentTooLargeError, type AttachmentStore } from '../attachment-store';
import { ATTACHMENTS_DIRNAME, PERSONAL_ATTACHMENTS_DIRNAME, createAttachmentStores } from '../attachments.module';
import {
  ContentIsPersonalDataError,
  PersonalContentStoredInClearError,
  type OpenedPersonalAttachment,
  type PersonalAttachmentStore,
} from '../personal-attachment-store';
import { CHUNK_BYTES } from './attachment-cipher';

const SEIZURE_A = '5d1c0a52-3b7e-4f4e-9a61-0c2b8e7d9f10';
const SEIZURE_B = '5d1c0a52-3b7e-4f4e-9a61-0c2b8e7d9f11';
const MAX = 1024 * 1024;
const MARKER = 'ID-SCAN-Sunita-Devi-VOTER-ID-ABC1234567';

/** Every file under the folder, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

async function readAll(opened: OpenedPersonalAttachment): Promise<Buffer> {
  if (opened.status !== 'available') throw new Error(`expected the content, got ${opened.status}`);
  const chunks: Buffer[] = [];
  for await (const chunk of opened.stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('FilePersonalAttachmentStore (real files, real SQLite key store)', () => {
  let dataDir: string;
  let keys: SqliteKeyStore;
  let clear: AttachmentStore;
  let personal: PersonalAttachmentStore;
  // Bigger than a chunk, so that a record boundary falls inside it; the marker sits in the middle.
  const scan = Buffer.concat([randomBytes(CHUNK_BYTES - 10), Buffer.from(MARKER), randomBytes(5000)]);
  const sha256 = createHash('sha256').update(scan).digest('hex');
  const personalRoot = (): string => join(dataDir, PERSONAL_ATTACHMENTS_DIRNAME);

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'ledger-personal-attachments-'));
    keys = SqliteKeyStore.open({
      filename: join(dataDir, KEY_STORE_FILENAME),
      kek: loadKek({}, dataDir),
      clock: new FixedClock('2024-04-20T06:00:00.000Z'),
    });
    const stores = createAttachmentStores({ dataDir }, keys);
    clear = stores.clear;
    personal = stores.personal as PersonalAttachmentStore;
  });
  afterEach(async () => {
    await keys.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stores ciphertext only, under the subject key, read-only, and gives back the plaintext', async () => {
    const stored = await personal.put(
      { seizureId: SEIZURE_A, subject: SUBJECTS.seizedFrom },
      Readable.from([scan.subarray(0, 1000), scan.subarray(1000)]),
      {
        maxBytes: MAX,
      },
    );
    expect(stored).toEqual({ sha256, sizeBytes: scan.length, keyId: (await keys.keyFor(SEIZURE_A, SUBJECTS.seizedFrom)).keyId });

    const files = filesUnder(personalRoot());
    expect(files).toEqual([join(personalRoot(), sha256.slice(0, 2), sha256.slice(2, 4), sha256, stored.keyId)]);
    expect(statSync(files[0]).mode & 0o777).toBe(0o400);
    expect(filesUnder(dataDir).filter((f) => readFileSync(f).includes(Buffer.from(MARKER)))).toEqual([]);

    const opened = await personal.open({ seizureId: SEIZURE_A, subject: SUBJECTS.seizedFrom, sha256, keyId: stored.keyId });
    expect(opened.status === 'available' && opened.sizeBytes).toBe(scan.length);
    expect((await readAll(opened)).equals(scan)).toBe(true);
    await expect(personal.holds(sha256)).resolves.toBe(true);
  });

  it('keeps one file per key: two subjects, two seizures, two ciphertexts; the same owner twice, one', async () => {
    const put = (seizureId: string, subject = SUBJECTS.seizedFrom) => personal.put({ seizureId, subject }, scan, { maxBytes: MAX });
    const first = await put(SEIZURE_A);
    const again = await put(SEIZURE_A);
    const witness = await put(SEIZURE_A, SUBJECTS.witness(1));
    const otherSeizure = await put(SEIZURE_B);

    expect(again.keyId).toBe(first.keyId);
    expect(new Set([first.keyId, witness.keyId, otherSeizure.keyId]).size).toBe(3);
    const files = filesUnder(personalRoot()).filter((f) => !f.includes('incoming'));
    expect(files).toHaveLength(3);
    const bodies = files.map((f) => readFileSync(f));
    expect(bodies[0].equals(bodies[1]) || bodies[1].equals(bodies[2]) || bodies[0].equals(bodies[2])).toBe(false);
    // Nothing left over in the incoming folder.
    expect(readdirSync(join(personalRoot(), 'incoming'))).toEqual([]);
  });

  it('answers with the tombstone once the subject key is destroyed, and other subjects stay readable', async () => {
    const seized = await personal.put({ seizureId: SEIZURE_A, subject: SUBJECTS.seizedFrom }, scan, { maxBytes: MAX });
    const witness = await personal.put({ seizureId: SEIZURE_A, subject: SUBJECTS.witness(1) }, scan, { maxBytes: MAX });
    const tombstone = await keys.destroy(SEIZURE_A, SUBJECTS.seizedFrom);

    const gone = await personal.open({ seizureId: SEIZURE_A, subject: SUBJECTS.seizedFrom, sha256, keyId: seized.keyId });
    expect(gone).toEqual({ status: 'erased', tombstone });
    const kept = await personal.open({ seizureId: SEIZURE_A, subject: SUBJECTS.witness(1), sha256, keyId: witness.keyId });
    expect((await readAll(kept)).equals(scan)).toBe(true);
  });

  it('fails the stream when the stored ciphertext was altered, or opened as another owner', async () => {
    const stored = await personal.put({ seizureId: SEIZURE_A, subject: SUBJECTS.seizedFrom }, scan, { maxBytes: MAX });
    const asWitness = await personal.open({ seizureId: SEIZURE_A, subject: SUBJECTS.witness(1), sha256, keyId: stored.keyId });
    await expect(readAll(asWitness)).rejects.toThrow(/does not authenticate/);

    const [file] = filesUnder(personalRoot()).filter((f) => f.endsWith(stored.keyId));
    chmodSync(file, 0o600);
    const bytes = readFileSync(file);
    bytes[bytes.length - 30] ^= 0xff;
    writeFileSync(file, bytes);
    const altered = await personal.open({ seizureId: SEIZURE_A, subject: SUBJECTS.seizedFrom, sha256, keyId: stored.keyId });
    await expect(readAll(altered)).rejects.toThrow(/does not authenticate/);
    // A new upload of the same content does not paper over the altered copy.
    await expect(personal.put({ seizureId: SEIZURE_A, subject: SUBJECTS.seizedFrom }, scan, { maxBytes: MAX })).rejects.toBeInstanceOf(
      AttachmentIntegrityError,
    );
  });

  it('reports a missing file as missing', async () => {
    const key = await keys.keyFor(SEIZURE_A, SUBJECTS.seizedFrom);
    await expect(personal.open({ seizureId: SEIZURE_A, subject: SUBJECTS.seizedFrom, sha256, keyId: key.keyId })).resolves.toEqual({
      status: 'missing',
    });
  });

  it('refuses content over the limit, leaving nothing behind', async () => {
    await expect(
      personal.put({ seizureId: SEIZURE_A, subject: SUBJECTS.seizedFrom }, Readable.from([scan]), { maxBytes: scan.length - 1 }),
    ).rejects.toBeInstanceOf(AttachmentTooLargeError);
    expect(filesUnder(personalRoot())).toEqual([]);
  });

  it('never keeps one content both in clear and encrypted, whichever came first', async () => {
    await personal.put({ seizureId: SEIZURE_A, subject: SUBJECTS.seizedFrom }, scan, { maxBytes: MAX });
    await expect(clear.put(scan, { maxBytes: MAX })).rejects.toBeInstanceOf(ContentIsPersonalDataError);
    expect(filesUnder(join(dataDir, ATTACHMENTS_DIRNAME))).toEqual([]);

    const photo = Buffer.from(`seal photo ${MARKER}`);
    const inClear = await clear.put(photo, { maxBytes: MAX });
    await expect(personal.put({ seizureId: SEIZURE_A, subject: SUBJECTS.seizedFrom }, photo, { maxBytes: MAX })).rejects.toBeInstanceOf(
      PersonalContentStoredInClearError,
    );
    await expect(personal.holds(inClear.sha256)).resolves.toBe(false);
  });
});
