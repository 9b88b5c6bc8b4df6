import type { Readable } from 'node:stream';
import type { KeyTombstone } from '../sealing/key-store';
import type { DataSubject } from '../sealing/subjects';
import { AttachmentStoreError, type PutOptions } from './attachment-store';

/**
 * The port of attachments that show or identify a person (an ID scan, a photo of the person):
 * their content is kept encrypted under that data subject's key for the seizure, so that erasing
 * the subject (destroying the key) makes it unreadable, while the ledger keeps its SHA-256.
 */
export const PERSONAL_ATTACHMENT_STORE = Symbol('PersonalAttachmentStore');

/** Whose content it is: one seizure, one data subject. */
export interface PersonalContentOwner {
  readonly seizureId: string;
  readonly subject: DataSubject;
}

export interface StoredPersonalAttachment {
  /** SHA-256 of the plaintext: what the officer and the court compare with the original file. */
  readonly sha256: string;
  readonly sizeBytes: number;
  /** The key the content is encrypted with; the event records it, to find the content and its erasure. */
  readonly keyId: string;
}

/** Where a recorded personal attachment is, as its AttachmentAdded event says. */
export interface PersonalContentRef extends PersonalContentOwner {
  readonly sha256: string;
  readonly keyId: string;
}

export type OpenedPersonalAttachment =
  | { readonly status: 'available'; readonly stream: Readable; readonly sizeBytes: number }
  | { readonly status: 'erased'; readonly tombstone: KeyTombstone }
  | { readonly status: 'missing' };

export interface PersonalAttachmentStore {
  /**
   * Takes the subject's key (durable before any byte is written), encrypts the content as it
   * arrives, and stores the ciphertext; no plaintext reaches the disk. The same content for the
   * same owner and key is stored once; for another subject or seizure it is another file under
   * another key. Refuses (PersonalContentStoredInClearError) content the clear store already
   * holds. Like the clear store, it leaves the source stream undestroyed on failure.
   */
  put(owner: PersonalContentOwner, content: Readable | Buffer, options: PutOptions): Promise<StoredPersonalAttachment>;
  /** After the event naming the content was appended: its key is in use (see PersonalDataKeyStore.markUsed). */
  markUsed(keyIds: readonly string[]): Promise<void>;
  /** The plaintext as a stream that fails on the first altered byte, or what became of it. */
  open(ref: PersonalContentRef): Promise<OpenedPersonalAttachment>;
  /** Whether some seizure holds this content as personal data (the clear store then refuses it). */
  holds(sha256: string): Promise<boolean>;
}

/** Personal content that the clear store already holds: encrypting a second copy would promise an erasure that cannot happen. */
export class PersonalContentStoredInClearError extends AttachmentStoreError {
  readonly code = 'personal_content_stored_in_clear';
  constructor(readonly sha256: string) {
    super(`the content ${sha256} is already stored in clear`);
  }
}

/** Content uploaded unmarked that is held as personal data: storing it in clear would outlive its erasure. */
export class ContentIsPersonalDataError extends AttachmentStoreError {
  readonly code = 'content_is_personal_data';
  constructor(readonly sha256: string) {
    super(`the content ${sha256} is held as personal data`);
  }
}

/** The app runs without the personal-data key store, so nothing can be stored encrypted. */
export class PersonalAttachmentsUnavailableError extends AttachmentStoreError {
  readonly code = 'personal_attachments_unavailable';
  constructor() {
    super('personal attachments need the personal-data key store, which this application was started without');
  }
}
