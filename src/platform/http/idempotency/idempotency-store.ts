/**
 * The port behind Idempotency-Key handling. A record is claimed before the handler runs, then
 * either completed with the response (kept until it expires) or released (the request may run
 * again). Claiming is atomic across every process sharing the store. A store that writes records
 * to disk keeps responses encrypted: they may echo personal data.
 */
export const IDEMPOTENCY_STORE = Symbol('IdempotencyStore');

/** A key belongs to one user and one route: the same key elsewhere is a different record. */
export interface IdempotencyScope {
  /** The authenticated actor's `sub`. */
  subject: string;
  method: string;
  /** Request path without the query string. */
  path: string;
  key: string;
}

export interface RecordedResponse {
  status: number;
  /** Lower-case header names; only those worth replaying (see REPLAYED_HEADERS). */
  headers: Readonly<Record<string, string>>;
  body: Buffer;
}

export interface ClaimRequest {
  scope: IdempotencyScope;
  /**
   * The request's keyed fingerprint (keyedFingerprint: HMAC of its SHA-256 digest, never the body
   * itself); a key reused for another request must be refused.
   */
  fingerprint: string;
  /** ISO-8601 UTC instants, all from the injected clock. */
  now: string;
  /** When the record may be forgotten and the key used afresh. */
  expiresAt: string;
  /** When an unfinished claim is presumed abandoned (its process died) and may be taken over. */
  leaseExpiresAt: string;
}

export type ClaimResult =
  /** This request owns the key and must complete or release it with the token. */
  | { outcome: 'claimed'; claimToken: string }
  /** Another request holding the key is still running. */
  | { outcome: 'in-progress'; fingerprint: string }
  /** The key was used before; its response is to be replayed (if the fingerprint matches). */
  | { outcome: 'completed'; fingerprint: string; response: RecordedResponse; createdAt: string };

export interface IdempotencyStore {
  claim(request: ClaimRequest): Promise<ClaimResult>;

  /** Records the response of a claimed request; false when the claim was lost (taken over). */
  complete(scope: IdempotencyScope, claimToken: string, response: RecordedResponse, now: string): Promise<boolean>;

  /** Forgets an unfinished claim so the request may run again; false when it was not ours. */
  release(scope: IdempotencyScope, claimToken: string): Promise<boolean>;

  close(): Promise<void>;
}

/** The store cannot be read or written right now (busy, disk, closed); the request may be retried. */
export class IdempotencyStoreUnavailableError extends Error {
  constructor(reason: string, options?: { cause?: unknown }) {
    super(`idempotency store unavailable: ${reason}`, options);
    this.name = 'IdempotencyStoreUnavailableError';
  }
}
