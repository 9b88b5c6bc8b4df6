import { createHash, createSecretKey, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  AttachmentCipherError,
  CHUNK_BYTES,
  HEADER_BYTES,
  RECORD_OVERHEAD,
  openAttachmentBytes,
  openingStream,
  plaintextSizeOf,
  sealAttachmentBytes,
  type AttachmentCipherContext,
} from './attachment-cipher';

const sha256Of = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

describe('personal attachment cipher (seizure-ledger-pd-attachment/1)', () => {
  const context: AttachmentCipherContext = {
    seizureId: '0b6a3f7e-8a1c-4e55-9d5c-3f1e2d4c5b6a',
    subject: 'seized-from',
    keyId: 'key-1',
    key: createSecretKey(randomBytes(32)),
  };
  // Three full chunks and a part: records are cut, ordered and bound across chunk boundaries.
  const scan = Buffer.concat([Buffer.from('ID-SCAN-Ramesh-Kumar-AADHAAR-1234'), randomBytes(3 * CHUNK_BYTES + 100)]);
  const sha256 = sha256Of(scan);

  it('round-trips, and the file holds none of the plaintext', () => {
    const sealed = sealAttachmentBytes(scan, context);
    expect(sealed.sha256).toBe(sha256);
    expect(sealed.file.includes(Buffer.from('ID-SCAN-Ramesh'))).toBe(false);
    expect(sealed.file.length).toBe(HEADER_BYTES + scan.length + 4 * RECORD_OVERHEAD);
    expect(plaintextSizeOf(sealed.file.length)).toBe(scan.length);
    expect(openAttachmentBytes(sealed.file, { ...context, sha256 }).equals(scan)).toBe(true);
  });

  it.each([0, 1, CHUNK_BYTES - 1, CHUNK_BYTES, CHUNK_BYTES + 1, 2 * CHUNK_BYTES])('round-trips %i bytes and knows their size', (size) => {
    const content = randomBytes(size);
    const { file } = sealAttachmentBytes(content, context);
    expect(plaintextSizeOf(file.length)).toBe(size);
    expect(openAttachmentBytes(file, { ...context, sha256: sha256Of(content) }).equals(content)).toBe(true);
  });

  it('gives the same plaintext through the stream, however the file is cut into pieces', async () => {
    const { file } = sealAttachmentBytes(scan, context);
    const pieces = [7, 20, 1000, CHUNK_BYTES + 3].reduce<{ at: number; parts: Buffer[] }>(
      ({ at, parts }, length) => ({ at: at + length, parts: [...parts, file.subarray(at, at + length)] }),
      { at: 0, parts: [] },
    );
    const parts = [...pieces.parts, file.subarray(pieces.at)];
    const chunks: Buffer[] = [];
    for await (const chunk of Readable.from(parts).pipe(openingStream({ ...context, sha256 }))) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(scan)).toBe(true);
  });

  describe('refuses', () => {
    const { file } = sealAttachmentBytes(scan, context);
    const open = (bytes: Buffer, overrides: Partial<AttachmentCipherContext & { sha256: string }> = {}): Buffer =>
      openAttachmentBytes(bytes, { ...context, sha256, ...overrides });
    const flipped = (at: number): Buffer => {
      const copy = Buffer.from(file);
      copy[at] ^= 0x01;
      return copy;
    };

    it.each([
      ['a ciphertext byte', HEADER_BYTES + 12 + 5],
      ['a byte of the last record', file.length - 20],
      ['a tag byte', HEADER_BYTES + 12 + CHUNK_BYTES],
      ['a nonce byte', HEADER_BYTES],
      ['the file id', 10],
    ])('a file with %s altered', (_what, at) => {
      expect(() => open(flipped(at))).toThrow(AttachmentCipherError);
    });

    it('a file of another format', () => {
      expect(() => open(flipped(0))).toThrow(/not a seizure-ledger-pd-attachment\/1 file/);
    });

    it.each([
      ['another key', { key: createSecretKey(randomBytes(32)) }],
      ['another seizure', { seizureId: '0b6a3f7e-8a1c-4e55-9d5c-3f1e2d4c5b6b' }],
      ['another subject', { subject: 'witness-1' }],
      ['another key id', { keyId: 'key-2' }],
      ['another recorded digest', { sha256: sha256Of(Buffer.from('another file')) }],
    ])('a file opened with %s', (_what, overrides) => {
      expect(() => open(file, overrides)).toThrow(AttachmentCipherError);
    });

    it('a file cut short, by a whole record or within one', () => {
      const record = CHUNK_BYTES + RECORD_OVERHEAD;
      expect(() => open(file.subarray(0, HEADER_BYTES + 3 * record))).toThrow(AttachmentCipherError);
      expect(() => open(file.subarray(0, file.length - 1))).toThrow(AttachmentCipherError);
      expect(() => open(file.subarray(0, HEADER_BYTES))).toThrow(/cut short/);
    });

    it('records swapped, or taken from another file under the same key', () => {
      const record = CHUNK_BYTES + RECORD_OVERHEAD;
      const first = file.subarray(HEADER_BYTES, HEADER_BYTES + record);
      const second = file.subarray(HEADER_BYTES + record, HEADER_BYTES + 2 * record);
      const swapped = Buffer.concat([file.subarray(0, HEADER_BYTES), second, first, file.subarray(HEADER_BYTES + 2 * record)]);
      expect(() => open(swapped)).toThrow(AttachmentCipherError);

      const other = sealAttachmentBytes(scan, context).file;
      const spliced = Buffer.concat([file.subarray(0, HEADER_BYTES + record), other.subarray(HEADER_BYTES + record)]);
      expect(() => open(spliced)).toThrow(AttachmentCipherError);
    });

    it('through the stream too, before releasing a record that does not open', async () => {
      const stream = Readable.from([flipped(HEADER_BYTES + 12 + CHUNK_BYTES + RECORD_OVERHEAD + 1)]).pipe(
        openingStream({ ...context, sha256 }),
      );
      const released: Buffer[] = [];
      await expect(
        (async () => {
          for await (const chunk of stream) released.push(chunk as Buffer);
        })(),
      ).rejects.toThrow(AttachmentCipherError);
      // At most the first record, which opened, was released (the error may overtake it).
      const out = Buffer.concat(released);
      expect(out.length).toBeLessThanOrEqual(CHUNK_BYTES);
      expect(out.equals(scan.subarray(0, out.length))).toBe(true);
    });
  });

  it('knows which sizes no sealed file has', () => {
    expect(plaintextSizeOf(HEADER_BYTES + RECORD_OVERHEAD - 1)).toBeUndefined();
    expect(plaintextSizeOf(HEADER_BYTES + CHUNK_BYTES + RECORD_OVERHEAD + 1)).toBeUndefined();
    expect(plaintextSizeOf(HEADER_BYTES + RECORD_OVERHEAD)).toBe(0);
  });
});
