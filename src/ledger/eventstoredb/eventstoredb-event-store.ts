import { randomUUID } from 'node:crypto';
import { types as nodeTypes } from 'node:util';
import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  MaxAppendSizeExceededError,
  START,
  StreamDeletedError,
  StreamNotFoundError as EsdbStreamNotFoundError,
  WrongExpectedVersionError,
  binaryEvent,
  excludeSystemEvents,
  jsonEvent,
} from '@eventstore/db-client';
import type {
  AllStreamRecordedEvent,
  AllStreamResolvedEvent,
  AllStreamSubscription,
  AppendExpectedRevision,
  EventData,
  Position,
  ReadPosition,
  ReadRevision,
  ResolvedEvent,
  StreamingRead,
} from '@eventstore/db-client';
import { Observable } from 'rxjs';
import type { Clock } from '../../shared/clock';
import {
  DuplicateEventIdError,
  EventTooLargeError,
  InvalidEventError,
  StoreUnavailableError,
  StreamNotFoundError,
  WrongExpectedRevisionError,
} from '../errors';
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
import {
  ChainVerifier,
  GENESIS_HASH,
  assertValidStreamName,
  chainEvents,
  encodeNewEvents,
  type ChainVerification,
  type EncodedEvent,
} from '../hash-chain';
import {
  EVENT_ID_RESERVATION_EVENT_TYPE,
  EVENT_ID_RESERVATION_STREAM_PREFIX,
  actualRevisionOf,
  assertExpectedRevision,
  assertNonNegativeInteger,
  compareLogPositions,
  decodeStoredEvent,
  encodeEventData,
  encodeEventMetadata,
  expectationHolds,
  expectedFirstRevision,
  findPriorWrite,
  isLedgerEvent,
  isLedgerStreamName,
  ledgerPositionOf,
  pinnedExpectedRevision,
  readPositionAfter,
  reservationStreamFor,
  storedRecordForVerification,
  toClientConnectionString,
  toRecordedEvent,
  translateClientError,
  type DecodedStoredEvent,
  type EsdbEventLike,
  type PriorWrite,
  type StoredEventSummary,
  StoredEventUnreadableError,
} from './eventstoredb-mapping';

export interface EventStoreDbEventStoreOptions {
  /** How often an append re-reads the head and tries again after a concurrent append moved it. */
  maxAppendAttempts?: number;
  /** Events per read when paging through a stream or $all. */
  pageSize?: number;
  /** How long health() waits for the server before reporting it unreachable. */
  healthTimeoutMs?: number;
}

// healthTimeoutMs stays under the HTTP health probe's own 3 s limit, so the probe reports this
// store's reason for being unreachable rather than a bare timeout.
const DEFAULTS = { maxAppendAttempts: 10, pageSize: 500, healthTimeoutMs: 2500 } as const;
/** Reservations of one batch are written in parallel, this many at a time. */
const RESERVATION_CONCURRENCY = 16;
const BACKOFF_BASE_MS = 10;
const BACKOFF_CAP_MS = 250;

type Head = DecodedStoredEvent | null;
type AppendOutcome = { kind: 'appended' } | { kind: 'conflict'; actual: number | 'no_stream' };

/**
 * The event store on EventStoreDB (gRPC client). Same contract as the SQLite store, with these
 * EventStoreDB-specific mechanics (docs/eventstoredb.md explains them at length):
 *
 * - Chain: every append reads the stream's head, chains the batch after it with the shared
 *   chainEvents, and appends with the head's exact revision as the server-side expectation, so a
 *   concurrent append can never chain from the same predecessor. If the caller allowed it
 *   ('any', 'stream_exists') a conflict is retried after a fresh read; otherwise it is reported.
 * - Bytes: data is stored as the canonical JSON bytes (application/octet-stream); prevHash, hash,
 *   recordedAt and the user's metadata text live in the event's metadata.
 * - Ids: EventStoreDB only recognises an id at the position it was written. To refuse an id
 *   reused in another stream, each id is first reserved in its own stream
 *   (ledger-event-id-<uuid>, expected revision no_stream) naming the ledger stream it belongs to.
 * - Positions: the port's global position is the event's prepare position (see ledgerPositionOf).
 */
export class EventStoreDbEventStore implements EventStore {
  readonly kind = 'eventstoredb' as const;
  private closed = false;
  /** Completes every open subscription; run on close(). */
  private readonly openSubscriptions = new Set<() => void>();
  private readonly maxAppendAttempts: number;
  private readonly pageSize: number;
  private readonly healthTimeoutMs: number;

