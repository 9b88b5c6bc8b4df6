import type { StoredBundleForm } from './stored-bundle-sealing';

/** Injection token of the StoredBundleStore port. */
export const STORED_BUNDLE_STORE = Symbol('StoredBundleStore');

/** One issued bundle as kept: its stored form (see stored-bundle-sealing.ts) and when it was issued. */
export interface StoredBundleRecord {
  readonly form: StoredBundleForm;
  /** ISO instant the server issued it, from the clock. */
  readonly issuedAt: string;
}

/**
 * Every bundle the server issued, by its bundleHash, so that it can be fetched again byte for byte.
 * Derived data, not events: kept apart from the log, in the data dir whichever event store runs.
 * Nothing in it is edited or deleted; an erasure makes a bundle unreadable by destroying a key.
 */
export interface StoredBundleStore {
  /** Keeps a bundle; one already kept under the same hash is left as it is (same hash, same content). */
  put(record: StoredBundleRecord): Promise<void>;
  get(bundleHash: string): Promise<StoredBundleRecord | undefined>;
  close(): Promise<void>;
}
