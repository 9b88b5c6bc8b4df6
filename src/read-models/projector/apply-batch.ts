import type { Database } from 'better-sqlite3';
import type { RecordedEvent } from '../../ledger/event-store';
import type { ProjectedEvent, Projection } from '../projection';
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
  const projected = new Map<RecordedEvent, ProjectedEvent | null>();
  const projectedOf = (e: RecordedEvent): ProjectedEvent | null => {
    if (!projected.has(e)) projected.set(e, toProjectedEvent(e, options.upcast));
    return projected.get(e) ?? null;
  };

  const committed = db
    .transaction(() => {
      options.lock?.renew();
      return targets.map((target) => {
        for (const event of events) {
          if (event.globalPosition <= target.position) continue;
          const e = projectedOf(event);
          if (e === null) continue;
          try {
            target.projection.apply(db, e);
          } catch (error) {
            throw new ProjectionFailedError(target.projection.name, event, error);
          }
        }
        const position = Math.max(target.position, last);
        if (position !== target.position) checkpoints.advance(target.projection.name, position);
        const goesLive = target.status === 'rebuilding' && options.liveFrom !== undefined && position >= options.liveFrom;
        if (goesLive) checkpoints.markLive(target.projection.name);
        return { position, status: goesLive ? ('live' as const) : target.status };
      });
    })
    .immediate();

  targets.forEach((target, i) => {
    target.position = committed[i].position;
    target.status = committed[i].status;
  });
}
