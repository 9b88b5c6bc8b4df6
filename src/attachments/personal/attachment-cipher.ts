import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual, type Hash, type KeyObject } from 'node:crypto';
import { Transform } from 'node:stream';
import { canonicalJson } from '../../shared/canonical-json';

/**
 * The file format of a personal attachment: its content encrypted with the data subject's key
 * (AES-256-GCM), in chunks so that a video never has to sit in memory whole and no byte of
 * plaintext is released before it is authenticated.
 *
 *     file   = MAGIC (8 B: "SLPDATT" ‖ 0x01) ‖ fileId (16 random B) ‖ record₀ ‖ … ‖ recordₙ
 *     record = nonce (12 random B) ‖ ciphertext ‖ tag (16 B)
 *
 * Every record but the last holds exactly CHUNK_BYTES of plaintext; the last holds 0 to
 * CHUNK_BYTES (an empty file is one empty record). Record i's additional data is the UTF-8 of the
 * canonical JSON of
 *
 *     { "chunk": i, "fileId", "final", "format": "seizure-ledger-pd-attachment/1", "keyId",
 *       "seizureId", "sha256": (the plaintext's SHA-256 in the last record, "" before), "subject" }
 *
 * so a file moved to another seizure, subject, key or digest fails, records cannot be reordered,
 * dropped, cut short or spliced in from another file (fileId), and the last record proves the
 * digest the ledger records. The opener also re-hashes what it released and compares.
 */
export const ATTACHMENT_CIPHER_FORMAT = 'seizure-ledger-pd-attachment/1';
export const CHUNK_BYTES = 64 * 1024;
const MAGIC = Buffer.from('SLPDATT\x01', 'latin1');
const FILE_ID_BYTES = 16;
export const HEADER_BYTES = MAGIC.length + FILE_ID_BYTES;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
export const RECORD_OVERHEAD = NONCE_BYTES + TAG_BYTES;
const FULL_RECORD_BYTES = CHUNK_BYTES + RECORD_OVERHEAD;

/** Whose file it is: the additional data every record is bound to. */
export interface AttachmentCipherContext {
  readonly seizureId: string;
  readonly subject: string;
  readonly keyId: string;
  readonly key: KeyObject;
}

/** The file is not a personal attachment sealed for this context, or was altered; the message says which. */
export class AttachmentCipherError extends Error {
  override readonly name = 'AttachmentCipherError';
}

function recordAad(context: AttachmentCipherContext, fileId: Buffer, chunk: number, finalSha256: string | undefined): Buffer {
  const { seizureId, subject, keyId } = context;
  const final = finalSha256 !== undefined;
  return Buffer.from(
    canonicalJson({
      chunk,
      fileId: fileId.toString('hex'),
      final,
      format: ATTACHMENT_CIPHER_FORMAT,
      keyId,
      seizureId,
      sha256: finalSha256 ?? '',
      subject,
    }),
    'utf8',
  );
}

/** Encrypts a stream of plaintext: header() first, push() each chunk as it comes, finish() at the end. */
export class AttachmentSealer {
  private readonly fileId = randomBytes(FILE_ID_BYTES);
  private readonly hash: Hash = createHash('sha256');
  private pending: Buffer = Buffer.alloc(0);
  private chunk = 0;
  private sizeBytes = 0;

  constructor(private readonly context: AttachmentCipherContext) {}

  header(): Buffer {
    return Buffer.concat([MAGIC, this.fileId]);
  }

  /** The records completed by these bytes (one chunk is held back until more comes or finish() says it is the last). */
  push(plaintext: Uint8Array): Buffer[] {
    this.hash.update(plaintext);
    this.sizeBytes += plaintext.length;
    this.pending = Buffer.concat([this.pending, plaintext]);
    const records: Buffer[] = [];
    while (this.pending.length > CHUNK_BYTES) {
      records.push(this.seal(this.pending.subarray(0, CHUNK_BYTES), undefined));
      this.pending = this.pending.subarray(CHUNK_BYTES);
    }
    return records;
  }

  /** The last record, and the digest and size of the whole plaintext it binds. */
  finish(): { record: Buffer; sha256: string; sizeBytes: number } {
    const sha256 = this.hash.digest('hex');
    const record = this.seal(this.pending, sha256);
    this.pending = Buffer.alloc(0);
    return { record, sha256, sizeBytes: this.sizeBytes };
  }

  private seal(plaintext: Buffer, finalSha256: string | undefined): Buffer {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.context.key, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(recordAad(this.context, this.fileId, this.chunk++, finalSha256));
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([nonce, ciphertext, cipher.getAuthTag()]);
  }
}

