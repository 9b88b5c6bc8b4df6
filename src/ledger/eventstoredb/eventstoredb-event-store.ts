import { EventStoreDBClient } from '@eventstore/db-client';
import type { Observable } from 'rxjs';
import type { Clock } from '../../shared/clock';
import { StoreUnavailableError } from '../errors';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StoreHealth,
} from '../event-store';
import type { ChainVerification } from '../hash-chain';
import { EventStoreDbAppender } from './append';
import { toClientConnectionString } from './eventstoredb-mapping';
import { EventStoreDbReader } from './read';
import { OpenSubscriptions, subscribeToAll } from './subscribe';
import { verifyAll, verifyStream } from './verify';

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
 *
 * This class only composes the parts (append.ts, read.ts, subscribe.ts, verify.ts) and owns the
 * client's lifecycle.
 */
export class EventStoreDbEventStore implements EventStore {
  readonly kind = 'eventstoredb' as const;
  private closed = false;
  private readonly subscriptions = new OpenSubscriptions();
  private readonly reader: EventStoreDbReader;
  private readonly appender: EventStoreDbAppender;
  private readonly healthTimeoutMs: number;

  constructor(
    private readonly client: EventStoreDBClient,
    clock: Clock,
    options: EventStoreDbEventStoreOptions = {},
  ) {
    this.reader = new EventStoreDbReader(client, options.pageSize ?? DEFAULTS.pageSize);
    this.appender = new EventStoreDbAppender(client, this.reader, clock, options.maxAppendAttempts ?? DEFAULTS.maxAppendAttempts);
    this.healthTimeoutMs = options.healthTimeoutMs ?? DEFAULTS.healthTimeoutMs;
  }

  /** Creates the client lazily connected: nothing is dialled until the first call. */
  static fromConnectionString(connectionString: string, clock: Clock, options: EventStoreDbEventStoreOptions = {}): EventStoreDbEventStore {
    let client: EventStoreDBClient;
    try {
      client = EventStoreDBClient.connectionString(toClientConnectionString(connectionString));
    } catch (error) {
      // The message of a parse error may quote the string, which can hold a password.
      throw new StoreUnavailableError('the EventStoreDB connection string could not be parsed', error);
    }
    return new EventStoreDbEventStore(client, clock, options);
  }

  async appendToStream(streamName: string, events: readonly NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    this.ensureOpen();
    return this.appender.appendToStream(streamName, events, options);
  }

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.ensureOpen();
    return this.reader.readStream(streamName, options);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.ensureOpen();
    return this.reader.readAll(options);
  }

  subscribeToAll(fromPosition = 0): Observable<RecordedEvent> {
    return subscribeToAll(this.client, this.subscriptions, fromPosition);
  }

  async verifyStream(streamName: string): Promise<ChainVerification> {
    this.ensureOpen();
    return verifyStream(this.reader, streamName);
  }

  async verifyAll(): Promise<ChainVerification> {
    this.ensureOpen();
    return verifyAll(this.reader);
  }

  async health(): Promise<StoreHealth> {
    if (this.closed) {
      return { kind: this.kind, reachable: false, lastGlobalPosition: null, detail: 'the store has been closed' };
    }
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), this.healthTimeoutMs);
    try {
      const lastGlobalPosition = await this.reader.lastLedgerPosition(timeout.signal);
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
    this.subscriptions.closeAll();
    await this.client.dispose();
  }

  private ensureOpen(): void {
    if (this.closed) throw new StoreUnavailableError('the EventStoreDB store is closed');
  }
}
