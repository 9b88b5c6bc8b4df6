import type { Database } from 'better-sqlite3';
import { concatMap, type Subscription } from 'rxjs';
import type { EventStore, RecordedEvent } from '../../ledger/event-store';
import { inScope, type Actor } from '../../shared/actor';
import { toProjectedEvent, type Upcaster } from '../../projections/projected-event';
import { SSE_HEARTBEAT, SSE_RETRY_MS, sseComment, sseMessage, toFeedEventData } from './feed-message';
import { SeizurePlaces } from './seizure-places';
import type { PersonalDataKeyStore } from '../../sealing/key-store';
import { revealEventData } from '../sealed-cells';

export interface LiveFeedOptions {
  /** A comment is sent this often, so idle connections survive proxies and dead ones are found. */
  heartbeatMs: number;
  /** More concurrent streams than this for one user are refused (429). */
  maxStreamsPerUser: number;
  /** A client that lets this much pile up unsent is cut off; it resumes with Last-Event-ID. */
  maxBufferedBytes: number;
  upcast?: Upcaster;
}

export const DEFAULT_LIVE_FEED_OPTIONS: LiveFeedOptions = Object.freeze({
  heartbeatMs: 15_000,
  maxStreamsPerUser: 5,
  maxBufferedBytes: 4 * 1024 * 1024,
});

/** Where one stream writes; the HTTP controller adapts its response to it. */
export interface FeedSink {
  /** Sends the response head and the first bytes. */
  open(): void;
  write(chunk: string): void;
  /** Bytes written but not yet taken by the client. */
  readonly bufferedBytes: number;
  end(): void;
  /** Called once when the client goes away or the sink is ended. */
  onClose(listener: () => void): void;
}

export interface LiveFeedLogger {
  warn(message: string): void;
  error(message: string, stack?: string): void;
}

export class TooManyStreamsError extends Error {
  readonly code = 'too-many-streams';
  constructor(readonly limit: number) {
    super(`at most ${limit} live-feed streams may be open per user`);
    this.name = 'TooManyStreamsError';
  }
}

export class FeedClosingError extends Error {
  readonly code = 'feed-closing';
  constructor() {
    super('the server is shutting down');
    this.name = 'FeedClosingError';
  }
}

interface OpenStream {
  sub: string;
  close(reason: string): void;
}

/**
 * Server-Sent Events of new events, each stream its own subscription to the store from the
 * position the client resumes after, so nothing is lost or repeated across reconnects. Only
 * seizure events within the caller's scope are sent, without personal data unless the role may
 * read it.
 */
export class LiveFeed {
  private readonly streams = new Set<OpenStream>();
  private readonly places: SeizurePlaces;
  private closing = false;

  constructor(
    private readonly store: EventStore,
    db: Database,
    private readonly options: LiveFeedOptions = DEFAULT_LIVE_FEED_OPTIONS,
    private readonly logger: LiveFeedLogger = { warn: () => undefined, error: () => undefined },
    /** Opens sealed personal data for readers who may see it; null when the app seals nothing. */
    private readonly keys: Pick<PersonalDataKeyStore, 'lookup'> | null = null,
  ) {
    this.places = new SeizurePlaces(db, store, { upcast: options.upcast });
  }

  /** The log's head: where a client that names no Last-Event-ID starts. */
  async headPosition(): Promise<number> {
    const health = await this.store.health();
    if (!health.reachable) throw new Error(`the event store is unreachable: ${health.detail ?? 'no detail'}`);
    return health.lastGlobalPosition ?? 0;
  }

  openStreams(sub?: string): number {
    return [...this.streams].filter((s) => sub === undefined || s.sub === sub).length;
  }

  /** Refuses before anything is sent, so the caller can still answer 429 or 503. */
  assertCanOpen(actor: Actor): void {
    if (this.closing) throw new FeedClosingError();
    if (this.openStreams(actor.sub) >= this.options.maxStreamsPerUser) throw new TooManyStreamsError(this.options.maxStreamsPerUser);
  }

  /**
   * Streams every event after `fromPosition` to the sink until the client leaves, the server
   * shuts down or `endAtMs` (the token's expiry) passes.
   */
  open(actor: Actor, fromPosition: number, sink: FeedSink, options: { endAtMs?: number } = {}): void {
    this.assertCanOpen(actor);
    let subscription: Subscription | undefined;
    let heartbeat: NodeJS.Timeout | undefined;
    let expiry: NodeJS.Timeout | undefined;
    let closed = false;
    const stream: OpenStream = {
      sub: actor.sub,
      close: (reason) => {
        if (closed) return;
        closed = true;
        this.streams.delete(stream);
        subscription?.unsubscribe();
        clearInterval(heartbeat);
        clearTimeout(expiry);
        if (reason !== '') sink.write(sseComment(reason));
        sink.end();
      },
    };
    this.streams.add(stream);
    sink.onClose(() => stream.close(''));
    sink.open();
    sink.write(`retry: ${SSE_RETRY_MS}\n\n`);

    heartbeat = setInterval(() => sink.write(SSE_HEARTBEAT), this.options.heartbeatMs);
    if (options.endAtMs !== undefined) {
      // setTimeout holds at most ~24.8 days; a token that lives longer is cut off then and may reconnect.
      const delay = Math.min(Math.max(0, options.endAtMs - Date.now()), 2 ** 31 - 1);
      expiry = setTimeout(() => stream.close('token expired; reconnect with a fresh token and Last-Event-ID'), delay);
    }

    subscription = this.store
      .subscribeToAll(fromPosition)
      .pipe(concatMap((event) => this.messageFor(event, actor)))
      .subscribe({
        next: (message) => {
          if (closed || message === null) return;
          sink.write(message);
          if (sink.bufferedBytes > this.options.maxBufferedBytes) stream.close('the client reads too slowly; reconnect with Last-Event-ID');
        },
        error: (error: unknown) => {
          this.logger.error(
            `live feed of ${actor.sub} ended: ${error instanceof Error ? error.message : String(error)}`,
            error instanceof Error ? error.stack : undefined,
          );
          stream.close('the feed failed; reconnect with Last-Event-ID');
        },
        complete: () => stream.close('the event store closed'),
      });
    if (closed) subscription.unsubscribe();
  }

  /** Ends every stream (on shutdown) and refuses new ones. */
  closeAll(): void {
    this.closing = true;
    for (const stream of [...this.streams]) stream.close('the server is shutting down; reconnect with Last-Event-ID');
  }

  /** The SSE message for an event the actor may see, or null for one outside its scope. */
  private async messageFor(recorded: RecordedEvent, actor: Actor): Promise<string | null> {
    const event = toProjectedEvent(recorded, this.options.upcast);
    if (event === null) return null;
    if (event.type === 'SeizureRecorded') this.places.remember(event.seizureId, event.data.location);
    const place = await this.places.placeOf(event.seizureId);
    if (place === null || !inScope(actor.scope, place)) return null;
    const message = toFeedEventData(event, actor);
    if (message.redacted || this.keys === null) return sseMessage(message);
    return sseMessage({ ...message, data: await revealEventData({ ...event, data: message.data }, this.keys) });
  }
}
