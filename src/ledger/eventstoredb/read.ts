import { BACKWARDS, END, FORWARDS, START, StreamDeletedError, StreamNotFoundError as EsdbStreamNotFoundError } from '@eventstore/db-client';
import type {
  AllStreamRecordedEvent,
  AllStreamResolvedEvent,
  EventStoreDBClient,
  Position,
  ReadPosition,
  ReadRevision,
  ResolvedEvent,
  StreamingRead,
} from '@eventstore/db-client';
import { StoreUnavailableError, StreamNotFoundError } from '../errors';
import type { ReadAllOptions, ReadStreamOptions, RecordedEvent } from '../event-store';
import {
  assertNonNegativeInteger,
  compareLogPositions,
  decodeStoredEvent,
  isLedgerEvent,
  isLedgerStreamName,
  ledgerPositionOf,
  readPositionAfter,
  toRecordedEvent,
  translateClientError,
  type DecodedStoredEvent,
  type EsdbEventLike,
  StoredEventUnreadableError,
} from './eventstoredb-mapping';
import type { StoredEventSummary } from './prior-write';

export type ReadDirectionFlag = typeof FORWARDS | typeof BACKWARDS;
export type ReadingClient = Pick<EventStoreDBClient, 'readStream' | 'readAll'>;

/**
 * Every read the EventStoreDB store makes: the port's readStream and readAll, and the lower-level
 * reads that appending, verification and health build on. Foreign events (system streams, id
 * reservations) never leave this class as ledger events.
 */
export class EventStoreDbReader {
  constructor(
    private readonly client: ReadingClient,
    /** Events per read when paging through a stream or $all. */
    readonly pageSize: number,
  ) {}

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
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

  /** The stream's last event, decoded strictly (its hash is what the next event chains from); null when the stream has none. */
  async readHead(streamName: string): Promise<DecodedStoredEvent | null> {
    const [last] = (await this.readRaw(streamName, { fromRevision: END, direction: BACKWARDS, maxCount: 1 })) ?? [];
    return last ? decodeStoredEvent(last) : null;
  }

  async readEventAt(streamName: string, revision: number): Promise<DecodedStoredEvent> {
    const [event] = (await this.readRaw(streamName, { fromRevision: BigInt(revision), direction: FORWARDS, maxCount: 1 })) ?? [];
    if (!event || Number(event.revision) !== revision) {
      throw new StoreUnavailableError(`event ${revision} of stream ${streamName} was acknowledged but cannot be read back`);
    }
    return decodeStoredEvent(event);
  }

  async readSummaries(streamName: string, fromRevision: number, maxCount: number): Promise<StoredEventSummary[]> {
    const raw = await this.readRaw(streamName, { fromRevision: BigInt(fromRevision), direction: FORWARDS, maxCount });
    return (raw ?? []).map(summarize);
  }

  /** Events of a stream, or null when the stream does not exist (or was deleted). */
  async readRaw(
    streamName: string,
    options: { fromRevision: ReadRevision; direction: ReadDirectionFlag; maxCount?: number },
  ): Promise<EsdbEventLike[] | null> {
    try {
      const resolved = await collect<ResolvedEvent>(this.client.readStream(streamName, options));
      return resolved.flatMap((r) => (r.event ? [r.event] : []));
    } catch (error) {
      if (error instanceof EsdbStreamNotFoundError || error instanceof StreamDeletedError) return null;
      throw translateClientError(error, `reading stream ${streamName}`);
    }
  }

  /**
   * Visits the ledger events of $all strictly after `afterPosition`, in commit order, page by
   * page, until `visit` returns false or the log ends. Pages continue from the exact log
   * position of the last record seen (of any kind), skipping that record when it comes again.
   */
  async walkAll(afterPosition: number, visit: (event: AllStreamRecordedEvent) => boolean): Promise<void> {
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
  async lastLedgerPosition(signal: AbortSignal): Promise<number> {
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

  private async readAllPage(
    fromPosition: ReadPosition,
    direction: ReadDirectionFlag,
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
}

/** Only what retry detection compares, so that a foreign or damaged event elsewhere in the stream does not block appends. */
export function summarize(e: EsdbEventLike): StoredEventSummary {
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

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
