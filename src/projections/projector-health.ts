import { ProjectionFailedError } from './apply-batch';
import { UnreadableEventError } from './projected-event';
import { describeFailure, type FailedReadModel } from './read-model-failure';

/**
 * starting: preparing tables and subscribing · running: following the log · standby: another
 * process writes the read models, this one follows their checkpoints · retrying: the store went
 * away, resubscribing · failed: the read-model database itself failed (not one read model: those
 * fail alone, see `failedReadModels`); nothing moves until a restart · stopped.
 */
export type ProjectorStatus = 'starting' | 'running' | 'standby' | 'retrying' | 'failed' | 'stopped';

/** A read model that threw on an event, as /health shows it: the event's envelope, never its data. */
export interface FailedReadModelHealth {
  name: string;
  /** Its checkpoint: every event before the failing one is applied. */
  position: number;
  failedAt: { position: number; eventId: string; eventType: string; streamName: string };
  error: string;
}

export interface ProjectorHealth {
  /**
   * Every read model that has not failed includes every event up to here (the lowest of their
   * checkpoints). A failed read model is left out, so the lag of the healthy ones stays visible;
   * it is listed in `failedReadModels` with its own position.
   */
  position: number;
  /** Global positions between the log's head and `position`; null when the head is unknown. */
  lag: number | null;
  status: ProjectorStatus;
  detail?: string;
  /** Present when read models failed: they stay at their position until fixed code is deployed. */
  failedReadModels?: FailedReadModelHealth[];
}

export interface HealthInput {
  position: number;
  head: number | null;
  status: ProjectorStatus;
  /** Why the projector itself is not running, if it is not. */
  detail: string | undefined;
  failed: readonly FailedReadModel[];
}

/** `detail` says why the projector stopped, else which read models failed. */
export function healthOf({ position, head, status, detail, failed }: HealthInput): ProjectorHealth {
  const failures = failed.map((f) => describeFailure(f.name, f.failure)).join('; ');
  const shownDetail = detail ?? (failed.length > 0 ? `${failures}; see the server log` : undefined);
  return {
    position,
    lag: head === null ? null : Math.max(0, head - position),
    status,
    ...(shownDetail !== undefined && { detail: shownDetail }),
    ...(failed.length > 0 && { failedReadModels: failed.map(toFailedHealth) }),
  };
}

function toFailedHealth({ name, position, failure }: FailedReadModel): FailedReadModelHealth {
  return {
    name,
    position,
    failedAt: { position: failure.position, eventId: failure.eventId, eventType: failure.eventType, streamName: failure.streamName },
    error: failure.error,
  };
}

/** /health is public: it names where the projector stopped, the log says why. */
export function publicDetail(error: unknown): string {
  if (error instanceof ProjectionFailedError) {
    return `projection "${error.projection}" failed on event #${error.event.globalPosition} (${error.event.type}); see the server log`;
  }
  if (error instanceof UnreadableEventError) {
    return `event #${error.event.globalPosition} (${error.event.type}) cannot be read; see the server log`;
  }
  return 'the projector failed; see the server log';
}
