import { randomUUID } from 'node:crypto';
import type { Database, Statement, Transaction } from 'better-sqlite3';
import type { Clock } from '../../../../shared/clock';
import { openDurableDatabase, setPageCache, SMALL_PAGE_CACHE_KIB } from '../../../sqlite/durable-database';
import {
  IdempotencyStoreUnavailableError,
  type ClaimRequest,
  type ClaimResult,
  type IdempotencyScope,
  type IdempotencyStore,
  type RecordedResponse,
} from '../idempotency-store';
import type { IdempotencyKeys } from '../idempotency-secret';
import { openResponse, sealResponse, SealedResponseError } from '../sealed-response';
import { ensureIdempotencySchema } from './idempotency-schema';

export interface SqliteIdempotencyStoreOptions {
  /** Path of the database file; its folder is created if missing. ':memory:' for throwaway stores. */
  filename: string;
  clock: Clock;
  /** Seal the responses kept in the file (and convert records of an earlier release). */
  keys: IdempotencyKeys;
}

/** Expired records deleted per claim: keeps the lazy purge's cost per request bounded. */
export const PURGE_BATCH = 100;

interface ScopeParams {
  subject: string;
  method: string;
  path: string;
  key: string;
}

interface ClaimParams extends ScopeParams {
  fingerprint: string;
  token: string;
  now: string;
  expiresAt: string;
  leaseExpiresAt: string;
}

interface CompleteParams extends ScopeParams {
  token: string;
  now: string;
  status: number;
  sealed: Buffer;
}

interface RecordRow {
  fingerprint: string;
  state: 'in_progress' | 'completed';
  created_at: string;
  response_status: number | null;
  response_sealed: Buffer | null;
}

const SCOPE_MATCHES = 'subject = @subject AND method = @method AND path = @path AND idempotency_key = @key';

/** One write waiting for the next group commit. */
type Operation =
  | { kind: 'claim'; request: ClaimRequest; token: string }
  | { kind: 'complete'; scope: IdempotencyScope; token: string; response: RecordedResponse; now: string }
  | { kind: 'release'; scope: IdempotencyScope; token: string };

type OperationResult = ClaimResult | boolean;

type BatchOutcome = { ok: true; value: OperationResult } | { ok: false; error: unknown };

interface Waiting {
  operation: Operation;
  resolve: (value: OperationResult) => void;
  reject: (error: unknown) => void;
}

/** Most writes in one transaction; the rest wait for the next flush (bounds how long the event loop is held). */
export const MAX_GROUP_COMMIT = 256;

/**
 * Idempotency records in their own SQLite file beside the ledger (WAL, synchronous=FULL). Every
 * claim runs in a BEGIN IMMEDIATE transaction and takes the key with INSERT … ON CONFLICT on a
 * unique constraint, so among all processes sharing the file exactly one request wins a key.
 * All instants are ISO-8601 UTC strings from one clock format, so they compare as text. No body
 * or response is kept in clear: requests by their keyed fingerprint, responses sealed.
 *
 * Group commit: the claims, completions and releases that arrive in the same turn of the event
 * loop are written together, in arrival order, in one BEGIN IMMEDIATE transaction (one fsync),
 * flushed on setImmediate. Each one's promise settles only after that transaction committed, so a
 * claim is durable before its request runs and a response is durable before it is sent, exactly
 * as with a transaction each. Each write runs in a savepoint of its own: one that fails is undone
 * alone and fails alone; if the transaction cannot commit, every write in it fails, none stored.
 */
export class SqliteIdempotencyStore implements IdempotencyStore {
  private closed = false;
  private waiting: Waiting[] = [];
  private flushScheduled = false;
  private commits = 0;
  private readonly applyOne: (operation: Operation) => OperationResult;
  private readonly applyBatch: Transaction<(batch: readonly Waiting[]) => BatchOutcome[]>;
  private readonly stmt: {
    claim: Statement<[ClaimParams], { claim_token: string }>;
    find: Statement<[ScopeParams], RecordRow>;
    complete: Statement<[CompleteParams]>;
    release: Statement<[ScopeParams & { token: string }]>;
    forget: Statement<[ScopeParams]>;
    purge: Statement<[string, number]>;
  };