  constructor(
    private readonly client: EventStoreDBClient,
    private readonly clock: Clock,
    options: EventStoreDbEventStoreOptions = {},
  ) {
    this.maxAppendAttempts = options.maxAppendAttempts ?? DEFAULTS.maxAppendAttempts;
    this.pageSize = options.pageSize ?? DEFAULTS.pageSize;
    this.healthTimeoutMs = options.healthTimeoutMs ?? DEFAULTS.healthTimeoutMs;
  }

  /** Creates the client lazily connected: nothing is dialled until the first call. */
  static fromConnectionString(
    connectionString: string,
    clock: Clock,
    options: EventStoreDbEventStoreOptions = {},
  ): EventStoreDbEventStore {
    let client: EventStoreDBClient;
    try {
      client = EventStoreDBClient.connectionString(toClientConnectionString(connectionString));
    } catch (error) {
      // The message of a parse error may quote the string, which can hold a password.
      throw new StoreUnavailableError('the EventStoreDB connection string could not be parsed', error);
    }
    return new EventStoreDbEventStore(client, clock, options);
  }

  // -------------------------------------------------------------------------------------------
  // Append

  async appendToStream(streamName: string, events: readonly NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    this.ensureOpen();
    assertValidStreamName(streamName);
    if (!isLedgerStreamName(streamName)) {
      throw new InvalidEventError(undefined, `stream names starting with ${EVENT_ID_RESERVATION_STREAM_PREFIX} are reserved by the EventStoreDB store`);
    }
    const expected = options.expectedRevision ?? 'any';
    assertExpectedRevision(expected);
    const batch = encodeNewEvents(events);
    return this.appendEncoded(streamName, batch, expected);
  }

  /**
   * One attempt = read the head → settle retries and reused ids → check the caller's expectation →
   * (first attempt only) reserve the ids → append pinned to the head. A conflict on the pinned
   * revision starts the next attempt; what changed in between is examined too, so a concurrent
   * twin of this very append is recognised instead of written twice.
   */
  private async appendEncoded(streamName: string, batch: EncodedEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    const expectedStart = expectedFirstRevision(expected);
    const appendId = randomUUID();
    let reserved = false;
    /** Every revision ≤ this is known to hold none of the batch's ids; null until the ids are reserved. */
    let checkedThrough: number | null = null;
    let lastActual: number | 'no_stream' = 'no_stream';

    for (let attempt = 1; attempt <= this.maxAppendAttempts; attempt++) {
      const head = await this.readHead(streamName);
      const headRevision = head?.revision ?? null;

      const examined = await this.eventsToExamine(streamName, headRevision, expectedStart, checkedThrough, batch.length);
      const prior = this.settlePriorWrite(findPriorWrite(batch, examined, expectedStart));
      if (prior) return prior;
      if (!expectationHolds(expected, headRevision)) {
        throw new WrongExpectedRevisionError(streamName, expected, headRevision ?? 'no_stream');
      }

      if (!reserved) {
        const anyReservedBefore = await this.reserveEventIds(streamName, batch);
        reserved = true;
        if (anyReservedBefore && headRevision !== null) {
          // An earlier attempt of this append, or a concurrent twin, reserved these ids for this
          // stream; find out whether it also wrote them (anywhere, for 'any').
          const found = await this.scanStreamForBatch(streamName, batch, headRevision);
          const earlier = this.settlePriorWrite(findPriorWrite(batch, found, expectedStart));
          if (earlier) return earlier;
        }
      }
      checkedThrough = headRevision ?? -1;

      const firstRevision = headRevision === null ? 0 : headRevision + 1;
      const outcome = await this.appendPinned(streamName, batch, head, appendId);
      if (outcome.kind === 'conflict') {
        lastActual = outcome.actual;
        await backoff(attempt);
        continue;
      }
      const lastRevision = firstRevision + batch.length - 1;
      const last = await this.readEventAt(streamName, lastRevision);
      // EventStoreDB answers an append whose events a concurrent twin has just written at the
      // same place with success, without writing; the appendId tells the two apart.
      return { nextExpectedRevision: lastRevision, lastGlobalPosition: last.globalPosition, written: last.appendId === appendId };
    }
    throw new WrongExpectedRevisionError(streamName, expected, lastActual);
  }

