import type { Database } from 'better-sqlite3';
import { merge, Subject, type Observable } from 'rxjs';
import type { Clock } from '../../shared/clock';
import { openDurableDatabase } from '../../platform/sqlite/durable-database';
import { DuplicateEventIdError, EventStoreError, StoreUnavailableError, StreamNotFoundError, WrongExpectedRevisionError } from '../errors';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StoreHealth,
} from '../event-store';
import { assertAppendAllowed, assertExpectedRevision, expectedFirstRevision } from '../expected-revision';
import {
  GENESIS_HASH,
  assertValidStreamName,
  chainEvents,
  encodeNewEvents,
  type ChainVerification,
  type EncodedEvent,
} from '../hash-chain';
import { prepareEventStatements, toRecordedEvent, type EventStatements } from './event-rows';
import { GroupCommitQueue, type Outcome } from './group-commit';
import { migrate } from './migrations';
import { StreamHeadCache, type StreamHead } from './stream-head-cache';
import { subscribeToAll } from './subscribe';
import { verifyAll, verifyStream } from './verify';

export interface SqliteEventStoreOptions {
  /** Path of the database file; its folder is created if missing. ':memory:' for throwaway stores. */
  filename: string;
  clock: Clock;
  /**
   * How often subscriptions look for events appended by other processes sharing the file.
   * Appends made through this instance wake subscribers at once.
   */
  pollIntervalMs?: number;
  /**
   * Appends committed through another connection of this process (a worker thread follows the
   * main thread's): subscriptions look at once instead of at their next poll.
   */
  appendedElsewhere?: Observable<void>;
  /** Upper bound of the connection's page cache (default 16 MiB): a reader that reads each event once needs little. */
  pageCacheKib?: number;
}

/** An append waiting for the next group commit, already validated and encoded. */
interface PendingAppend {
  streamName: string;
  events: EncodedEvent[];
  expected: ExpectedRevision;
}

/** Appends per transaction: enough to amortise the fsync, few enough to hold the event loop only a few milliseconds. */
const MAX_APPENDS_PER_COMMIT = 256;
const CACHED_STREAM_HEADS = 50_000;

/**
 * The embedded store: one SQLite file in WAL mode with synchronous=FULL, so an acknowledged
 * append survives power loss. Writers are serialised by SQLite (BEGIN IMMEDIATE), which also
 * makes global positions follow commit order, so readers can page by position with no gap.
 * Appends that arrive together share one transaction and one fsync (group commit), each still
 * all-or-nothing with its own expected-revision check.
 */
export class SqliteEventStore implements EventStore {
  readonly kind = 'sqlite' as const;
  private readonly appended = new Subject<void>();
  /** Emits after each commit that wrote events through this instance. */
  readonly appendsCommitted: Observable<void> = this.appended.asObservable();
  private readonly closing = new Subject<void>();
  private closed = false;
  private readonly heads = new StreamHeadCache(CACHED_STREAM_HEADS);
  private readonly commits = { transactions: 0, appends: 0 };
  private readonly groupCommit = new GroupCommitQueue<PendingAppend, AppendResult>({
    commit: (batch) => this.commitBatch(batch),
    afterCommit: (outcomes) => {
      if (outcomes.some((o) => o.ok && o.value.written)) this.appended.next();
    },
    maxBatchSize: MAX_APPENDS_PER_COMMIT,
  });
  /** Prepared once: creating a better-sqlite3 transaction function per call costs as much as the insert. */
  private readonly batchTransaction: (batch: readonly PendingAppend[], withSavepoints: boolean) => Array<Outcome<AppendResult>>;
  /** Called inside batchTransaction, a better-sqlite3 transaction is a SAVEPOINT: a throw undoes only its work. */
  private readonly inSavepoint: <T>(work: () => T) => T;
  private readonly stmt: EventStatements;

