import type { KeyObject } from 'node:crypto';
import type { DataSubject } from './subjects';

/** Injection token of the PersonalDataKeyStore port. */
export const PERSONAL_DATA_KEY_STORE = Symbol('PersonalDataKeyStore');

/** A data subject's key for one seizure, unwrapped: AES-256-GCM, kept as a KeyObject so that logging it shows nothing. */
export interface SubjectKey {
  readonly keyId: string;
  readonly seizureId: string;
  readonly subject: DataSubject;
  readonly key: KeyObject;
}

/** What remains of a destroyed key: who and when, never key material. */
export interface KeyTombstone {
  readonly keyId: string;
  readonly seizureId: string;
  readonly subject: DataSubject;
  readonly createdAt: string;
  readonly destroyedAt: string;
  /** `erased`: on request (the data is gone for good); `unused`: collected because no event used it. */
  readonly reason: 'erased' | 'unused';
  /** The erasure the key was destroyed for, when it was destroyed by one recorded in the log. */
  readonly erasure?: ErasureReference;
}

/** Which recorded erasure destroyed a key: the PersonalDataErased event and the order it names. */
export interface ErasureReference {
  readonly eventId: string;
  readonly orderReference: string;
}

/** An erasure recorded in the log, as the key store carries it out. */
export interface ErasureOrder extends ErasureReference {
  /**
   * The keys that sealed what the erasure lists (read from the envelopes of those fields). Only
   * these are destroyed: a newer key of the same subject seals data written after the erasure.
   */
  readonly keyIds: readonly string[];
}

/** What a key id leads to when an envelope is to be opened. */
export type KeyAvailability =
  | { readonly status: 'available'; readonly key: SubjectKey }
  | { readonly status: 'erased'; readonly tombstone: KeyTombstone }
  | { readonly status: 'unknown' };

/** A synchronous lookup over keys fetched beforehand, as revealFields needs it. */
export type KeyLookup = (keyId: string) => KeyAvailability;

/** Tells which of the given key ids some stored envelope refers to (the event was appended). */
export type ReferencedKeys = (keyIds: readonly string[]) => Promise<ReadonlySet<string>>;

/**
 * The keys of personal data, kept apart from the log: destroying one makes every value sealed
 * with it unreadable, in every copy of the log, while the log and its hashes stay intact.
 *
 * Order of writes: `keyFor` returns only once the key is durable (committed and synced), so an
 * event that uses it can be appended afterwards, never before. After the append, `markUsed`;
 * a key created for a command whose append then failed is collected by `collectUnused`.
 */
export interface PersonalDataKeyStore {
  /** The live key of this subject in this seizure, created and committed if there is none yet. */
  keyFor(seizureId: string, subject: DataSubject): Promise<SubjectKey>;
  /** keyFor for several subjects of one seizure at once, in subject order: one commit, one sync, for all the new ones. */
  keysFor(seizureId: string, subjects: readonly DataSubject[]): Promise<SubjectKey[]>;
  /** Records that events using these keys were appended; unknown and already-used ids are ignored. */
  markUsed(keyIds: readonly string[]): Promise<void>;
  /** Fetches the keys (or tombstones) of these ids, for revealFields. */
  lookup(keyIds: readonly string[]): Promise<KeyLookup>;
  /**
   * Erasure: destroys the subject's live key and records its tombstone. Returns the tombstone, or
   * undefined when the subject has no live key (never had one, or it was destroyed before). With
   * an erasure order, the tombstone names it, and only a key the order lists is destroyed: a newer
   * key seals data written after the erasure, so carrying out an erasure again is harmless.
   * Throws ErasureIncompleteError when the key is gone from the tables but a copy may remain in
   * the write-ahead log because another connection kept it from being truncated.
   */
  destroy(seizureId: string, subject: DataSubject, erasure?: ErasureOrder): Promise<KeyTombstone | undefined>;
  /**
   * destroy for every subject of one recorded erasure at once: one commit and one WAL truncation
   * for all of them. Returns the tombstones of the keys destroyed now; throws ErasureIncompleteError
   * as destroy does.
   */
  destroyForErasure(
    seizureId: string,
    erasure: ErasureReference,
    subjects: ReadonlyArray<{ subject: DataSubject; keyIds: readonly string[] }>,
  ): Promise<KeyTombstone[]>;
  /**
   * Destroys the keys never marked used and created before `olderThan` (ISO instant), except those
   * `referenced` reports an envelope for: an append can succeed and the process stop before
   * markUsed, and destroying such a key would erase data nobody asked to erase. Those are marked
   * used instead. Returns the tombstones of the keys destroyed.
   */
  collectUnused(olderThan: string, referenced: ReferencedKeys): Promise<KeyTombstone[]>;
  /** Every tombstone of a seizure, oldest first (for a report of what was erased). */
  tombstonesOf(seizureId: string): Promise<KeyTombstone[]>;
  close(): Promise<void>;
}

/** The key-encryption key given is not the one the stored keys were wrapped with. The message names the settings. */
export class KeyEncryptionKeyMismatchError extends Error {
  override readonly name = 'KeyEncryptionKeyMismatchError';
}

/** Erasure left a copy of key material in the write-ahead log; the tombstone is recorded, retry to finish. */
export class ErasureIncompleteError extends Error {
  override readonly name = 'ErasureIncompleteError';
  constructor(
    readonly tombstone: KeyTombstone,
    detail: string,
  ) {
    super(
      `the key ${tombstone.keyId} is deleted but its copy in the write-ahead log could not be removed yet (${detail}); retry the erasure`,
    );
  }
}
