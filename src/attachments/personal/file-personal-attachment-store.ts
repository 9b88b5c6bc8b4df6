import { randomUUID } from 'node:crypto';
import { link, open, readdir, rm, type FileHandle } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Writable, pipeline, type Readable } from 'node:stream';
import { pipeline as pipelinePromise } from 'node:stream/promises';
import type { PersonalDataKeyStore, SubjectKey } from '../../sealing/key-store';
import {
  AttachmentIntegrityError,
  AttachmentStoreUnavailableError,
  AttachmentTooLargeError,
  assertSha256Hex,
  type PutOptions,
} from '../attachment-store';
import {
  PersonalContentStoredInClearError,
  type OpenedPersonalAttachment,
  type PersonalAttachmentStore,
  type PersonalContentOwner,
  type PersonalContentRef,
  type StoredPersonalAttachment,
} from '../personal-attachment-store';
import { asUnavailable, consume, errorCode, fsCall, fsyncDirectory, mkdirDurable, writeAll } from '../file/durable-files';
import { INCOMING_DIRNAME, STORED_FILE_MODE } from '../file/file-attachment-store';
import { AttachmentCipherError, AttachmentSealer, openingStream, plaintextSizeOf, type AttachmentCipherContext } from './attachment-cipher';

const KEY_ID = /^[0-9A-Za-z-]{1,64}$/;

/**
 * Encrypted files: `<root>/<sha[0..2]>/<sha[2..4]>/<sha>/<keyId>`, one per content and key (so per
 * seizure and subject, and per key generation after an erasure). The digest folder tells at once
 * whether some seizure holds a content as personal data. Uploads are encrypted on their way in:
 * the temporary file in `<root>/incoming` only ever holds ciphertext.
 */
export class FilePersonalAttachmentStore implements PersonalAttachmentStore {
  private readonly root: string;

  /** `clearCopyExists`: whether the clear store holds a content (such content is refused here). */
  constructor(
    root: string,
    private readonly keys: PersonalDataKeyStore,
    private readonly clearCopyExists: (sha256: string) => Promise<boolean>,
  ) {
    this.root = resolve(root);
  }

  async put(owner: PersonalContentOwner, content: Readable | Buffer, options: PutOptions): Promise<StoredPersonalAttachment> {
    const { maxBytes } = options;
    if (!Number.isSafeInteger(maxBytes) || maxBytes < 0)
      throw new RangeError(`maxBytes must be a non-negative integer (got ${String(maxBytes)})`);
    if (Buffer.isBuffer(content) && content.length > maxBytes) throw new AttachmentTooLargeError(maxBytes);
    // Committed and synced before any ciphertext is written: a file is never under a key that could vanish.
    const key = await this.keys.keyFor(owner.seizureId, owner.subject);
    const incoming = join(this.root, INCOMING_DIRNAME);
    await fsCall('create the incoming directory', () => mkdirDurable(incoming));
    const tempPath = join(incoming, `${randomUUID()}.part`);
    try {
      const sealed = await this.writeSealed(tempPath, key, content, maxBytes);
      if (await this.clearCopyExists(sealed.sha256)) throw new PersonalContentStoredInClearError(sealed.sha256);
      await this.moveIntoPlace(tempPath, { ...owner, sha256: sealed.sha256, keyId: key.keyId }, key);
      return { ...sealed, keyId: key.keyId };
    } finally {
      await rm(tempPath, { force: true }).catch(() => undefined);
    }
  }

  markUsed(keyIds: readonly string[]): Promise<void> {
    return keyIds.length === 0 ? Promise.resolve() : this.keys.markUsed(keyIds);
  }

  async open(ref: PersonalContentRef): Promise<OpenedPersonalAttachment> {
    const path = this.pathOf(ref);
    const found = (await this.keys.lookup([ref.keyId]))(ref.keyId);
    if (found.status === 'erased') return { status: 'erased', tombstone: found.tombstone };
    if (found.status === 'unknown') throw new AttachmentStoreUnavailableError(`the key ${ref.keyId} of a personal attachment is unknown`);
    const handle = await openIfPresent(path);
    if (!handle) return { status: 'missing' };
    try {
      const sizeBytes = plaintextSizeOf((await handle.stat()).size);
      if (sizeBytes === undefined) throw new AttachmentStoreUnavailableError(`the personal attachment ${ref.sha256} is not a sealed file`);
      // Bound to the event's seizure and subject, not the key's row: an event naming another owner's key fails.
      const stream = openingStream({ ...contextOf(ref, found.key), sha256: ref.sha256 });
      pipeline(handle.createReadStream(), stream, () => undefined);
      return { status: 'available', stream, sizeBytes };
    } catch (error) {
      await handle.close().catch(() => undefined);
      throw asUnavailable('read the personal attachment', error);
    }
  }

