import { createHash, randomUUID } from 'node:crypto';
import { actors, recordSeizureCommand } from '../support/custody-fixtures';
import { startE2eApp, type E2eApp } from '../support/e2e-app';
import { rawBytes } from '../support/binary-body';

const LIMIT = 64 * 1024;

describe('seizure attachments (e2e, SQLite + content store)', () => {
  let e2e: E2eApp;
  let seizureId: string;
  const photo = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(20_000, 7)]);
  const sha256 = createHash('sha256').update(photo).digest('hex');

  beforeAll(async () => {
    e2e = await startE2eApp({ env: { ATTACHMENT_MAX_BYTES: String(LIMIT) } });
    seizureId = randomUUID();
    await e2e
      .http()
      .post('/seizures')
      .set('Authorization', `Bearer ${e2e.tokenFor(actors.flyingSquad)}`)
      .send(recordSeizureCommand({ seizureId }).data)
      .expect(201);
  });
  afterAll(async () => {
    await e2e.close();
  });

  const upload = (
    actor: (typeof actors)[keyof typeof actors],
    body: Buffer,
    type = 'image/jpeg',
    query = '?fileName=seal%20S-1001.jpg&description=seal%20before%20transfer',
  ) =>
    e2e
      .http()
      .post(`/seizures/${seizureId}/attachments${query}`)
      .set('Authorization', `Bearer ${e2e.tokenFor(actor)}`)
      .set('Content-Type', type)
      .send(body);

  it('stores the bytes by SHA-256, records the event, and serves the same bytes back with their digest', async () => {
    const response = await upload(actors.flyingSquad, photo).expect(200);
    expect(response.body).toMatchObject({ sha256, events: [{ type: 'AttachmentAdded' }] });

    const trail = await e2e
      .http()
      .get(`/seizures/${seizureId}/events`)
      .set('Authorization', `Bearer ${e2e.tokenFor(actors.court)}`)
      .expect(200);
    const added = trail.body.events.find((e: { type: string }) => e.type === 'AttachmentAdded');
    expect(added.data).toEqual({
      sha256,
      sizeBytes: photo.length,
      mediaType: 'image/jpeg',
      fileName: 'seal S-1001.jpg',
      description: 'seal before transfer',
    });
    expect(added.metadata.actor.sub).toBe(actors.flyingSquad.sub);

    const download = await e2e
      .http()
      .get(`/seizures/${seizureId}/attachments/${sha256}`)
      .set('Authorization', `Bearer ${e2e.tokenFor(actors.treasuryOfficer)}`)
      .buffer(true)
      .parse(rawBytes)
      .expect(200);
    expect(Buffer.compare(download.body as Buffer, photo)).toBe(0);
    expect(download.headers['content-type']).toBe('image/jpeg');
    expect(download.headers['repr-digest']).toBe(`sha-256=:${Buffer.from(sha256, 'hex').toString('base64')}:`);
    // The file name is free text that may name a person: the treasury gets one made of the hash.
    expect(download.headers['content-disposition']).toBe(`attachment; filename="${sha256}.jpg"; filename*=UTF-8''${sha256}.jpg`);
    expect(download.headers.etag).toBe(`"${sha256}-r"`);
    const asOfficer = await e2e
      .http()
      .get(`/seizures/${seizureId}/attachments/${sha256}`)
      .set('Authorization', `Bearer ${e2e.tokenFor(actors.flyingSquad)}`)
      .buffer(true)
      .parse(rawBytes)
      .expect(200);
    expect(asOfficer.headers['content-disposition']).toContain("filename*=UTF-8''seal%20S-1001.jpg");
    expect(asOfficer.headers.etag).toBe(`"${sha256}"`);
  });

  it('refuses unsupported types, oversize content, a missing file name, other districts and unknown seizures, appending nothing', async () => {
    const before = await e2e.lastPosition();
    await upload(actors.flyingSquad, photo, 'text/html').expect(415);
    // A JPEG by its magic number, so that only its size is at fault.
    const tooBig = await upload(actors.flyingSquad, Buffer.concat([photo.subarray(0, 4), Buffer.alloc(LIMIT - 3, 1)])).expect(413);
    expect(tooBig.body.detail).toContain(String(LIMIT));
    await upload(actors.flyingSquad, photo, 'image/jpeg', '').expect(400);
    await upload(actors.flyingSquad, photo, 'image/jpeg', '?fileName=..%2F..%2Fetc%2Fpasswd').expect(400);
    await upload(actors.outOfDistrict, photo).expect(403);
    await upload(actors.auditor, photo).expect(403);
    await e2e
      .http()
      .post(`/seizures/${randomUUID()}/attachments?fileName=a.jpg`)
      .set('Authorization', `Bearer ${e2e.tokenFor(actors.flyingSquad)}`)
      .set('Content-Type', 'image/jpeg')
      .send(photo)
      .expect(404);
    expect(await e2e.lastPosition()).toBe(before);
  });

  it('serves only attachments recorded on this seizure', async () => {
    const other = 'b'.repeat(64);
    await e2e
      .http()
      .get(`/seizures/${seizureId}/attachments/${other}`)
      .set('Authorization', `Bearer ${e2e.tokenFor(actors.flyingSquad)}`)
      .expect(404);
    await e2e
      .http()
      .get(`/seizures/${seizureId}/attachments/..%2F..%2Fjwt-secret`)
      .set('Authorization', `Bearer ${e2e.tokenFor(actors.flyingSquad)}`)
      .expect(404);
    await e2e
      .http()
      .get(`/seizures/${seizureId}/attachments/${sha256}`)
      .set('Authorization', `Bearer ${e2e.tokenFor(actors.outOfDistrict)}`)
      .expect(403);
  });
});