  private constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly pollIntervalMs: number,
    private readonly appendedElsewhere: Observable<void> | undefined,
  ) {
    const batch = db.transaction((appends: readonly PendingAppend[], withSavepoints: boolean) => this.runBatch(appends, withSavepoints));
    this.batchTransaction = (appends, withSavepoints) => batch.immediate(appends, withSavepoints);
    const savepoint = db.transaction((work: () => unknown) => work());
    this.inSavepoint = <T>(work: () => T): T => savepoint(work) as T;
    this.stmt = prepareEventStatements(db);
  }

  static open(options: SqliteEventStoreOptions): SqliteEventStore {
    const db = openDurableDatabase(options.filename, (opened) => migrate(opened, options.clock.now()), {
      pageCacheKib: options.pageCacheKib,
    });
    return new SqliteEventStore(db, options.clock, options.pollIntervalMs ?? 1000, options.appendedElsewhere);
  }

  async appendToStream(streamName: string, events: readonly NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    assertValidStreamName(streamName);
    const expected = options.expectedRevision ?? 'any';
    assertExpectedRevision(expected);
    const encoded = encodeNewEvents(events);
    if (this.closed) throw new StoreUnavailableError('the store is closed');
    return this.groupCommit.submit({ streamName, events: encoded, expected });
  }

  /**
   * One transaction, one fsync, for every append in the batch, each append still all-or-nothing
   * and its own outcome. A failure of the database itself (disk full, I/O error, lock timeout)
   * aborts the batch.
   *
   * Fast path: expected revisions are checked before an append writes anything, so a conflict
   * needs no undo and the batch runs without savepoints. Only an id clash, found by the insert
   * itself after earlier events of that append were written, needs one append undone: then the
   * whole transaction is rolled back and the batch run again with a savepoint per append.
   */
  private commitBatch(batch: readonly PendingAppend[]): Array<Outcome<AppendResult>> {
    try {
      let outcomes: Array<Outcome<AppendResult>>;
      try {
        outcomes = this.guard(() => this.batchTransaction(batch, false));
      } catch (error) {
        if (!(error instanceof NeedsSavepoints)) throw error;
        outcomes = this.guard(() => this.batchTransaction(batch, true));
      }
      this.commits.transactions += 1;
      this.commits.appends += batch.length;
      return outcomes;
    } catch (error) {
      this.heads.invalidate();
      throw error;
    }
  }

  private runBatch(batch: readonly PendingAppend[], withSavepoints: boolean): Array<Outcome<AppendResult>> {
    const written = new Map<string, StreamHead>();
    let lastPosition = this.stmt.lastPosition.get()?.p ?? 0;
    this.heads.validate(lastPosition);
    const outcomes = batch.map((append): Outcome<AppendResult> => {
      try {
        const { result, head } = this.appendOne(append, written, withSavepoints);
        if (head) {
          written.set(append.streamName, head);
          lastPosition = result.lastGlobalPosition;
        }
        return { ok: true, value: result };
      } catch (error) {
        if (error instanceof EventStoreError && !(error instanceof StoreUnavailableError)) return { ok: false, error };
        throw error;
      }
    });
    // Runs inside the transaction; if COMMIT then fails, commitBatch invalidates the cache again.
    this.heads.commit(written, lastPosition);
    return outcomes;
  }

  private appendOne(
    append: PendingAppend,
    writtenInBatch: ReadonlyMap<string, StreamHead>,
    withSavepoints: boolean,
  ): { result: AppendResult; head?: StreamHead } {
    const { streamName, events, expected } = append;
    try {
      if (withSavepoints) return this.inSavepoint(() => this.writeAppend(streamName, events, expected, writtenInBatch));
      return this.writeAppend(streamName, events, expected, writtenInBatch);
    } catch (error) {
      if (error instanceof DuplicateEventIdError && !withSavepoints) throw new NeedsSavepoints();
      // Conflicts and reused ids are the rare path: only then is it worth asking whether this is a retry.
      if (error instanceof WrongExpectedRevisionError || error instanceof DuplicateEventIdError) {
        const retried = this.findRetriedAppend(streamName, events, expected);
        if (retried) return { result: retried };
      }
      throw error;
    }
  }

  private writeAppend(
    streamName: string,
    events: EncodedEvent[],
    expected: ExpectedRevision,
    writtenInBatch: ReadonlyMap<string, StreamHead>,
  ): { result: AppendResult; head: StreamHead } {
    const head = writtenInBatch.get(streamName) ?? this.heads.get(streamName) ?? this.stmt.head.get(streamName);
    assertAppendAllowed(streamName, expected, head ? head.revision : null);

    const recordedAt = this.clock.now();
    const chained = chainEvents(streamName, head ? head.revision + 1 : 0, head?.hash ?? GENESIS_HASH, events);
    let lastPosition = 0;
    for (const e of chained) {
      try {
        const info = this.stmt.insert.run(
          streamName,
          e.revision,
          e.id,
          e.type,
          e.dataText,
          e.metadataText,
          recordedAt,
          e.prevHash,
          e.hash,
          e.envelopesText ?? null,
        );
        lastPosition = Number(info.lastInsertRowid);
      } catch (error) {
        if (isSqliteError(error, 'SQLITE_CONSTRAINT_UNIQUE') && String((error as Error).message).includes('event_id')) {
          throw new DuplicateEventIdError(e.id, 'this id is already used by another event');
        }
        throw error;
      }
    }
    const last = chained[chained.length - 1];
    return {
      result: { nextExpectedRevision: last.revision, lastGlobalPosition: lastPosition, written: true },
      head: { revision: last.revision, hash: last.hash },
    };
  }

  /**
   * An append whose first event id is already stored is either a retry of that very append
   * (same ids, same order, same stream, same place) — answered with the first result — or a
   * misuse of ids, which is refused.
   */
  private findRetriedAppend(streamName: string, events: EncodedEvent[], expected: ExpectedRevision): AppendResult | null {
    const first = this.stmt.byEventId.get(events[0].id);
    if (!first) return null;
    const refuse = (reason: string): never => {
      throw new DuplicateEventIdError(events[0].id, reason);
    };
    if (first.stream_name !== streamName) refuse(`it is already stored in another stream`);
    const expectedStart = expectedFirstRevision(expected) ?? first.stream_revision;
    if (first.stream_revision !== expectedStart) {
      refuse(`it is already stored at revision ${first.stream_revision}, not at revision ${expectedStart}`);
    }
    const stored = this.stmt.streamForwards.all(streamName, first.stream_revision, events.length);
    const sameBatch =
      stored.length === events.length && stored.every((row, i) => row.event_id === events[i].id && row.event_type === events[i].type);
    if (!sameBatch) refuse('it was appended in a different batch');
    const last = stored[stored.length - 1];
    return { nextExpectedRevision: last.stream_revision, lastGlobalPosition: last.global_position, written: false };
  }

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const limit = options.maxCount ?? -1;
    const rows = this.guard(() =>
      options.direction === 'backwards'
        ? this.stmt.streamBackwards.all(streamName, options.fromRevision ?? Number.MAX_SAFE_INTEGER, limit)
        : this.stmt.streamForwards.all(streamName, options.fromRevision ?? 0, limit),
    );
    if (rows.length === 0 && !this.guard(() => this.stmt.head.get(streamName))) throw new StreamNotFoundError(streamName);
    return rows.map(toRecordedEvent);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    return this.readAllSync(options.fromPosition ?? 0, options.maxCount ?? -1);
  }

  private readAllSync(fromPosition: number, maxCount: number): RecordedEvent[] {
    return this.guard(() => this.stmt.all.all(fromPosition, maxCount)).map(toRecordedEvent);
  }

  subscribeToAll(fromPosition = 0): Observable<RecordedEvent> {
    const sources = {
      readAfter: (position: number, maxCount: number) => this.readAllSync(position, maxCount),
      appended: this.appendedElsewhere ? merge(this.appended, this.appendedElsewhere) : this.appended,
      closing: this.closing,
      pollIntervalMs: this.pollIntervalMs,
    };
    return subscribeToAll(sources, fromPosition);
  }

  async verifyStream(streamName: string): Promise<ChainVerification> {
    return verifyStream(this.stmt, (work) => this.guard(work), streamName);
  }

  async verifyAll(): Promise<ChainVerification> {
    return verifyAll(this.stmt, (work) => this.guard(work));
  }

  async health(): Promise<StoreHealth> {
    try {
      const row = this.guard(() => this.stmt.lastPosition.get());
      return { kind: this.kind, reachable: true, lastGlobalPosition: row?.p ?? 0 };
    } catch (error) {
      return { kind: this.kind, reachable: false, lastGlobalPosition: null, detail: (error as Error).message };
    }
  }

  /** How well appends are grouped: committed transactions and the appends (of any outcome) they carried. */
  groupCommitStats(): { transactions: number; appends: number } {
    return { ...this.commits };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // Appends already accepted are committed, not dropped.
    this.groupCommit.flushAll();
    this.closed = true;
    this.closing.next();
    this.closing.complete();
    this.appended.complete();
    this.db.close();
  }

  /** Runs a database call, turning the driver's failures into the port's typed errors. */
  private guard<T>(work: () => T): T {
    if (this.closed) throw new StoreUnavailableError('the store is closed');
    try {
      return work();
    } catch (error) {
      if (error instanceof EventStoreError) throw error;
      if (isUnavailable(error)) throw new StoreUnavailableError((error as Error).message, error);
      throw error;
    }
  }
}

/** An id clash in the middle of an append, met on the fast path: the batch is rolled back and run again with savepoints. */
class NeedsSavepoints extends Error {}

function isSqliteError(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

const UNAVAILABLE_CODES = /^SQLITE_(BUSY|LOCKED|IOERR|FULL|READONLY|CANTOPEN|CORRUPT|NOTADB|PROTOCOL)/;

function isUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && UNAVAILABLE_CODES.test(code)) return true;
  return error instanceof TypeError && /database connection is not open/.test(error.message);
}
