import { randomUUID } from 'node:crypto';
import { types as nodeTypes } from 'node:util';
import {
  FORWARDS,
  BACKWARDS,
  MaxAppendSizeExceededError,
  START,
  StreamDeletedError,
  WrongExpectedVersionError,
  binaryEvent,
  jsonEvent,
} from '@eventstore/db-client';
import type { AppendExpectedRevision, EventData, EventStoreDBClient } from '@eventstore/db-client';
import type { Clock } from '../../shared/clock';
import { DuplicateEventIdError, EventTooLargeError, InvalidEventError, WrongExpectedRevisionError } from '../errors';
import type { AppendOptions, AppendResult, ExpectedRevision, NewEvent } from '../event-store';
import { assertAppendAllowed, assertExpectedRevision, expectedFirstRevision, type ActualRevision } from '../expected-revision';
import { GENESIS_HASH, assertValidStreamName, chainEvents, encodeNewEvents, type EncodedEvent } from '../hash-chain';
import {
  EVENT_ID_RESERVATION_EVENT_TYPE,
  EVENT_ID_RESERVATION_STREAM_PREFIX,
  actualRevisionOf,
  encodeEventData,
  encodeEventMetadata,
  isLedgerStreamName,
  pinnedExpectedRevision,
  reservationStreamFor,
  translateClientError,
  type DecodedStoredEvent,
} from './eventstoredb-mapping';
import { findPriorWrite, type PriorWrite, type StoredEventSummary } from './prior-write';
import { summarize, type EventStoreDbReader } from './read';

/** Reservations of one batch are written in parallel, this many at a time. */
const RESERVATION_CONCURRENCY = 16;
const BACKOFF_BASE_MS = 10;
const BACKOFF_CAP_MS = 250;

export type AppendingClient = Pick<EventStoreDBClient, 'appendToStream'>;
type AppendOutcome = { kind: 'appended' } | { kind: 'conflict'; actual: ActualRevision };

/**
 * Appends to EventStoreDB: reads the stream's head, chains the batch after it, and appends with
 * the head's exact revision as the server-side expectation, so a concurrent append can never
 * chain from the same predecessor. Each event id is first reserved in a stream of its own, so an
 * id reused in another stream is refused (EventStoreDB has no index by event id).
 */
export class EventStoreDbAppender {
  constructor(
    private readonly client: AppendingClient,
    private readonly reader: EventStoreDbReader,
    private readonly clock: Clock,
    /** How often an append re-reads the head and tries again after a concurrent append moved it. */
    private readonly maxAppendAttempts: number,
  ) {}

  async appendToStream(streamName: string, events: readonly NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    assertValidStreamName(streamName);
    if (!isLedgerStreamName(streamName)) {
      throw new InvalidEventError(
        undefined,
        `stream names starting with ${EVENT_ID_RESERVATION_STREAM_PREFIX} are reserved by the EventStoreDB store`,
      );
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
    let lastActual: ActualRevision = 'no_stream';

    for (let attempt = 1; attempt <= this.maxAppendAttempts; attempt++) {
      const head = await this.reader.readHead(streamName);
      const headRevision = head?.revision ?? null;

      const examined = await this.eventsToExamine(streamName, headRevision, expectedStart, checkedThrough, batch.length);
      const prior = settlePriorWrite(findPriorWrite(batch, examined, expectedStart));
      if (prior) return prior;
      assertAppendAllowed(streamName, expected, headRevision);

      if (!reserved) {
        const anyReservedBefore = await this.reserveEventIds(streamName, batch);
        reserved = true;
        if (anyReservedBefore && headRevision !== null) {
          // An earlier attempt of this append, or a concurrent twin, reserved these ids for this
          // stream; find out whether it also wrote them (anywhere, for 'any').
          const found = await this.scanStreamForBatch(streamName, batch, headRevision);
          const earlier = settlePriorWrite(findPriorWrite(batch, found, expectedStart));
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
      const last = await this.reader.readEventAt(streamName, lastRevision);
      // EventStoreDB answers an append whose events a concurrent twin has just written at the
      // same place with success, without writing; the appendId tells the two apart.
      return { nextExpectedRevision: lastRevision, lastGlobalPosition: last.globalPosition, written: last.appendId === appendId };
    }
    throw new WrongExpectedRevisionError(streamName, expected, lastActual);
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
      return this.reader.readSummaries(streamName, checkedThrough + 1, headRevision - checkedThrough);
    }
    if (expectedStart !== null && headRevision >= expectedStart) {
      return this.reader.readSummaries(streamName, expectedStart, batchLength);
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
    const [reservation] = (await this.reader.readRaw(reservationStream, { fromRevision: START, direction: FORWARDS, maxCount: 1 })) ?? [];
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
  private async scanStreamForBatch(
    streamName: string,
    batch: readonly EncodedEvent[],
    throughRevision: number,
  ): Promise<StoredEventSummary[]> {
    const ids = new Set(batch.map((e) => e.id));
    const hits: StoredEventSummary[] = [];
    let from = throughRevision;
    while (from >= 0) {
      const page = await this.reader.readRaw(streamName, {
        fromRevision: BigInt(from),
        direction: BACKWARDS,
        maxCount: this.reader.pageSize,
      });
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

  private async appendPinned(
    streamName: string,
    batch: readonly EncodedEvent[],
    head: DecodedStoredEvent | null,
    appendId: string,
  ): Promise<AppendOutcome> {
    const headRevision = head?.revision ?? null;
    const recordedAt = this.clock.now();
    const chained = chainEvents(streamName, headRevision === null ? 0 : headRevision + 1, head?.hash ?? GENESIS_HASH, batch);
    const proposed: EventData[] = chained.map((e) =>
      binaryEvent({
        id: e.id,
        type: e.type,
        data: encodeEventData(e.dataText),
        metadata: encodeEventMetadata({
          prevHash: e.prevHash,
          hash: e.hash,
          recordedAt,
          appendId,
          metadataText: e.metadataText,
          envelopesText: e.envelopesText,
        }),
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
}

function settlePriorWrite(prior: PriorWrite): AppendResult | null {
  if (prior.kind === 'duplicate') throw new DuplicateEventIdError(prior.eventId, prior.reason);
  if (prior.kind === 'retry') {
    return { nextExpectedRevision: prior.lastRevision, lastGlobalPosition: prior.lastGlobalPosition, written: false };
  }
  return null;
}

function byteLength(value: unknown): number {
  return nodeTypes.isUint8Array(value) ? value.byteLength : 0;
}

/** Full-jitter exponential backoff, so racing appenders spread out instead of colliding again. */
function backoff(attempt: number): Promise<void> {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
}
