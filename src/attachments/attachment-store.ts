import type { Readable } from 'node:stream';

/**
 * The attachment content store port. Events carry only an attachment's SHA-256 and size; the
 * bytes live here, addressed by that digest, so identical content is stored once and can never
 * be changed without the digest in the ledger exposing it.
 */
export const ATTACHMENT_STORE = Symbol('AttachmentStore');

/** Lowercase hex only, so that one digest has exactly one spelling (and one file). */
export const SHA256_HEX_PATTERN = /^[0-9a-f]{64}$/;

export interface PutOptions {
  /** Largest content accepted, in bytes; the upload is refused as soon as it goes past it. */
  maxBytes: number;
}

export interface StoredAttachment {
  /** SHA-256 of the content, 64 lowercase hex characters. */
  sha256: string;
  sizeBytes: number;
}

export interface OpenedAttachment {
  stream: Readable;
  sizeBytes: number;
}

export interface AttachmentStore {
  /**
   * Stores the content and returns its digest. Durable once the promise resolves. Storing
   * content that is already present is a no-op that returns the same digest.
   *
   * The source stream stays the caller's: on failure it is paused and left undestroyed, so an
   * HTTP handler can still answer 413 on the same connection. Errors the source itself emits
   * are rethrown unchanged.
   */
  put(content: Readable | Buffer, options: PutOptions): Promise<StoredAttachment>;

  /** The stored content, or null when there is none under that digest. */
  open(sha256: string): Promise<OpenedAttachment | null>;

  has(sha256: string): Promise<boolean>;
}

export function isSha256Hex(value: unknown): value is string {
  return typeof value === 'string' && SHA256_HEX_PATTERN.test(value);
}

/** Throws InvalidDigestError unless the value is a lowercase hex SHA-256. */
export function assertSha256Hex(value: unknown): asserts value is string {
  if (!isSha256Hex(value)) throw new InvalidDigestError(value);
}

/** Base of every error the attachment store port throws; adapters translate their own errors to these. */
export abstract class AttachmentStoreError extends Error {
  abstract readonly code: string;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class AttachmentTooLargeError extends AttachmentStoreError {
  readonly code = 'attachment_too_large';
  constructor(readonly maxBytes: number) {
    super(`attachment exceeds the limit of ${maxBytes} bytes`);
  }
}

export class AttachmentStoreUnavailableError extends AttachmentStoreError {
  readonly code = 'attachment_store_unavailable';
  constructor(
    reason: string,
    override readonly cause?: unknown,
  ) {
    super(`attachment store unavailable: ${reason}`);
  }
}

export class InvalidDigestError extends AttachmentStoreError {
  readonly code = 'invalid_digest';
  constructor(readonly value: unknown) {
    // The value is untrusted input (often a URL segment): quote only a bounded prefix of it.
    const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 80)) : typeof value;
    super(`not a SHA-256 digest (64 lowercase hex characters): ${shown}`);
  }
}

/**
 * The stored copy under a digest no longer hashes to it: it was altered or damaged on disk.
 * Raised when new content would have been deduplicated against that copy; it is never repaired
 * silently, since the altered file is itself evidence.
 */
export class AttachmentIntegrityError extends AttachmentStoreError {
  readonly code = 'attachment_integrity';
  constructor(
    readonly sha256: string,
    readonly actualSha256: string,
  ) {
    super(`stored attachment ${sha256} does not match its digest (it hashes to ${actualSha256})`);
  }
}
