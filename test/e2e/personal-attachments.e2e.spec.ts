import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PERSONAL_DATA_KEY_STORE, type PersonalDataKeyStore } from '../../src/sealing/key-store';
import { SUBJECTS } from '../../src/sealing/subjects';
import { verifyEvidenceBundle } from '../../src/evidence/verify/bundle.verify';
import { actors, recordSeizureCommand } from '../support/custody-fixtures';
import { startE2eApp, type E2eApp } from '../support/e2e-app';
import { rawBytes } from '../support/binary-body';
import { filesHolding } from '../support/marker-scan';

jest.setTimeout(60_000);

/** Every file of the data dir, SQLite WAL and shared-memory files, temporary and key files included. */
const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));

describe('personal attachments (e2e, SQLite): an ID scan encrypted under its subject key, gone with the erasure', () => {
  let e2e: E2eApp;
  let seizureId: string;
  const MARKER = 'IDSCAN-MARK-Ramesh-Kumar-EPIC-XYZ7654321';
  // A JPEG by its magic number, the marker inside, bigger than one encryption chunk.
  const scan = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(70_000), Buffer.from(MARKER), randomBytes(3000)]);
  const sha256 = createHash('sha256').update(scan).digest('hex');
  const as = (actor: (typeof actors)[keyof typeof actors]): string => `Bearer ${e2e.tokenFor(actor)}`;

  const upload = (body: Buffer, query: string) =>
    e2e
      .http()
      .post(`/seizures/${seizureId}/attachments?fileName=id-scan.jpg${query}`)
      .set('Authorization', as(actors.flyingSquad))
      .set('Content-Type', 'image/jpeg')
      .send(body);
  const download = (actor: (typeof actors)[keyof typeof actors]) =>
    e2e.http().get(`/seizures/${seizureId}/attachments/${sha256}`).set('Authorization', as(actor)).buffer(true).parse(rawBytes);
  const holdingMarker = (): string[] => filesHolding(MARKER, filesUnder(e2e.config.dataDir));

  beforeAll(async () => {
    e2e = await startE2eApp();
    seizureId = randomUUID();
    await e2e
      .http()
      .post('/seizures')
      .set('Authorization', as(actors.flyingSquad))
      .send(recordSeizureCommand({ seizureId }).data)
      .expect(201);
  });
  afterAll(async () => {
    await e2e.close();
  });

  it('stores the scan encrypted, records the subject and key beside the plaintext SHA-256, and gives the officer the original bytes', async () => {
    const response = await upload(scan, '&personalDataOf=seized-from').expect(200);
    expect(response.body).toMatchObject({ sha256, events: [{ type: 'AttachmentAdded' }] });
    // The bytes on disk are not the plaintext: the marker is in no file of the data dir.
    expect(holdingMarker()).toEqual([]);

    const trail = await e2e.http().get(`/seizures/${seizureId}/events`).set('Authorization', as(actors.court)).expect(200);
    const added = trail.body.events.find((e: { type: string }) => e.type === 'AttachmentAdded');
    const keyId = (await e2e.app.get<PersonalDataKeyStore>(PERSONAL_DATA_KEY_STORE).keyFor(seizureId, SUBJECTS.seizedFrom)).keyId;
    expect(added.data).toEqual({
      sha256,
      sizeBytes: scan.length,
      mediaType: 'image/jpeg',
      fileName: 'id-scan.jpg',
      description: '',
      personalDataOf: 'seized-from',
      contentKeyId: keyId,
    });

    const asOfficer = await download(actors.flyingSquad).expect(200);
    expect(Buffer.compare(asOfficer.body as Buffer, scan)).toBe(0);
    expect(asOfficer.headers['repr-digest']).toBe(`sha-256=:${Buffer.from(sha256, 'hex').toString('base64')}:`);
    expect(asOfficer.headers['cache-control']).toBe('no-store');
    expect(asOfficer.headers['content-length']).toBe(String(scan.length));
  });

  it('withholds the content from roles without personal-data access', async () => {
    const refused = await download(actors.treasuryOfficer).expect(403);
    expect(JSON.parse((refused.body as Buffer).toString('utf8'))).toMatchObject({
      type: expect.stringMatching(/personal-attachment-withheld$/),
    });
  });

  it('never keeps the same bytes in clear too, and refuses a subject outside the vocabulary', async () => {
    const before = await e2e.lastPosition();
    const inClear = await upload(scan, '').expect(409);
    expect(JSON.parse(inClear.text).type).toMatch(/attachment-is-personal-data$/);
    // Unmarked content is kept as sent: the scan below finds a marker in it (so it can find one).
    const photo = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('SEAL-PHOTO-MARK'), randomBytes(500)]);
    await upload(photo, '').expect(200);
    expect(filesHolding('SEAL-PHOTO-MARK', filesUnder(e2e.config.dataDir))).toHaveLength(1);
    const alreadyClear = await upload(photo, '&personalDataOf=witness-1').expect(409);
    expect(JSON.parse(alreadyClear.text).type).toMatch(/attachment-stored-in-clear$/);
    const bad = await upload(scan, '&personalDataOf=Ramesh').expect(400);
    expect(bad.text).toContain('personalDataOf');
    await upload(scan, '&personalDataOf=free-text').expect(400);
    // Only the photo in clear was recorded.
    expect(await e2e.lastPosition()).toBe(before + 1);
    expect(holdingMarker()).toEqual([]);
  });

  it("keeps the bundle's entry free of the content, and the bundle verifies", async () => {
    const bundle = await e2e.http().get(`/seizures/${seizureId}/evidence`).set('Authorization', as(actors.court)).expect(200);
    const entry = bundle.body.events.find((e: { type: string; data: { sha256?: string } }) => e.data.sha256 === sha256);
    expect(Object.keys(entry.data).sort()).toEqual([
      'contentKeyId',
      'description',
      'fileName',
      'mediaType',
      'personalDataOf',
      'sha256',
      'sizeBytes',
    ]);
    expect(bundle.text).not.toContain(MARKER);
    expect(bundle.text).not.toContain(scan.subarray(4, 40).toString('base64'));
    const key = await e2e.http().get('/evidence/public-key').expect(200);
    const report = verifyEvidenceBundle(bundle.body, { publicKey: Uint8Array.from(Buffer.from(key.body.publicKey, 'base64')) });
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
  });

  it('answers 410 naming the erasure once the subject key is destroyed, and the marker is nowhere in the data dir', async () => {
    const keys = e2e.app.get<PersonalDataKeyStore>(PERSONAL_DATA_KEY_STORE);
    const tombstone = await keys.destroy(seizureId, SUBJECTS.seizedFrom);
    expect(tombstone).toBeDefined();

    const gone = await download(actors.flyingSquad).expect(410);
    expect(gone.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = JSON.parse((gone.body as Buffer).toString('utf8'));
    expect(problem).toMatchObject({
      type: expect.stringMatching(/personal-data-erased$/),
      status: 410,
      erasure: { subject: 'seized-from', keyId: tombstone?.keyId, destroyedAt: tombstone?.destroyedAt, reason: 'erased' },
    });
    expect(problem.detail).toContain(tombstone?.destroyedAt);
    expect(holdingMarker()).toEqual([]);
    // The ledger keeps the SHA-256 the court compares against.
    const trail = await e2e.http().get(`/seizures/${seizureId}/events`).set('Authorization', as(actors.court)).expect(200);
    expect(trail.body.events.some((e: { data: { sha256?: string } }) => e.data.sha256 === sha256)).toBe(true);
  });
});
