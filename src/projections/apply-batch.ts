import type { Database } from 'better-sqlite3';
import type { RecordedEvent } from '../ledger/event-store';
import type { ProjectedEvent, Projection, ProjectionBatch } from './projection';
import { Checkpoints, type CheckpointStatus } from './checkpoints';
import { describeEvent, storedEventView, toProjectedEvent, type Upcaster } from './projected-event';
import type { ProjectorLock } from './projector-lock';
import { failureAt, type ReadModelFailure } from './read-model-failure';

/** A projection with its checkpoint as last committed; `applyBatch` moves both on commit. */
export interface ProjectionTarget {
  readonly projection: Projection;
  position: number;
  status: CheckpointStatus;
  /** Set once the projection threw on an event: it gets no more events until it is retried. */
  failure?: ReadModelFailure;
}

export class ProjectionFailedError extends Error {
  constructor(
    readonly projection: string,
    readonly event: RecordedEvent,
    cause: unknown,
  ) {
    super(`projection "${projection}" failed on event ${describeEvent(event)}: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
    this.name = 'ProjectionFailedError';
  }
}

export interface ApplyBatchOptions {
  upcast?: Upcaster;
  /** Renewed inside the transaction: a writer that lost the lock commits nothing. */
  lock?: ProjectorLock;
  /** A 'rebuilding' projection whose checkpoint reaches this position is marked 'live'. */
  liveFrom?: number;
}

/** A projection that failed in this batch, with the error its code threw (for the server log). */
export interface NewFailure {
  target: ProjectionTarget;
  error: ProjectionFailedError;
}

interface Outcome {
  position: number;
  status: CheckpointStatus;
  failure?: ReadModelFailure;
  error?: ProjectionFailedError;
}

/**
 * Errors of the database itself, not of a projection's code or of the event: they say nothing
 * about the read model, so they abort the whole batch (busy: retried; others: the projector halts).
 */
const INFRASTRUCTURE_ERROR = /^SQLITE_(BUSY|LOCKED|FULL|IOERR|NOMEM|CORRUPT|NOTADB|READONLY|CANTOPEN|PROTOCOL|INTERRUPT)/;

function isInfrastructureError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && INFRASTRUCTURE_ERROR.test(code);
}

/** The batch's events as projections see them: each upcast once, and only if some target needs it. */
class BatchEvents {
  private readonly projected: Array<ProjectedEvent | null | undefined>;
  private readonly unreadable = new Map<number, unknown>();

  constructor(
    readonly recorded: readonly RecordedEvent[],
    private readonly upcast: Upcaster | undefined,
  ) {
    this.projected = new Array<ProjectedEvent | null | undefined>(recorded.length);
  }

  /**
   * For projections that use only what the store vouches for (position, id, hash): the projected
   * event when this release can read it, else the stored event as it is, so that an event from a
   * newer release, or one with damaged metadata, still enters the Merkle log.
   */
  storedAt(i: number): ProjectedEvent | null {
    try {
      return this.at(i);
    } catch {
      return storedEventView(this.recorded[i]);
    }
  }

  /** The projected event, or null when it belongs to no seizure; throws (every time) if it cannot be read. */
  at(i: number): ProjectedEvent | null {
    const cached = this.projected[i];
    if (cached !== undefined) return cached;
    if (this.unreadable.has(i)) throw this.unreadable.get(i);
    try {
      return (this.projected[i] = toProjectedEvent(this.recorded[i], this.upcast));
    } catch (error) {
      this.unreadable.set(i, error);
      throw error;
    }
  }
}

/**
 * The projection's events of this batch (those beyond its checkpoint), through `beginBatch` when
 * it has one. An error of its code, or an event it cannot read, becomes ProjectionFailedError.
 */
function applyToTarget(db: Database, target: ProjectionTarget, events: BatchEvents): void {
  const { projection } = target;
  let batch: ProjectionBatch | undefined;
  let lastApplied: RecordedEvent | undefined;
  for (let i = 0; i < events.recorded.length; i++) {
    const event = events.recorded[i];
    if (event.globalPosition <= target.position) continue;
    guarded(projection, event, () => {
      const e = projection.usesStoredEventOnly ? events.storedAt(i) : events.at(i);
      if (e === null) return;
      if (projection.beginBatch === undefined) projection.apply(db, e);
      else (batch ??= projection.beginBatch(db)).apply(e);
      lastApplied = event;
    });
  }
  // What a batch keeps for the end is written at the end: name the batch's last event.
  if (batch !== undefined && lastApplied !== undefined) guarded(projection, lastApplied, () => batch?.finish());
}

function guarded(projection: Projection, event: RecordedEvent, run: () => void): void {
  try {
    run();
  } catch (error) {
    if (isInfrastructureError(error)) throw error;
    throw new ProjectionFailedError(projection.name, event, error);
  }
}

/** Moves the checkpoint to the batch's end (or `position`), marking a caught-up rebuild live. */
function commitCheckpoint(checkpoints: Checkpoints, target: ProjectionTarget, position: number, options: ApplyBatchOptions): Outcome {
  const name = target.projection.name;
  if (position !== target.position) checkpoints.advance(name, position);
  const goesLive = target.status === 'rebuilding' && options.liveFrom !== undefined && position >= options.liveFrom;
  if (goesLive) checkpoints.markLive(name);
  return { position, status: goesLive ? 'live' : target.status };
}

/**
 * The slow path, for a projection whose batch threw: its events one by one, each in a savepoint,
 * up to the one it throws on. What came before that event is kept and the checkpoint moved to
 * just before it; the failing event's partial writes are rolled back, and the failure recorded.
 */
function applyUntilFailure(
  db: Database,
  checkpoints: Checkpoints,
  target: ProjectionTarget,
  events: BatchEvents,
  options: ApplyBatchOptions,
): Outcome {
  const { projection } = target;
  let position = target.position;
  for (let i = 0; i < events.recorded.length; i++) {
    const event = events.recorded[i];
    if (event.globalPosition <= target.position) continue;
    try {
      // A transaction function called inside a transaction runs as a savepoint.
      db.transaction(() =>
        guarded(projection, event, () => {
          const e = events.at(i);
          if (e !== null) projection.apply(db, e);
        }),
      )();
    } catch (error) {
      if (!(error instanceof ProjectionFailedError)) throw error;
      const failure = failureAt(event, error.cause);
      checkpoints.markFailed(projection.name, failure);
      return { ...commitCheckpoint(checkpoints, target, position, {}), failure, error };
    }
    position = event.globalPosition;
  }
  // Applied one by one without an error (the batch's `finish` was what threw, or the error did not recur).
  return commitCheckpoint(checkpoints, target, Math.max(position, target.position), options);
}

/** Every target of the batch in its own savepoint: one that throws is rolled back alone. */
function applyIsolated(
  db: Database,
  checkpoints: Checkpoints,
  targets: readonly ProjectionTarget[],
  events: BatchEvents,
  options: ApplyBatchOptions,
): Outcome[] {
  const last = events.recorded[events.recorded.length - 1].globalPosition;
  return targets.map((target) => {
    try {
      db.transaction(() => applyToTarget(db, target, events))();
    } catch (error) {
      if (!(error instanceof ProjectionFailedError)) throw error;
      return applyUntilFailure(db, checkpoints, target, events, options);
    }
    return commitCheckpoint(checkpoints, target, Math.max(target.position, last), options);
  });
}

/**
 * Applies a batch of events (in global order) to every target that has not failed, in ONE
 * transaction, together with each target's checkpoint: after a crash either the whole batch and
 * its checkpoints are there or none of it, so no event is applied twice or skipped. Each
 * projection gets only the events beyond its own checkpoint.
 *
 * A projection that throws must not stop the others. The happy path takes no savepoint at all;
 * when a projection throws, that transaction is rolled back and the batch applied again with a
 * savepoint per projection (applyIsolated): the failing projection keeps the events before the
 * one it threw on and is marked failed at that event, the others commit their whole batch.
 * Returns the projections that failed in this batch; the in-memory checkpoints move only after the
 * commit. Errors of the database itself (busy, disk full, lock lost) still abort the whole batch.
 */
export function applyBatch(
  db: Database,
  checkpoints: Checkpoints,
  targets: readonly ProjectionTarget[],
  events: readonly RecordedEvent[],
  options: ApplyBatchOptions = {},
): NewFailure[] {
  if (events.length === 0) return [];
  const active = targets.filter((t) => t.failure === undefined);
  const batchEvents = new BatchEvents(events, options.upcast);
  const last = events[events.length - 1].globalPosition;
  let outcomes: Outcome[];
  try {
    outcomes = db
      .transaction(() => {
        options.lock?.renew();
        return active.map((target) => {
          applyToTarget(db, target, batchEvents);
          return commitCheckpoint(checkpoints, target, Math.max(target.position, last), options);
        });
      })
      .immediate();
  } catch (error) {
    if (!(error instanceof ProjectionFailedError)) throw error;
    outcomes = db
      .transaction(() => {
        options.lock?.renew();
        return applyIsolated(db, checkpoints, active, batchEvents, options);
      })
      .immediate();
  }
  const failures: NewFailure[] = [];
  active.forEach((target, i) => {
    const outcome = outcomes[i];
    target.position = outcome.position;
    target.status = outcome.status;
    target.failure = outcome.failure;
    if (outcome.error !== undefined) failures.push({ target, error: outcome.error });
  });
  return failures;
}