  holds(sha256: string): Promise<boolean> {
    return holdsPersonalContent(this.root, sha256);
  }

  private async writeSealed(
    tempPath: string,
    key: SubjectKey,
    content: Readable | Buffer,
    maxBytes: number,
  ): Promise<{ sha256: string; sizeBytes: number }> {
    const handle = await fsCall('create a temporary file', () => open(tempPath, 'wx', STORED_FILE_MODE));
    try {
      const sealer = new AttachmentSealer(contextOf(key, key));
      const write = (bytes: Uint8Array): Promise<void> => fsCall('write the attachment', () => writeAll(handle, bytes));
      await write(sealer.header());
      let sizeBytes = 0;
      const append = async (chunk: Uint8Array): Promise<void> => {
        sizeBytes += chunk.length;
        if (sizeBytes > maxBytes) throw new AttachmentTooLargeError(maxBytes);
        for (const record of sealer.push(chunk)) await write(record);
      };
      if (Buffer.isBuffer(content)) await append(content);
      else await consume(content, append);
      const last = sealer.finish();
      await write(last.record);
      await fsCall('make the attachment read-only', () => handle.chmod(STORED_FILE_MODE));
      await fsCall('flush the attachment to disk', () => handle.sync());
      return { sha256: last.sha256, sizeBytes: last.sizeBytes };
    } finally {
      await handle.close().catch(() => undefined);
    }
  }

  /** A hard link, as in the clear store: an existing file is kept once it is shown to open to the same content. */
  private async moveIntoPlace(tempPath: string, ref: PersonalContentRef, key: SubjectKey): Promise<void> {
    const finalPath = this.pathOf(ref);
    const directory = dirname(finalPath);
    await fsCall('create the attachment directory', () => mkdirDurable(directory));
    try {
      await link(tempPath, finalPath);
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw asUnavailable('store the attachment', error);
      await this.checkExisting(finalPath, ref, key);
    }
    await fsCall('flush the attachment directory', () => fsyncDirectory(directory));
  }

  private async checkExisting(path: string, ref: PersonalContentRef, key: SubjectKey): Promise<void> {
    const handle = await fsCall('open the attachment', () => open(path, 'r'));
    const opened = openingStream({ ...contextOf(ref, key), sha256: ref.sha256 });
    try {
      // Read through to the end, keeping nothing: only whether every record opens matters.
      await pipelinePromise(handle.createReadStream(), opened, new Writable({ write: (_chunk, _encoding, done) => done() }));
    } catch (error) {
      if (error instanceof AttachmentCipherError)
        throw new AttachmentIntegrityError(ref.sha256, 'nothing (the stored ciphertext does not open)');
      throw asUnavailable('read the attachment', error);
    }
  }

  /** Validates the digest and key id before any path is built from them. */
  private pathOf(ref: PersonalContentRef): string {
    assertSha256Hex(ref.sha256);
    if (!KEY_ID.test(ref.keyId)) throw new AttachmentStoreUnavailableError('a personal attachment names a malformed key id');
    return join(folderOf(this.root, ref.sha256), ref.keyId);
  }
}

const folderOf = (root: string, sha256: string): string => join(root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);

/** Whether the personal store under `root` holds this content under any key; needs no key, so the clear store can ask. */
export async function holdsPersonalContent(root: string, sha256: string): Promise<boolean> {
  assertSha256Hex(sha256);
  try {
    return (await readdir(folderOf(resolve(root), sha256))).length > 0;
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return false;
    throw asUnavailable('look up the personal attachment', error);
  }
}

const contextOf = (owner: PersonalContentOwner & { keyId: string }, key: SubjectKey): AttachmentCipherContext => ({
  seizureId: owner.seizureId,
  subject: owner.subject,
  keyId: owner.keyId,
  key: key.key,
});

async function openIfPresent(path: string): Promise<FileHandle | null> {
  try {
    return await open(path, 'r');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return null;
    throw asUnavailable('open the personal attachment', error);
  }
}
