import { createHash, randomUUID } from 'node:crypto';
import { link, open, rm, stat, type FileHandle } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import {
  AttachmentIntegrityError,
  AttachmentStore,
  AttachmentStoreUnavailableError,
  AttachmentTooLargeError,
  OpenedAttachment,
  PutOptions,
  StoredAttachment,
  assertSha256Hex,
} from '../attachment-store';
import { asUnavailable, consume, errorCode, fsCall, fsyncDirectory, mkdirDurable, writeAll } from './durable-files';

/** Uploads in progress live here, inside the store's tree so that moving them into place is atomic. */
export const INCOMING_DIRNAME = 'incoming';

/** Evidence is never edited, and may show people: stored files are read-only, for the owner alone. */
export const STORED_FILE_MODE = 0o400;

export type AttachmentVerification =
  { status: 'intact'; sizeBytes: number } | { status: 'altered'; sizeBytes: number; actualSha256: string } | { status: 'missing' };

/**
 * Content-addressed files: `<root>/<sha[0..2]>/<sha[2..4]>/<sha>`. The 256 × 256 fan-out keeps
 * every folder small even with millions of attachments.
 */
export class FileAttachmentStore implements AttachmentStore {
  private readonly root: string;

  /**
   * `root` is the store's own directory, e.g. `<dataDir>/attachments`; it is created on the first put.
   * `admit`, if given, sees each new content's digest before it is moved into place, and refuses it by throwing.
   */
  constructor(
    root: string,
    private readonly options: { admit?: (sha256: string) => Promise<void> } = {},
  ) {
    this.root = resolve(root);
  }

  async put(content: Readable | Buffer, options: PutOptions): Promise<StoredAttachment> {
    const { maxBytes } = options;
    if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) {
      throw new RangeError(`maxBytes must be a non-negative integer (got ${String(maxBytes)})`);
    }
    // Refused before any file is created.
    if (Buffer.isBuffer(content) && content.length > maxBytes) throw new AttachmentTooLargeError(maxBytes);

    const incoming = join(this.root, INCOMING_DIRNAME);
    await fsCall('create the incoming directory', () => mkdirDurable(incoming));
    const tempPath = join(incoming, `${randomUUID()}.part`);
    // Created read-only: the mode applies to later opens, not to this descriptor.
    const handle = await fsCall('create a temporary file', () => open(tempPath, 'wx', STORED_FILE_MODE));

    const hash = createHash('sha256');
    let sizeBytes = 0;
    const append = async (chunk: Uint8Array): Promise<void> => {
      sizeBytes += chunk.length;
      if (sizeBytes > maxBytes) throw new AttachmentTooLargeError(maxBytes);
      hash.update(chunk);
      await fsCall('write the attachment', () => writeAll(handle, chunk));
    };

    try {
      try {
        if (Buffer.isBuffer(content)) await append(content);
        else await consume(content, append);
        // Explicit, so the mode does not depend on the process umask.
        await fsCall('make the attachment read-only', () => handle.chmod(STORED_FILE_MODE));
        await fsCall('flush the attachment to disk', () => handle.sync());
      } finally {
        await handle.close().catch(() => undefined);
      }
      const sha256 = hash.digest('hex');
      await this.options.admit?.(sha256);
      await this.moveIntoPlace(tempPath, sha256);
      return { sha256, sizeBytes };
    } finally {
      // Best effort: on success the content is already linked into place, so a leftover
      // temporary file costs disk space but never correctness.
      await rm(tempPath, { force: true }).catch(() => undefined);
    }
  }

  async open(sha256: string): Promise<OpenedAttachment | null> {
    const handle = await this.openStored(sha256);
    if (!handle) return null;
    try {
      const stats = await handle.stat();
      if (!stats.isFile()) throw new AttachmentStoreUnavailableError(`${sha256} is not a regular file`);
      // The stream owns the descriptor from here on and closes it when it ends or is destroyed.
      return { stream: handle.createReadStream(), sizeBytes: stats.size };
    } catch (error) {
      await handle.close().catch(() => undefined);
      throw asUnavailable('read the attachment', error);
    }
  }

  async has(sha256: string): Promise<boolean> {
    assertSha256Hex(sha256);
    try {
      return (await stat(this.pathOf(sha256))).isFile();
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return false;
      throw asUnavailable('look up the attachment', error);
    }
  }

  /**
   * Re-hashes the stored file. For audits: it reads the whole file, which is why open() does not
   * do it on every download.
   */
  async verify(sha256: string): Promise<AttachmentVerification> {
    const handle = await this.openStored(sha256);
    if (!handle) return { status: 'missing' };
    let hashed: { digest: string; sizeBytes: number };
    try {
      hashed = await fsCall('read the attachment', () => hashFile(handle));
    } finally {
      await handle.close().catch(() => undefined);
    }
    const { digest, sizeBytes } = hashed;
    return digest === sha256 ? { status: 'intact', sizeBytes } : { status: 'altered', sizeBytes, actualSha256: digest };
  }

  private pathOf(sha256: string): string {
    return join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  /** Validates the digest before any path is built from it; null when nothing is stored under it. */
  private async openStored(sha256: string): Promise<FileHandle | null> {
    assertSha256Hex(sha256);
    try {
      return await open(this.pathOf(sha256), 'r');
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return null;
      throw asUnavailable('open the attachment', error);
    }
  }

  /**
   * A hard link rather than a rename: link never replaces an existing file, so concurrent puts of
   * the same content cannot race and an altered stored copy is never silently overwritten.
   */
  private async moveIntoPlace(tempPath: string, sha256: string): Promise<void> {
    const finalPath = this.pathOf(sha256);
    const directory = dirname(finalPath);
    await fsCall('create the attachment directory', () => mkdirDurable(directory));
    try {
      await link(tempPath, finalPath);
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw asUnavailable('store the attachment', error);
      // Already stored: keep that copy, once it is shown to still be the same content.
      const existing = await this.verify(sha256);
      if (existing.status === 'altered') throw new AttachmentIntegrityError(sha256, existing.actualSha256);
      if (existing.status === 'missing') {
        throw new AttachmentStoreUnavailableError(`${sha256} was removed while being stored`);
      }
    }
    // Also after a dedupe: a concurrent put may have linked the file and not yet flushed its entry.
    await fsCall('flush the attachment directory', () => fsyncDirectory(directory));
  }
}

/** Reads the file to its end and closes it. */
async function hashFile(handle: FileHandle): Promise<{ digest: string; sizeBytes: number }> {
  const hash = createHash('sha256');
  let sizeBytes = 0;
  const stream = handle.createReadStream();
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    hash.update(chunk);
    sizeBytes += chunk.length;
  }
  return { digest: hash.digest('hex'), sizeBytes };
}
