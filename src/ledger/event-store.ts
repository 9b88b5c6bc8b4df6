import type { Observable } from 'rxjs';
import type { JsonObject, JsonValue } from '../shared/json';

/**
 * The event store port. Everything above the ledger talks to this interface only; no adapter
 * type (better-sqlite3, @eventstore/db-client) crosses it.
 *
 * Revisions count from 0 within a stream. Global positions are positive integers that grow in
 * commit order and are never reused; in the SQLite store they are dense (1, 2, 3, …), in
 * EventStoreDB they are log offsets and so sparse. Position 0 means "before the first event".
 */
export const EVENT_STORE = Symbol('EventStore');

/** 'no_stream', 'stream_exists', 'any' or the stream's exact last revision; expected-revision.ts says what each allows. */
export type ExpectedRevision = 'no_stream' | 'stream_exists' | 'any' | number;

export interface NewEvent {
  /** A UUID chosen by the writer, so that a retried append is recognised and written once. */
  id: string;
  /** Past-tense string literal, e.g. 'SeizureRecorded'. */
  type: string;
  data: JsonValue;
  metadata?: JsonObject;
  /**
   * Opaque text kept beside the event and returned with it, OUTSIDE the hashed fields: the sealed
   * personal data's encrypted envelopes (a JSON array, see sealing/). Not hashed, so destroying
   * the key that opens them leaves the chain intact. Omitted (not empty) when there are none.
   */
  envelopes?: string;
}

export interface RecordedEvent {
  streamName: string;
  revision: number;
  globalPosition: number;
  id: string;
  type: string;
  data: JsonValue;
  metadata: JsonObject;
  /** When the store committed the event (ISO-8601 UTC). Not hashed: the domain's own time lives in metadata. */
  recordedAt: string;
  /** Hash of the previous event in the stream, or 64 zeros for revision 0. */
  prevHash: string;
  /** SHA-256 (hex) over the canonical encoding of this event and prevHash. */
  hash: string;
  /** The envelopes appended with the event, as given; absent for an event appended without any. Not hashed. */
  envelopes?: string;
}

export interface AppendOptions {
  expectedRevision?: ExpectedRevision;
}

export interface AppendResult {
  /** The revision of the last event written: pass it as expectedRevision to append after it. */
  nextExpectedRevision: number;
  /** Global position of the last event written. */
  lastGlobalPosition: number;
  /** False when the append was a retry of events already written; nothing new was stored. */
  written: boolean;
}

export type ReadDirection = 'forwards' | 'backwards';

export interface ReadStreamOptions {
  direction?: ReadDirection;
  /** Inclusive. Defaults to the first revision forwards and the last one backwards. */
  fromRevision?: number;
  maxCount?: number;
}

export interface ReadAllOptions {
  /** Exclusive: events strictly after this position. Defaults to 0, the start of the log. */
  fromPosition?: number;
  maxCount?: number;
}

export interface StoreHealth {
  kind: 'sqlite' | 'eventstoredb';
  reachable: boolean;
  lastGlobalPosition: number | null;
  detail?: string;
}

/** The largest event accepted: data and metadata together, as canonical UTF-8 JSON. */
export const MAX_EVENT_BYTES = 1024 * 1024;
/** The largest envelopes text accepted beside one event (UTF-8 bytes), counted apart from the event. */
export const MAX_ENVELOPES_BYTES = 1024 * 1024;

export interface EventStore {
  readonly kind: StoreHealth['kind'];

  /** All-or-nothing: either every event is written, in order, or none is. */
  appendToStream(streamName: string, events: readonly NewEvent[], options?: AppendOptions): Promise<AppendResult>;

  /** Throws StreamNotFoundError when the stream has no events. */
  readStream(streamName: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;

  /** Events of every stream in commit order. */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;

  /**
   * Every event after `fromPosition` (exclusive), first those already stored, then live ones as
   * they are committed, with no gap and no duplicate at the seam. Completes only on unsubscribe
   * or close; errors with StoreUnavailableError if the store goes away.
   */
  subscribeToAll(fromPosition?: number): Observable<RecordedEvent>;

  /** Walks one stream's hash chain and names every broken link. */
  verifyStream(streamName: string): Promise<ChainVerification>;

  /** Walks every stream's chain (and, where positions are dense, the global sequence). */
  verifyAll(): Promise<ChainVerification>;

  health(): Promise<StoreHealth>;

  close(): Promise<void>;

  /**
   * Emits after each commit of appends made through this instance, where other connections to
   * the same store would otherwise only see them at their next poll (the embedded store); absent
   * where the store pushes every append to every subscriber itself (EventStoreDB).
   */
  readonly appendsCommitted?: Observable<void>;
}

// What verifying the hash chain found (see hash-chain.ts), as the port reports it.

export type ChainProblemKind = 'altered' | 'missing' | 'reordered' | 'inserted';

export interface ChainProblem {
  kind: ChainProblemKind;
  streamName: string;
  revision: number | null;
  globalPosition: number | null;
  detail: string;
}

export interface ChainVerification {
  ok: boolean;
  eventsChecked: number;
  streamsChecked: number;
  /** The first problems found, ordered by global position (at most MAX_REPORTED_PROBLEMS). */
  problems: ChainProblem[];
  /** How many problems were found in all, including those not listed. */
  problemCount: number;
}
