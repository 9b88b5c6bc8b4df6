import type { Database } from 'better-sqlite3';
import type { JsonObject } from '../shared/json';
import type { SeizureEvent } from '../custody/events';

/**
 * An event as projections see it: already upcast to the current shape of its type, with the
 * position it was committed at and the chain hash that proves it.
 */
export type ProjectedEvent = SeizureEvent & {
  streamName: string;
  /** The seizure the event belongs to (the stream is `seizure-<seizureId>`). */
  seizureId: string;
  revision: number;
  globalPosition: number;
  eventId: string;
  hash: string;
  recordedAt: string;
  /** The sealed personal data's envelopes kept beside the event (not hashed); absent for an event in clear. */
  envelopes?: string;
  metadata: JsonObject & {
    actor: { sub: string; name: string; unit: string; agency: string; roles: string[] };
    /** When the command was decided (ISO-8601 UTC, from the server's clock). */
    occurredAt: string;
  };
};

/**
 * One read model: its tables and how each event changes them. The projector calls `apply` inside
 * a transaction that also moves the projection's checkpoint, so an event is applied exactly once
 * even across crashes.
 *
 * `apply` must be deterministic — no clock, no randomness, no I/O but the given database — so
 * that a rebuild from the log produces the very same rows as live updating did. Time-dependent
 * answers (how overdue, how old) are computed by the query side with the injected clock.
 */
export interface Projection {
  /** Stable name, used for the checkpoint and on the command line: 'custody-history'. */
  readonly name: string;
  /**
   * Bump when the tables or the meaning of apply change: the projector then drops the tables
   * and rebuilds this projection from the start of the log.
   */
  readonly version: number;
  /** Creates the projection's tables and indexes if missing. */
  setup(db: Database): void;
  /** Drops every table of the projection (reset before a rebuild). */
  teardown(db: Database): void;
  /**
   * True for a projection that reads only what the store vouches for — position, id, hash — and
   * never the event's domain data (the Merkle log). It is then given every stored event, even one
   * this release cannot upcast, so that such an event can never stop the log or its signed heads.
   */
  readonly usesStoredEventOnly?: boolean;
  /** Applies one event. Events arrive in global-position order, each once. */
  apply(db: Database, event: ProjectedEvent): void;
  /**
   * Optional, for projections that gain from seeing a whole batch: called inside the batch's
   * transaction before the first of its events this projection gets. The returned batch's `apply`
   * then takes the place of `apply` for those events, and `finish` writes whatever it kept in
   * memory, still inside the same transaction, before the checkpoint moves. The object is dropped
   * after the batch — also when the batch fails and rolls back — so nothing it holds outlives the
   * transaction. The rows it leaves must be exactly those `apply` would have left.
   */
  beginBatch?(db: Database): ProjectionBatch;
}

/** One batch of a projection's events, applied in one transaction (see `Projection.beginBatch`). */
export interface ProjectionBatch {
  apply(event: ProjectedEvent): void;
  finish(): void;
}

/** Injection token for the list of projections the projector runs. */
export const PROJECTIONS = Symbol('Projections');
/** Injection token for the read-model database connection. */
export const READ_MODEL_DB = Symbol('ReadModelDatabase');
