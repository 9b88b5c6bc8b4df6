import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';
import {
  AttachmentIntegrityError,
  AttachmentStoreUnavailableError,
  AttachmentTooLargeError,
  InvalidDigestError,
} from '../attachment-store';
import { FileAttachmentStore, STORED_FILE_MODE } from './file-attachment-store';

const MiB = 1024 * 1024;

const sha256Of = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** A byte stream that hands out `content` in chunks of `chunkSize`, as an upload arrives. */
function streamOf(content: Buffer, chunkSize = 16 * 1024): Readable {
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < content.length; offset += chunkSize) {
    chunks.push(content.subarray(offset, offset + chunkSize));
  }
  return Readable.from(chunks);
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** Every regular file under `dir`, relative to it; temporary files included. */
function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const files: string[] = [];
  const walk = (current: string): void => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) files.push(relative(dir, path));
    }
  };
  walk(dir);
  return files.sort();
}

/** The documented layout, spelled out independently of the store's own code. */
const storedPathOf = (sha256: string): string => join(sha256.slice(0, 2), sha256.slice(2, 4), sha256);

describe('FileAttachmentStore', () => {
  let dir: string;
  let root: string;
  let store: FileAttachmentStore;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-attachments-'));
    root = join(dir, 'attachments');
    store = new FileAttachmentStore(root);
  });
  afterEach(() => {
    // Stored files are read-only; on some platforms that would stop their removal.
    if (statSync(root, { throwIfNoEntry: false })?.isDirectory()) {
      for (const file of listFiles(root)) chmodSync(join(root, file), 0o600);
    }
    rmSync(dir, { recursive: true, force: true });
  });

  describe('put and open', () => {
    it('round-trips a stream: the digest is the SHA-256 of the bytes and open returns them unchanged', async () => {
      const content = randomBytes(300 * 1024 + 7);

      const stored = await store.put(streamOf(content), { maxBytes: MiB });

      expect(stored).toEqual({ sha256: sha256Of(content), sizeBytes: content.length });
      expect(listFiles(root)).toEqual([storedPathOf(stored.sha256)]);
      const opened = await store.open(stored.sha256);
      expect(opened?.sizeBytes).toBe(content.length);
      expect((await readAll(opened!.stream)).equals(content)).toBe(true);
      await expect(store.has(stored.sha256)).resolves.toBe(true);
    });

    it('accepts a Buffer and gives the same digest as the same bytes streamed', async () => {
      const content = Buffer.from('Seal FS-VNS-03/117 intact at 04:10, photographed by the custodian');

      const fromBuffer = await store.put(content, { maxBytes: 1024 });

      expect(fromBuffer).toEqual({ sha256: sha256Of(content), sizeBytes: content.length });
      expect((await readAll((await store.open(fromBuffer.sha256))!.stream)).equals(content)).toBe(true);
    });

    it('stores empty content', async () => {
      const stored = await store.put(Readable.from([]), { maxBytes: 0 });

      expect(stored).toEqual({ sha256: sha256Of(Buffer.alloc(0)), sizeBytes: 0 });
      const opened = await store.open(stored.sha256);
      expect(opened?.sizeBytes).toBe(0);
      opened?.stream.destroy();
    });

    it('reads a source the caller had paused', async () => {
      const content = randomBytes(50_000);
      const source = streamOf(content);
      source.pause();

      await expect(store.put(source, { maxBytes: MiB })).resolves.toEqual({
        sha256: sha256Of(content),
        sizeBytes: content.length,
      });
    });

    it('answers null and false for content it does not hold, without creating anything', async () => {
      const absent = sha256Of(Buffer.from('never stored'));

      await expect(store.open(absent)).resolves.toBeNull();
      await expect(store.has(absent)).resolves.toBe(false);
      await expect(store.verify(absent)).resolves.toEqual({ status: 'missing' });
      expect(existsSync(root)).toBe(false);
    });
  });

  describe('deduplication', () => {
    it('keeps one file for the same content put twice, and leaves no temporary file', async () => {
      const content = randomBytes(64 * 1024);

      const first = await store.put(streamOf(content), { maxBytes: MiB });
      const second = await store.put(content, { maxBytes: MiB });

      expect(second).toEqual(first);
      expect(listFiles(root)).toEqual([storedPathOf(first.sha256)]);
    });

    it('stores concurrent puts of the same content once, and each of them succeeds', async () => {
      const content = randomBytes(256 * 1024);

      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          i % 2 === 0 ? store.put(streamOf(content, 4096 + i), { maxBytes: MiB }) : store.put(content, { maxBytes: MiB }),
        ),
      );

      const expected = { sha256: sha256Of(content), sizeBytes: content.length };
      expect(results).toEqual(Array.from({ length: 8 }, () => expected));
      expect(listFiles(root)).toEqual([storedPathOf(expected.sha256)]);
      expect(readFileSync(join(root, storedPathOf(expected.sha256))).equals(content)).toBe(true);
    });

    it('stores different content side by side', async () => {
      const a = await store.put(Buffer.from('memo page 1'), { maxBytes: 100 });
      const b = await store.put(Buffer.from('memo page 2'), { maxBytes: 100 });

      expect(listFiles(root)).toEqual([storedPathOf(a.sha256), storedPathOf(b.sha256)].sort());
    });
  });

  describe('size limit', () => {
    it('stops a stream past maxBytes, removes its temporary file, and leaves the source undestroyed', async () => {
      // Far longer than the stream reads ahead, so that the rest is still unread when the limit is hit.
      const content = randomBytes(100 * 1024);
      const source = streamOf(content, 1024);

      const put = store.put(source, { maxBytes: 2500 });

      await expect(put).rejects.toBeInstanceOf(AttachmentTooLargeError);
      await expect(put).rejects.toMatchObject({ maxBytes: 2500, code: 'attachment_too_large' });
      expect(listFiles(root)).toEqual([]);
      await expect(store.has(sha256Of(content))).resolves.toBe(false);
      // The caller (an HTTP handler) still owns the request and can answer 413 on it, or drain it.
      expect(source.destroyed).toBe(false);
      expect(source.isPaused()).toBe(true);
      const rest = await readAll(source);
      expect(rest.equals(content.subarray(content.length - rest.length))).toBe(true);
    });

    it('lets an HTTP handler answer 413 on the request it was reading', async () => {
      const server = createServer((req, res) => {
        store.put(req, { maxBytes: 1000 }).then(
          () => res.writeHead(201).end(),
          (error: unknown) => res.writeHead(error instanceof AttachmentTooLargeError ? 413 : 500).end(),
        );
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;

      try {
        const status = await new Promise<number | undefined>((resolve, reject) => {
          const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/' }, (res) => {
            res.resume();
            resolve(res.statusCode);
          });
          req.on('error', reject);
          req.end(randomBytes(100 * 1024));
        });

        expect(status).toBe(413);
        expect(listFiles(root)).toEqual([]);
      } finally {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    });

    it('accepts content of exactly maxBytes', async () => {
      const content = randomBytes(2048);

      await expect(store.put(streamOf(content, 1000), { maxBytes: 2048 })).resolves.toMatchObject({ sizeBytes: 2048 });
    });

    it('refuses an oversized Buffer before creating any file', async () => {
      await expect(store.put(randomBytes(101), { maxBytes: 100 })).rejects.toMatchObject({ maxBytes: 100 });
      expect(existsSync(root)).toBe(false);
    });

    it('rejects a maxBytes that is not a non-negative integer', async () => {
      for (const maxBytes of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
        await expect(store.put(Buffer.from('x'), { maxBytes })).rejects.toBeInstanceOf(RangeError);
      }
    });
  });

  describe('streaming', () => {
    it('stores a 20 MiB stream, writing it to disk as it arrives rather than holding it in memory', async () => {
      const chunkSize = 64 * 1024;
      const chunkCount = (20 * MiB) / chunkSize;
      const pattern = randomBytes(chunkSize);
      const expected = createHash('sha256');
      let bytesOnDiskHalfway = 0;

      // No 20 MiB Buffer is ever built: each chunk is made, hashed by the test and handed over.
      async function* upload(): AsyncGenerator<Buffer> {
        for (let i = 0; i < chunkCount; i++) {
          if (i === chunkCount / 2) {
            const inProgress = listFiles(root);
            expect(inProgress).toHaveLength(1);
            bytesOnDiskHalfway = statSync(join(root, inProgress[0])).size;
          }
          const chunk = Buffer.from(pattern);
          chunk.writeUInt32BE(i, 0);
          expected.update(chunk);
          yield chunk;
        }
      }

      const stored = await store.put(Readable.from(upload()), { maxBytes: 32 * MiB });

      const sha256 = expected.digest('hex');
      expect(stored).toEqual({ sha256, sizeBytes: 20 * MiB });
      // Halfway (10 MiB produced), all but what the stream buffers (16 chunks, 1 MiB) is on disk.
      expect(bytesOnDiskHalfway).toBeGreaterThanOrEqual(5 * MiB);
      const opened = await store.open(sha256);
      expect(opened?.sizeBytes).toBe(20 * MiB);
      const readBack = createHash('sha256');
      for await (const chunk of opened!.stream as AsyncIterable<Buffer>) readBack.update(chunk);
      expect(readBack.digest('hex')).toBe(sha256);
    });
  });

  describe('failures', () => {
    it('rethrows an error of the source unchanged and removes the temporary file', async () => {
      const aborted = new Error('client went away');
      async function* upload(): AsyncGenerator<Buffer> {
        yield randomBytes(4096);
        yield randomBytes(4096);
        throw aborted;
      }

      await expect(store.put(Readable.from(upload()), { maxBytes: MiB })).rejects.toBe(aborted);
      expect(listFiles(root)).toEqual([]);
    });

    it('refuses a stream of strings, whose bytes are not the ones sent', async () => {
      await expect(store.put(Readable.from(['text']), { maxBytes: MiB })).rejects.toBeInstanceOf(TypeError);
      expect(listFiles(root)).toEqual([]);
    });

    it('reports a filesystem it cannot use as AttachmentStoreUnavailableError', async () => {
      writeFileSync(root, 'a file where the store directory should be');
      const digest = sha256Of(Buffer.from('x'));

      await expect(store.put(Buffer.from('x'), { maxBytes: 10 })).rejects.toBeInstanceOf(AttachmentStoreUnavailableError);
      await expect(store.open(digest)).rejects.toBeInstanceOf(AttachmentStoreUnavailableError);
      await expect(store.has(digest)).rejects.toBeInstanceOf(AttachmentStoreUnavailableError);
    });
  });

  describe('digest arguments', () => {
    const invalid = [
      '',
      'abc',
      'A'.repeat(64),
      'g'.repeat(64),
      'a'.repeat(63),
      'a'.repeat(65),
      `${'a'.repeat(64)}\n`,
      `../../${'a'.repeat(58)}`,
      `${'a'.repeat(4)}/../../../etc/passwd`,
      `aa/aa/${'a'.repeat(58)}`,
    ];

    it.each(invalid)('refuses %j before touching the filesystem', async (digest) => {
      await expect(store.open(digest)).rejects.toBeInstanceOf(InvalidDigestError);
      await expect(store.has(digest)).rejects.toBeInstanceOf(InvalidDigestError);
      await expect(store.verify(digest)).rejects.toBeInstanceOf(InvalidDigestError);
      expect(existsSync(root)).toBe(false);
    });
  });

  describe('evidence protection', () => {
    it('creates stored files read-only', async () => {
      const fromStream = await store.put(streamOf(randomBytes(10_000)), { maxBytes: MiB });
      const fromBuffer = await store.put(randomBytes(10_000), { maxBytes: MiB });

      for (const { sha256 } of [fromStream, fromBuffer]) {
        expect(statSync(join(root, storedPathOf(sha256))).mode & 0o777).toBe(STORED_FILE_MODE);
      }
      expect(STORED_FILE_MODE & 0o222).toBe(0);
    });

    it('verify re-hashes the stored file and detects a byte changed on disk', async () => {
      const content = randomBytes(100_000);
      const { sha256 } = await store.put(content, { maxBytes: MiB });
      await expect(store.verify(sha256)).resolves.toEqual({ status: 'intact', sizeBytes: content.length });

      const path = join(root, storedPathOf(sha256));
      chmodSync(path, 0o640);
      const tampered = Buffer.from(content);
      tampered[50_000] = tampered[50_000] ^ 0xff;
      writeFileSync(path, tampered);

      await expect(store.verify(sha256)).resolves.toEqual({
        status: 'altered',
        sizeBytes: content.length,
        actualSha256: sha256Of(tampered),
      });
    });

    it('refuses to deduplicate against an altered copy, and leaves that copy as it found it', async () => {
      const content = randomBytes(10_000);
      const { sha256 } = await store.put(content, { maxBytes: MiB });
      const path = join(root, storedPathOf(sha256));
      chmodSync(path, 0o640);
      const tampered = Buffer.concat([content, Buffer.from('appended')]);
      writeFileSync(path, tampered);

      const again = store.put(streamOf(content), { maxBytes: MiB });

      await expect(again).rejects.toBeInstanceOf(AttachmentIntegrityError);
      await expect(again).rejects.toMatchObject({ sha256, actualSha256: sha256Of(tampered) });
      expect(readFileSync(path).equals(tampered)).toBe(true);
      expect(listFiles(root)).toEqual([storedPathOf(sha256)]);
    });
  });
});