  private constructor(
    private readonly db: Database,
    private readonly keys: IdempotencyKeys,
  ) {
    this.stmt = {
      // The WHERE on DO UPDATE lets a claim take over only a record that has expired, or an
      // unfinished one whose lease ran out (its process died); a live record is left alone and
      // RETURNING yields nothing.
      claim: db.prepare(
        `INSERT INTO idempotency_records
           (subject, method, path, idempotency_key, fingerprint, claim_token, state, created_at, expires_at, lease_expires_at)
         VALUES (@subject, @method, @path, @key, @fingerprint, @token, 'in_progress', @now, @expiresAt, @leaseExpiresAt)
         ON CONFLICT (subject, method, path, idempotency_key) DO UPDATE SET
           fingerprint = excluded.fingerprint,
           claim_token = excluded.claim_token,
           state = 'in_progress',
           created_at = excluded.created_at,
           expires_at = excluded.expires_at,
           lease_expires_at = excluded.lease_expires_at,
           completed_at = NULL,
           response_status = NULL,
           response_sealed = NULL
         WHERE idempotency_records.expires_at <= excluded.created_at
            OR (idempotency_records.state = 'in_progress' AND idempotency_records.lease_expires_at <= excluded.created_at)
         RETURNING claim_token`,
      ),
      find: db.prepare(
        `SELECT fingerprint, state, created_at, response_status, response_sealed
         FROM idempotency_records WHERE ${SCOPE_MATCHES}`,
      ),
      complete: db.prepare(
        `UPDATE idempotency_records
         SET state = 'completed', completed_at = @now, lease_expires_at = NULL,
             response_status = @status, response_sealed = @sealed
         WHERE ${SCOPE_MATCHES} AND claim_token = @token AND state = 'in_progress'`,
      ),
      release: db.prepare(`DELETE FROM idempotency_records WHERE ${SCOPE_MATCHES} AND claim_token = @token AND state = 'in_progress'`),
      forget: db.prepare(`DELETE FROM idempotency_records WHERE ${SCOPE_MATCHES}`),
      purge: db.prepare(
        `DELETE FROM idempotency_records WHERE rowid IN (
           SELECT rowid FROM idempotency_records WHERE expires_at <= ? ORDER BY expires_at LIMIT ?)`,
      ),
    };
    // Called inside the batch's transaction, better-sqlite3 runs it as a savepoint.
    this.applyOne = db.transaction((operation: Operation): OperationResult => this.apply(operation));
    this.applyBatch = db.transaction((batch: readonly Waiting[]) =>
      batch.map((w): BatchOutcome => {
        try {
          return { ok: true, value: this.applyOne(w.operation) };
        } catch (error) {
          return { ok: false, error };
        }
      }),
    );
  }

  static open(options: SqliteIdempotencyStoreOptions): SqliteIdempotencyStore {
    // synchronous=FULL matters here too: a recorded response may be all that stops a retried
    // seizure being entered twice.
    const db = openDurableDatabase(options.filename, (opened) => ensureIdempotencySchema(opened, options.clock.now(), options.keys));
    // Each request touches a few pages of its own key: a large page cache would only hold old responses.
    setPageCache(db, SMALL_PAGE_CACHE_KIB);
    return new SqliteIdempotencyStore(db, options.keys);
  }

  async claim(request: ClaimRequest): Promise<ClaimResult> {
    return (await this.submit({ kind: 'claim', request, token: randomUUID() })) as ClaimResult;
  }

  async complete(scope: IdempotencyScope, claimToken: string, response: RecordedResponse, now: string): Promise<boolean> {
    return (await this.submit({ kind: 'complete', scope, token: claimToken, response, now })) as boolean;
  }

  async release(scope: IdempotencyScope, claimToken: string): Promise<boolean> {
    return (await this.submit({ kind: 'release', scope, token: claimToken })) as boolean;
  }

  /** Transactions committed so far (each holding one or more writes); for tests and monitoring. */
  get commitCount(): number {
    return this.commits;
  }

  private submit(operation: Operation): Promise<OperationResult> {
    if (this.closed) return Promise.reject(new IdempotencyStoreUnavailableError('the store is closed'));
    return new Promise((resolve, reject) => {
      this.waiting.push({ operation, resolve, reject });
      if (this.flushScheduled) return;
      this.flushScheduled = true;
      setImmediate(() => this.flushScheduledBatch());
    });
  }