  private settlePriorWrite(prior: PriorWrite): AppendResult | null {
    if (prior.kind === 'duplicate') throw new DuplicateEventIdError(prior.eventId, prior.reason);
    if (prior.kind === 'retry') {
      return { nextExpectedRevision: prior.lastRevision, lastGlobalPosition: prior.lastGlobalPosition, written: false };
    }
    return null;
  }

  /**
   * The stored events that could reveal an earlier write of this batch, cheaply: on the first
   * attempt, the events where the caller expects to write (exact revision, no_stream); after a
   * conflict, the events appended since the last check.
   */
  private async eventsToExamine(
    streamName: string,
    headRevision: number | null,
    expectedStart: number | null,
    checkedThrough: number | null,
    batchLength: number,
  ): Promise<StoredEventSummary[]> {
    if (headRevision === null) return [];
    if (checkedThrough !== null) {
      if (headRevision <= checkedThrough) return [];
      return this.readSummaries(streamName, checkedThrough + 1, headRevision - checkedThrough);
    }
    if (expectedStart !== null && headRevision >= expectedStart) {
      return this.readSummaries(streamName, expectedStart, batchLength);
    }
    return [];
  }

  /**
   * Reserves every id of the batch for this stream. Returns whether any was already reserved for
   * this same stream (a retry or a twin); throws DuplicateEventIdError when one belongs to another.
   *
   * This is what makes "an id reused in another stream" detectable: EventStoreDB has no index by
   * event id, and its own idempotency only compares ids at the position being written. The
   * reservation stream's no_stream expectation is the one atomic uniqueness check the server
   * offers. A reservation outlives a failed append, so an id, once tried on a stream, stays bound
   * to that stream.
   */
  private async reserveEventIds(streamName: string, batch: readonly EncodedEvent[]): Promise<boolean> {
    let anyReservedBefore = false;
    for (let i = 0; i < batch.length; i += RESERVATION_CONCURRENCY) {
      const chunk = batch.slice(i, i + RESERVATION_CONCURRENCY);
      const outcomes = await Promise.all(chunk.map((e) => this.reserveEventId(streamName, e.id)));
      if (outcomes.includes('reserved_before')) anyReservedBefore = true;
    }
    return anyReservedBefore;
  }

  private async reserveEventId(streamName: string, eventId: string): Promise<'reserved' | 'reserved_before'> {
    const reservationStream = reservationStreamFor(eventId);
    try {
      const result = await this.client.appendToStream(
        reservationStream,
        jsonEvent({ id: randomUUID(), type: EVENT_ID_RESERVATION_EVENT_TYPE, data: { streamName } }),
        { expectedRevision: 'no_stream' },
      );
      if (result.success) return 'reserved';
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw translateClientError(error, `reserving event id ${eventId}`);
    }
    const owner = await this.reservationOwner(reservationStream, eventId);
    if (owner !== streamName) throw new DuplicateEventIdError(eventId, 'it is already used in another stream');
    return 'reserved_before';
  }

  private async reservationOwner(reservationStream: string, eventId: string): Promise<string | null> {
    const [reservation] = (await this.readRaw(reservationStream, { fromRevision: START, direction: FORWARDS, maxCount: 1 })) ?? [];
    if (!reservation) {
      throw new DuplicateEventIdError(eventId, `its reservation stream ${reservationStream} exists but cannot be read`);
    }
    const data = reservation.data as { streamName?: unknown } | null;
    return reservation.isJson && typeof data?.streamName === 'string' ? data.streamName : null;
  }

  /**
   * Reads the stream backwards from `throughRevision` until the batch's first id turns up (a
   * retry's events are usually near the head), or to the start when it does not; returns the
   * events whose ids belong to the batch.
   */
  private async scanStreamForBatch(streamName: string, batch: readonly EncodedEvent[], throughRevision: number): Promise<StoredEventSummary[]> {
    const ids = new Set(batch.map((e) => e.id));
    const hits: StoredEventSummary[] = [];
    let from = throughRevision;
    while (from >= 0) {
      const page = await this.readRaw(streamName, { fromRevision: BigInt(from), direction: BACKWARDS, maxCount: this.pageSize });
      if (!page || page.length === 0) break;
      for (const raw of page) {
        const summary = summarize(raw);
        if (ids.has(summary.eventId)) hits.push(summary);
        if (summary.eventId === batch[0].id) return hits;
      }
      from = Number(page[page.length - 1].revision) - 1;
    }
    return hits;
  }

