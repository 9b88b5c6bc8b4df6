import type { Database } from 'better-sqlite3';
import type { RecordedEvent } from '../../ledger/event-store';
import type { ProjectedEvent, Projection, ProjectionBatch } from '../projection';
import { Checkpoints, type CheckpointStatus } from './checkpoints';
import { describeEvent, toProjectedEvent, type Upcaster } from './projected-event';
import type { ProjectorLock } from './projector-lock';

/** A projection with its checkpoint as last committed; `applyBatch` moves both on commit. */
export interface ProjectionTarget {
  readonly projection: Projection;
  position: number;
  status: CheckpointStatus;
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

/**
 * Applies a batch of events (in global order) to every target in ONE transaction, together with
 * each target's checkpoint: after a crash either the whole batch and its checkpoints are there
 * or none of it, so no event is applied twice or skipped. Each projection gets only the events
 * beyond its own checkpoint. Throws ProjectionFailedError (or the upcaster's error) with
 * nothing committed; the in-memory checkpoints move only after the commit.
 */
export function applyBatch(db: Database, checkpoints: Checkpoints, targets: readonly ProjectionTarget[], events: readonly RecordedEvent[], options: ApplyBatchOptions = {}): void {
  if (events.length === 0) return;
  const last = events[events.length - 1].globalPosition;
  // Each event is upcast once for all targets, and only if some target still needs it.
  const projected: Array<ProjectedEvent | null | undefined> = new Array<ProjectedEvent | null | undefined>(events.length);
  const projectedOf = (i: number): ProjectedEvent | null => {
    let e = projected[i];
    if (e === undefined) projected[i] = e = toProjectedEvent(events[i], options.upcast);
    return e;
  };

  const committed = db
    .transaction(() => {
      options.lock?.renew();
      return targets.map((target) => {
        const { projection } = target;
        let batch: ProjectionBatch | undefined;
        let lastApplied: RecordedEvent | undefined;
        for (let i = 0; i < events.length; i++) {
          const event = events[i];
          if (event.globalPosition <= target.position) continue;
          const e = projectedOf(i);
          if (e === null) continue;
          try {
            if (projection.beginBatch === undefined) projection.apply(db, e);
            else (batch ??= projection.beginBatch(db)).apply(e);
          } catch (error) {
            throw new ProjectionFailedError(projection.name, event, error);
          }
          lastApplied = event;
        }
        if (batch !== undefined && lastApplied !== undefined) {
          try {
            batch.finish();
          } catch (error) {
            // What a batch keeps for the end is written at the end: name the batch's last event.
            throw new ProjectionFailedError(projection.name, lastApplied, error);
          }
        }
        const position = Math.max(target.position, last);
        if (position !== target.position) checkpoints.advance(projection.name, position);
        const goesLive = target.status === 'rebuilding' && options.liveFrom !== undefined && position >= options.liveFrom;
        if (goesLive) checkpoints.markLive(projection.name);
        return { position, status: goesLive ? ('live' as const) : target.status };
      });
    })
    .immediate();

  targets.forEach((target, i) => {
    target.position = committed[i].position;
    target.status = committed[i].status;
  });
}