  private flushScheduledBatch(): void {
    this.flushScheduled = false;
    this.flushOnce();
    if (this.waiting.length > 0 && !this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flushScheduledBatch());
    }
  }

  /** Writes up to MAX_GROUP_COMMIT waiting operations in one transaction and settles them. */
  private flushOnce(): void {
    const batch = this.waiting.splice(0, MAX_GROUP_COMMIT);
    if (batch.length === 0) return;
    let outcomes: BatchOutcome[];
    try {
      outcomes = this.guard(() => this.applyBatch.immediate(batch));
      this.commits++;
    } catch (error) {
      for (const w of batch) w.reject(error);
      return;
    }
    outcomes.forEach((outcome, i) => {
      if (outcome.ok) batch[i].resolve(outcome.value);
      else batch[i].reject(unavailableOrSelf(outcome.error));
    });
  }

  private apply(operation: Operation): OperationResult {
    switch (operation.kind) {
      case 'claim':
        return this.applyClaim(operation.request, operation.token);
      case 'complete': {
        const { scope, token, response, now } = operation;
        const info = this.stmt.complete.run({
          ...scopeParams(scope),
          token,
          now,
          status: response.status,
          sealed: sealResponse(this.keys, scope, response),
        });
        return info.changes === 1;
      }
      case 'release':
        return this.stmt.release.run({ ...scopeParams(operation.scope), token: operation.token }).changes === 1;
    }
  }

  private applyClaim(request: ClaimRequest, token: string): ClaimResult {
    const scope = scopeParams(request.scope);
    this.stmt.purge.run(request.now, PURGE_BATCH);
    const params: ClaimParams = {
      ...scope,
      fingerprint: request.fingerprint,
      token,
      now: request.now,
      expiresAt: request.expiresAt,
      leaseExpiresAt: request.leaseExpiresAt,
    };
    if (this.stmt.claim.get(params)?.claim_token === token) return { outcome: 'claimed', claimToken: token };
    // The insert yielded to a live record, and the write lock held since BEGIN IMMEDIATE
    // means nobody can have removed it since.
    const row = this.stmt.find.get(scope);
    if (row === undefined) throw new Error('idempotency claim neither inserted nor found a record');
    const result = toClaimResult(row, this.keys, request.scope);
    if (result !== undefined) return result;
    // Sealed under another idempotency secret (the file was deleted or replaced): the response
    // can never be replayed nor the request recognised, so the record is as good as expired.
    this.stmt.forget.run(scope);
    if (this.stmt.claim.get(params)?.claim_token !== token) throw new Error('idempotency claim failed after forgetting a record');
    return { outcome: 'claimed', claimToken: token };
  }

  /** Deletes up to `limit` records expired at `now`; claims call it, so no timer is needed. */
  purgeExpired(now: string, limit: number = PURGE_BATCH): number {
    return this.guard(() => this.stmt.purge.run(now, limit)).changes;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // Whatever was submitted is written (or fails) before the file is closed, never dropped.
    while (this.waiting.length > 0) this.flushOnce();
    this.closed = true;
    this.db.close();
  }

  /** Runs a database call, turning "cannot work right now" failures into the port's error. */
  private guard<T>(work: () => T): T {
    if (this.closed) throw new IdempotencyStoreUnavailableError('the store is closed');
    try {
      return work();
    } catch (error) {
      if (isUnavailable(error)) throw new IdempotencyStoreUnavailableError((error as Error).message, { cause: error });
      throw error;
    }
  }
}

function scopeParams(scope: IdempotencyScope): ScopeParams {
  return { subject: scope.subject, method: scope.method, path: scope.path, key: scope.key };
}

/** Undefined when the record's response cannot be opened with these keys. */
function toClaimResult(row: RecordRow, keys: IdempotencyKeys, scope: IdempotencyScope): ClaimResult | undefined {
  if (row.state === 'in_progress') return { outcome: 'in-progress', fingerprint: row.fingerprint };
  // The table's CHECK guarantees both are set on a completed record.
  const status = row.response_status ?? 500;
  let response: RecordedResponse;
  try {
    response = openResponse(keys, scope, status, row.response_sealed ?? Buffer.alloc(0));
  } catch (error) {
    if (error instanceof SealedResponseError) return undefined;
    throw error;
  }
  return { outcome: 'completed', fingerprint: row.fingerprint, createdAt: row.created_at, response };
}

function unavailableOrSelf(error: unknown): unknown {
  return isUnavailable(error) ? new IdempotencyStoreUnavailableError((error as Error).message, { cause: error }) : error;
}

const UNAVAILABLE_CODES = /^SQLITE_(BUSY|LOCKED|IOERR|FULL|READONLY|CANTOPEN|CORRUPT|NOTADB|PROTOCOL)/;

function isUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && UNAVAILABLE_CODES.test(code);
}