  private async appendPinned(streamName: string, batch: readonly EncodedEvent[], head: Head, appendId: string): Promise<AppendOutcome> {
    const headRevision = head?.revision ?? null;
    const recordedAt = this.clock.now();
    const chained = chainEvents(streamName, headRevision === null ? 0 : headRevision + 1, head?.hash ?? GENESIS_HASH, batch);
    const proposed: EventData[] = chained.map((e) =>
      binaryEvent({
        id: e.id,
        type: e.type,
        data: encodeEventData(e.dataText),
        metadata: encodeEventMetadata({ prevHash: e.prevHash, hash: e.hash, recordedAt, appendId, metadataText: e.metadataText }),
      }),
    );
    const expectedRevision: AppendExpectedRevision = pinnedExpectedRevision(headRevision);
    try {
      const result = await this.client.appendToStream(streamName, proposed, { expectedRevision });
      // With throwOnAppendFailure=false in the connection string, a conflict resolves instead of throwing.
      if (!result.success) return { kind: 'conflict', actual: actualRevisionOf(result.nextExpectedRevision) };
      return { kind: 'appended' };
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) return { kind: 'conflict', actual: actualRevisionOf(error.actualVersion) };
      if (error instanceof MaxAppendSizeExceededError) {
        const bytes = proposed.reduce((sum, e) => sum + byteLength(e.data) + byteLength(e.metadata), 0);
        throw new EventTooLargeError(batch[0].id, bytes, error.maxAppendSize);
      }
      if (error instanceof StreamDeletedError) {
        throw new InvalidEventError(undefined, `stream ${streamName} was deleted in EventStoreDB and cannot be written again`);
      }
      throw translateClientError(error, `append to ${streamName}`);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Reads

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.ensureOpen();
    if (typeof streamName !== 'string' || !isLedgerStreamName(streamName)) throw new StreamNotFoundError(streamName);
    const backwards = options.direction === 'backwards';
    if (options.fromRevision !== undefined) assertNonNegativeInteger(options.fromRevision, 'fromRevision');
    if (options.maxCount !== undefined) assertNonNegativeInteger(options.maxCount, 'maxCount');

    if (options.maxCount === 0) {
      if ((await this.readHead(streamName)) === null) throw new StreamNotFoundError(streamName);
      return [];
    }
    const fromRevision: ReadRevision = options.fromRevision !== undefined ? BigInt(options.fromRevision) : backwards ? END : START;
    const raw = await this.readRaw(streamName, {
      fromRevision,
      direction: backwards ? BACKWARDS : FORWARDS,
      ...(options.maxCount !== undefined ? { maxCount: options.maxCount } : {}),
    });
    if (raw === null) throw new StreamNotFoundError(streamName);
    return raw.map((e) => toRecordedEvent(decodeStoredEvent(e)));
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.ensureOpen();
    const fromPosition = options.fromPosition ?? 0;
    assertNonNegativeInteger(fromPosition, 'fromPosition');
    if (options.maxCount !== undefined) assertNonNegativeInteger(options.maxCount, 'maxCount');
    const limit = options.maxCount ?? Number.POSITIVE_INFINITY;
    const events: RecordedEvent[] = [];
    if (limit === 0) return events;
    await this.walkAll(fromPosition, (e) => {
      events.push(toRecordedEvent(decodeStoredEvent(e)));
      return events.length < limit;
    });
    return events;
  }

