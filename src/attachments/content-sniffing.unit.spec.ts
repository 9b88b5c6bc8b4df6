import { PassThrough, Readable } from 'node:stream';
import { AttachmentContentMismatchError, requireDeclaredType, SNIFF_BYTES, sniffMediaType } from './content-sniffing';

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0]);

async function drain(content: Readable | Buffer): Promise<Buffer> {
  if (Buffer.isBuffer(content)) return content;
  const chunks: Buffer[] = [];
  for await (const chunk of content) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A stream of the bytes in small chunks, so the sniffed head spans many of them. */
const chunked = (bytes: Buffer, size = 97): Readable =>
  Readable.from(
    Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size)),
    { objectMode: false },
  );

describe('requireDeclaredType', () => {
  it('tells types by their magic number', async () => {
    expect(await sniffMediaType(Buffer.concat([JPEG, Buffer.alloc(16)]))).toBe('image/jpeg');
    expect(await sniffMediaType(Buffer.from('<html><body>hi</body></html>'))).toBeUndefined();
  });

  it('gives back every byte, in order, whether the content is shorter or longer than the head it reads', async () => {
    for (const length of [8, SNIFF_BYTES - 1, SNIFF_BYTES, SNIFF_BYTES + 1, 50_000]) {
      const bytes = Buffer.concat([JPEG, Buffer.from(Array.from({ length: length - 4 }, (_, i) => i % 251))]);
      const content = await requireDeclaredType(chunked(bytes), 'image/jpeg');
      const back = await drain(content);
      expect([length, back.length, Buffer.compare(back, bytes)]).toEqual([length, length, 0]);
    }
  });

  it('refuses content of another type, naming both', async () => {
    const attempt = requireDeclaredType(chunked(Buffer.concat([JPEG, Buffer.alloc(5000)])), 'image/png');
    await expect(attempt).rejects.toThrow(AttachmentContentMismatchError);
    await expect(attempt).rejects.toMatchObject({ declared: 'image/png', detected: 'image/jpeg' });
  });

  it('fails, rather than waiting for ever, when the upload is cut short before the head', async () => {
    const stream = new PassThrough();
    const attempt = requireDeclaredType(stream, 'image/jpeg');
    stream.write(JPEG);
    stream.destroy();
    await expect(attempt).rejects.toThrow(/closed before its end/);
  });
});