/** Decrypts a sealed file as its bytes come: push() returns only authenticated plaintext; finish() checks the end. */
export class AttachmentOpener {
  private fileId: Buffer | undefined;
  private readonly hash: Hash = createHash('sha256');
  private pending: Buffer = Buffer.alloc(0);
  private chunk = 0;

  /** `sha256`: the digest the ledger recorded for the content. */
  constructor(private readonly context: AttachmentCipherContext & { readonly sha256: string }) {}

  push(bytes: Uint8Array): Buffer[] {
    this.pending = Buffer.concat([this.pending, bytes]);
    if (this.fileId === undefined) {
      if (this.pending.length < HEADER_BYTES) return [];
      if (!this.pending.subarray(0, MAGIC.length).equals(MAGIC)) throw new AttachmentCipherError(`not a ${ATTACHMENT_CIPHER_FORMAT} file`);
      this.fileId = Buffer.from(this.pending.subarray(MAGIC.length, HEADER_BYTES));
      this.pending = this.pending.subarray(HEADER_BYTES);
    }
    const plaintext: Buffer[] = [];
    // A full record followed by more bytes is not the last one.
    while (this.pending.length > FULL_RECORD_BYTES) {
      plaintext.push(this.open(this.pending.subarray(0, FULL_RECORD_BYTES), undefined));
      this.pending = this.pending.subarray(FULL_RECORD_BYTES);
    }
    return plaintext;
  }

  /** The last record's plaintext; throws when the file ends early or its digest is not the recorded one. */
  finish(): Buffer {
    if (this.fileId === undefined || this.pending.length < RECORD_OVERHEAD) throw new AttachmentCipherError('the file is cut short');
    const last = this.open(this.pending, this.context.sha256);
    this.pending = Buffer.alloc(0);
    const actual = this.hash.digest();
    const expected = Buffer.from(this.context.sha256, 'hex');
    if (actual.length !== expected.length || !timingSafeEqual(actual, expected))
      throw new AttachmentCipherError('the content does not hash to the recorded SHA-256');
    return last;
  }

  private open(record: Buffer, finalSha256: string | undefined): Buffer {
    const nonce = record.subarray(0, NONCE_BYTES);
    const tag = record.subarray(record.length - TAG_BYTES);
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.context.key, nonce, { authTagLength: TAG_BYTES });
      decipher.setAAD(recordAad(this.context, this.fileId as Buffer, this.chunk, finalSha256));
      decipher.setAuthTag(tag);
      const plaintext = Buffer.concat([decipher.update(record.subarray(NONCE_BYTES, record.length - TAG_BYTES)), decipher.final()]);
      this.chunk++;
      this.hash.update(plaintext);
      return plaintext;
    } catch {
      throw new AttachmentCipherError(`record ${this.chunk} does not authenticate (wrong key or context, or altered bytes)`);
    }
  }
}

/** The plaintext size of a sealed file of `fileBytes` bytes, or undefined when no well-formed file has that size. */
export function plaintextSizeOf(fileBytes: number): number | undefined {
  const body = fileBytes - HEADER_BYTES;
  if (body < RECORD_OVERHEAD) return undefined;
  const records = Math.ceil(body / FULL_RECORD_BYTES);
  const size = body - records * RECORD_OVERHEAD;
  return size >= (records - 1) * CHUNK_BYTES + (records > 1 ? 1 : 0) ? size : undefined;
}

/** A stream that turns a sealed file's bytes into its authenticated plaintext, failing on the first record that does not open. */
export function openingStream(context: AttachmentCipherContext & { readonly sha256: string }): Transform {
  const opener = new AttachmentOpener(context);
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      try {
        for (const plaintext of opener.push(chunk)) this.push(plaintext);
        done();
      } catch (error) {
        done(error as Error);
      }
    },
    flush(done) {
      try {
        done(null, opener.finish());
      } catch (error) {
        done(error as Error);
      }
    },
  });
}

/** Seals a whole buffer at once (tests, small contents). */
export function sealAttachmentBytes(plaintext: Uint8Array, context: AttachmentCipherContext): { file: Buffer; sha256: string } {
  const sealer = new AttachmentSealer(context);
  const records = sealer.push(plaintext);
  const { record, sha256 } = sealer.finish();
  return { file: Buffer.concat([sealer.header(), ...records, record]), sha256 };
}

/** Opens a whole sealed file at once; throws AttachmentCipherError when it does not open. */
export function openAttachmentBytes(file: Uint8Array, context: AttachmentCipherContext & { readonly sha256: string }): Buffer {
  const opener = new AttachmentOpener(context);
  const parts = opener.push(file);
  return Buffer.concat([...parts, opener.finish()]);
}