  /**
   * The client's subscribeToAll runs the catch-up from the stored log and then switches to live
   * events on the server side, with no gap or duplicate at the seam. System events are filtered
   * on the server; id reservations and the event at `fromPosition` itself are dropped here.
   */
  subscribeToAll(fromPosition = 0): Observable<RecordedEvent> {
    return new Observable<RecordedEvent>((subscriber) => {
      if (this.closed) {
        subscriber.error(new StoreUnavailableError('the EventStoreDB store is closed'));
        return undefined;
      }
      try {
        assertNonNegativeInteger(fromPosition, 'fromPosition');
      } catch (error) {
        subscriber.error(error);
        return undefined;
      }

      let subscription: AllStreamSubscription;
      try {
        subscription = this.client.subscribeToAll({ fromPosition: readPositionAfter(fromPosition), filter: excludeSystemEvents() });
      } catch (error) {
        subscriber.error(translateClientError(error, 'subscription to $all'));
        return undefined;
      }
      let finished = false;
      const stop = (): void => {
        if (finished) return;
        finished = true;
        this.openSubscriptions.delete(completeOnClose);
        // Cancelling is all there is to release; a failure to cancel a dead stream changes nothing.
        subscription.unsubscribe().catch(() => undefined);
      };
      const completeOnClose = (): void => {
        stop();
        subscriber.complete();
      };
      this.openSubscriptions.add(completeOnClose);

      subscription.on('data', (resolved: AllStreamResolvedEvent) => {
        if (finished) return;
        const event = resolved.event;
        if (!event || !isLedgerEvent(event.streamId, event.type)) return;
        try {
          const position = ledgerPositionOf(event.position);
          if (position !== null && position <= fromPosition) return;
          subscriber.next(toRecordedEvent(decodeStoredEvent(event)));
        } catch (error) {
          stop();
          subscriber.error(error);
        }
      });
      // The listener stays attached after stop(): an 'error' emitted with no listener would crash the process.
      subscription.on('error', (error: Error) => {
        if (finished) return;
        stop();
        subscriber.error(translateClientError(error, 'subscription to $all'));
      });
      subscription.on('end', () => {
        if (finished) return;
        stop();
        subscriber.error(new StoreUnavailableError('EventStoreDB ended the subscription to $all'));
      });
      return stop;
    });
  }

  // -------------------------------------------------------------------------------------------
  // Verification

  async verifyStream(streamName: string): Promise<ChainVerification> {
    this.ensureOpen();
    const verifier = new ChainVerifier({ densePositions: false });
    if (typeof streamName !== 'string' || !isLedgerStreamName(streamName)) return verifier.result();
    let from = 0;
    for (;;) {
      const page = await this.readRaw(streamName, { fromRevision: BigInt(from), direction: FORWARDS, maxCount: this.pageSize });
      if (!page || page.length === 0) break;
      for (const raw of page) verifier.checkChain(storedRecordForVerification(raw));
      if (page.length < this.pageSize) break;
      from = Number(page[page.length - 1].revision) + 1;
    }
    return verifier.result();
  }

  /** One walk over $all: each stream's chain in revision order and every stream's commit order. */
  async verifyAll(): Promise<ChainVerification> {
    this.ensureOpen();
    const verifier = new ChainVerifier({ densePositions: false });
    await this.walkAll(0, (e) => {
      const record = storedRecordForVerification(e);
      verifier.checkChain(record);
      verifier.checkCommitOrder(record);
      return true;
    });
    return verifier.result();
  }

  // -------------------------------------------------------------------------------------------
  // Health and lifecycle

