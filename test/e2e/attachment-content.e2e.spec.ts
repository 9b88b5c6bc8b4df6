import { createHash, randomUUID } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import { ATTACHMENT_STORE, type AttachmentStore } from '../../src/attachments/attachment-store';
import { actors, recordSeizureCommand } from '../support/custody-fixtures';
import { rawBytes } from '../support/binary-body';
import { startE2eApp, type E2eApp } from '../support/e2e-app';

/** One PNG chunk: length, type, data, CRC-32 of type and data. */
function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed) >>> 0);
  return Buffer.concat([length, typed, crc]);
}

/** A real, decodable greyscale PNG; `side` pixels square, noisy so the image data stays large. */
function png(side: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(side, 0);
  header.writeUInt32BE(side, 4);
  header.set([8, 0, 0, 0, 0], 8);
  const rows: Buffer[] = [];
  for (let y = 0; y < side; y++)
    rows.push(Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: side }, (_, x) => (x * 31 + y * 17) ^ (x * y)))]));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(Buffer.concat(rows), { level: 0 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

const sha256Of = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
const html = (size: number): Buffer => {
  const page = Buffer.from('<!DOCTYPE html><html><body><script>alert(document.cookie)</script>');
  return Buffer.concat([page, Buffer.alloc(Math.max(0, size - page.length), 0x20)]);
};

/** The bytes of an attachment must be what its Content-Type says; downloads cannot run as pages. */
describe('attachment content and download headers (e2e)', () => {
  let e2e: E2eApp;
  let attachments: AttachmentStore;
  const seizureId = randomUUID();

  beforeAll(async () => {
    e2e = await startE2eApp();
    attachments = e2e.app.get<AttachmentStore>(ATTACHMENT_STORE);
    await e2e
      .http()
      .post('/seizures')
      .set('Authorization', `Bearer ${e2e.tokenFor(actors.flyingSquad)}`)
      .send(recordSeizureCommand({ seizureId, memoNumber: 'M-ATT-TYPE' }).data)
      .expect(201);
  });
  afterAll(async () => {
    await e2e.close();
  });

  const upload = (body: Buffer, type: string, fileName = 'seal.png') =>
    e2e
      .http()
      .post(`/seizures/${seizureId}/attachments?fileName=${encodeURIComponent(fileName)}`)
      .set('Authorization', `Bearer ${e2e.tokenFor(actors.flyingSquad)}`)
      .set('Content-Type', type)
      .send(body);
  const download = (sha256: string) =>
    e2e
      .http()
      .get(`/seizures/${seizureId}/attachments/${sha256}`)
      .set('Authorization', `Bearer ${e2e.tokenFor(actors.flyingSquad)}`)
      .buffer(true)
      .parse(rawBytes);

  it.each([
    ['HTML declared as image/png (short)', html(300), 'image/png', undefined],
    ['HTML declared as image/png (longer than the sniffed head)', html(50_000), 'image/png', undefined],
    ['a PNG declared as image/jpeg', png(8), 'image/jpeg', 'image/png'],
    ['an empty body declared as image/png', Buffer.alloc(0), 'image/png', undefined],
  ])('refuses %s with 415, storing and appending nothing', async (_name, body, type, detected) => {
    const before = await e2e.lastPosition();
    const response = await upload(body, type).expect(415);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.type).toMatch(/\/attachment-content-mismatch$/);
    expect(response.body.detail).toContain(type);
    if (detected) expect(response.body.detail).toContain(detected);
    expect(await e2e.lastPosition()).toBe(before);
    expect(await attachments.has(sha256Of(body))).toBe(false);
  });

  it.each([
    ['a small PNG', png(4), 'image/png'],
    ['a PNG larger than the sniffed head', png(200), 'image/png'],
    ['a JPEG', Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xdb]), Buffer.alloc(9_000, 3)]), 'image/jpeg'],
  ])('accepts %s and serves back exactly its bytes', async (_name, body, type) => {
    const response = await upload(body, type).expect(200);
    expect(response.body.sha256).toBe(sha256Of(body));
    const served = await download(sha256Of(body)).expect(200);
    expect(Buffer.compare(served.body as Buffer, body)).toBe(0);
    expect(served.headers['content-type']).toBe(type);
  });

  it('serves downloads as attachments that cannot be sniffed or run, with the name safely encoded', async () => {
    const body = png(16);
    const fileName = 'सील "S-1" (front)\'s;%.png';
    await upload(body, 'image/png', fileName).expect(200);
    const served = await download(sha256Of(body)).expect(200);

    expect(served.headers['x-content-type-options']).toBe('nosniff');
    expect(served.headers['content-security-policy']).toBe('sandbox');
    expect(served.headers['content-disposition']).toBe(
      `attachment; filename="___ _S-1_ (front)'s;_.png"; ` +
        `filename*=UTF-8''%E0%A4%B8%E0%A5%80%E0%A4%B2%20%22S-1%22%20%28front%29%27s%3B%25.png`,
    );
    // The exact name comes back from the RFC 8187 form.
    const encoded = /filename\*=UTF-8''(.+)$/.exec(String(served.headers['content-disposition']))?.[1] ?? '';
    expect(decodeURIComponent(encoded)).toBe(fileName);
  });
});