  async health(): Promise<StoreHealth> {
    if (this.closed) return { kind: this.kind, reachable: false, lastGlobalPosition: null, detail: 'the store has been closed' };
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), this.healthTimeoutMs);
    try {
      const lastGlobalPosition = await this.lastLedgerPosition(timeout.signal);
      return { kind: this.kind, reachable: true, lastGlobalPosition };
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      return { kind: this.kind, reachable: false, lastGlobalPosition: null, detail };
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const complete of [...this.openSubscriptions]) complete();
    await this.client.dispose();
  }

  // -------------------------------------------------------------------------------------------
  // Reading helpers

  private ensureOpen(): void {
    if (this.closed) throw new StoreUnavailableError('the EventStoreDB store is closed');
  }

  /** The stream's last event, decoded strictly (its hash is what the next event chains from); null when the stream has none. */
  private async readHead(streamName: string): Promise<Head> {
    const [last] = (await this.readRaw(streamName, { fromRevision: END, direction: BACKWARDS, maxCount: 1 })) ?? [];
    return last ? decodeStoredEvent(last) : null;
  }

  private async readEventAt(streamName: string, revision: number): Promise<DecodedStoredEvent> {
    const [event] = (await this.readRaw(streamName, { fromRevision: BigInt(revision), direction: FORWARDS, maxCount: 1 })) ?? [];
    if (!event || Number(event.revision) !== revision) {
      throw new StoreUnavailableError(`event ${revision} of stream ${streamName} was acknowledged but cannot be read back`);
    }
    return decodeStoredEvent(event);
  }

  private async readSummaries(streamName: string, fromRevision: number, maxCount: number): Promise<StoredEventSummary[]> {
    const raw = await this.readRaw(streamName, { fromRevision: BigInt(fromRevision), direction: FORWARDS, maxCount });
    return (raw ?? []).map(summarize);
  }

  /** Events of a stream, or null when the stream does not exist (or was deleted). */
  private async readRaw(
    streamName: string,
    options: { fromRevision: ReadRevision; direction: typeof FORWARDS | typeof BACKWARDS; maxCount?: number },
  ): Promise<EsdbEventLike[] | null> {
    try {
      const resolved = await collect<ResolvedEvent>(this.client.readStream(streamName, options));
      return resolved.flatMap((r) => (r.event ? [r.event] : []));
    } catch (error) {
      if (error instanceof EsdbStreamNotFoundError || error instanceof StreamDeletedError) return null;
      throw translateClientError(error, `reading stream ${streamName}`);
    }
  }

  private async readAllPage(
    fromPosition: ReadPosition,
    direction: typeof FORWARDS | typeof BACKWARDS,
    signal?: AbortSignal,
  ): Promise<AllStreamRecordedEvent[]> {
    try {
      const resolved = await collect<AllStreamResolvedEvent>(
        this.client.readAll({ fromPosition, direction, maxCount: this.pageSize }),
        signal,
      );
      return resolved.flatMap((r) => (r.event ? [r.event] : []));
    } catch (error) {
      throw translateClientError(error, 'reading $all');
    }
  }

  /**
   * Visits the ledger events of $all strictly after `afterPosition`, in commit order, page by
   * page, until `visit` returns false or the log ends. Pages continue from the exact log
   * position of the last record seen (of any kind), skipping that record when it comes again.
   */
  private async walkAll(afterPosition: number, visit: (event: AllStreamRecordedEvent) => boolean): Promise<void> {
    let from: ReadPosition = readPositionAfter(afterPosition);
    let cursor: Position | null = null;
    for (;;) {
      const page = await this.readAllPage(from, FORWARDS);
      let advanced = false;
      for (const event of page) {
        if (cursor !== null && compareLogPositions(event.position, cursor) <= 0) continue;
        cursor = event.position;
        advanced = true;
        if (!isLedgerEvent(event.streamId, event.type)) continue;
        const position = ledgerPositionOf(event.position);
        if (position !== null && position <= afterPosition) continue;
        if (!visit(event)) return;
      }
      if (page.length < this.pageSize || cursor === null) return;
      if (!advanced) throw new StoreUnavailableError('EventStoreDB returned a page of $all that does not advance');
      from = cursor;
      await yieldToEventLoop();
    }
  }

  /** Position of the newest ledger event in $all (0 when there is none), reading backwards past system events. */
  private async lastLedgerPosition(signal: AbortSignal): Promise<number> {
    let from: ReadPosition = END;
    let cursor: Position | null = null;
    for (;;) {
      const page = await this.readAllPage(from, BACKWARDS, signal);
      for (const event of page) {
        if (cursor !== null && compareLogPositions(event.position, cursor) >= 0) continue;
        cursor = event.position;
        if (!isLedgerEvent(event.streamId, event.type)) continue;
        const position = ledgerPositionOf(event.position);
        if (position !== null) return position;
      }
      if (page.length < this.pageSize || cursor === null) return 0;
      from = cursor;
    }
  }
}

/** Only what retry detection compares, so that a foreign or damaged event elsewhere in the stream does not block appends. */
function summarize(e: EsdbEventLike): StoredEventSummary {
  const revision = Number(e.revision);
  const globalPosition = ledgerPositionOf(e.position);
  if (globalPosition === null) throw new StoredEventUnreadableError(e.streamId, revision, 'EventStoreDB returned no log position for it');
  return { revision, globalPosition, eventId: e.id.toLowerCase(), type: e.type };
}

/**
 * Drains a client read into an array. With a signal, aborting cancels the gRPC call and rejects
 * at once (the read stream itself never ends after a client-side cancel).
 */
function collect<E>(read: StreamingRead<E>, signal?: AbortSignal): Promise<E[]> {
  return new Promise<E[]>((resolve, reject) => {
    const items: E[] = [];
    let settled = false;
    const settle = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      outcome();
    };
    const onAbort = (): void => {
      read.cancel().catch(() => undefined);
      settle(() => reject(new StoreUnavailableError('EventStoreDB did not answer in time')));
    };
    read.on('data', (item: E) => items.push(item));
    read.on('end', () => settle(() => resolve(items)));
    read.on('error', (error: Error) => settle(() => reject(error)));
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function byteLength(value: unknown): number {
  return nodeTypes.isUint8Array(value) ? value.byteLength : 0;
}

/** Full-jitter exponential backoff, so racing appenders spread out instead of colliding again. */
function backoff(attempt: number): Promise<void> {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
