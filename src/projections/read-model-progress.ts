import { failedAmong, positionView, PositionWaiters, type PositionView } from './position-waiters';
import { healthOf, type ProjectorHealth, type ProjectorStatus } from './projector-health';
import type { FailedReadModel, ReadModelState } from './read-model-failure';

/** Where a projector is: small and plain, so that one message carries it from a worker thread. */
export interface ProjectorProgress {
  status: ProjectorStatus;
  /** Why the projector itself is not running, if it is not. */
  detail: string | undefined;
  /** Each read model's checkpoint, and where it failed if it did. */
  readModels: ReadModelState[];
  /** The last event seen: the position when no projection is registered (0 while standing by). */
  lastSeen: number;
}

/** What the query side and /health need of the projector, wherever it runs: this thread or a worker. */
export interface ReadModelProgress {
  readonly status: ProjectorStatus;
  /** Every event up to this global position is in every read model that has not failed. */
  readonly position: number;
  /** The position of the named read models (all when none are named), failed ones left out. */
  positionOf(readModels?: readonly string[]): number;
  readModels(): ReadModelState[];
  failures(): FailedReadModel[];
  /** The named read models that failed; with none named, the failed ones only when no healthy one is left. */
  failedAmong(readModels?: readonly string[]): FailedReadModel[];
  health(head: number | null): ProjectorHealth;
  /**
   * True once the named read models (all healthy ones when none are named) include `position`;
   * false after `timeoutMs`, at once when a named read model failed, or when the projector fails
   * or stops first. A failed read model never holds up the others.
   */
  waitForPosition(position: number, timeoutMs: number, readModels?: readonly string[]): Promise<boolean>;
}

/** A projector the projection runtime starts at boot and stops at shutdown. */
export interface ProjectorRuntime extends ReadModelProgress {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** The READ_MODEL_PROGRESS port: the running projector, as the readers of read models see it. */
export const READ_MODEL_PROGRESS = Symbol('ReadModelProgress');

export function progressView(progress: ProjectorProgress): PositionView {
  return positionView(
    progress.readModels,
    progress.status === 'standby' ? 0 : progress.lastSeen,
    progress.status === 'failed' || progress.status === 'stopped',
  );
}

const isFailed = (s: ReadModelState): s is FailedReadModel => s.failure !== undefined;

/**
 * ReadModelProgress over the latest ProjectorProgress reported, and the requests waiting on it.
 * The projector keeps one of its own; the main thread keeps one fed by the worker's reports.
 */
export class ReportedProgress implements ReadModelProgress {
  private current: ProjectorProgress;
  private readonly waiters = new PositionWaiters();

  constructor(initial: ProjectorProgress = { status: 'stopped', detail: undefined, readModels: [], lastSeen: 0 }) {
    this.current = initial;
  }

  /** Takes a new report, and answers the waiters it settles. */
  report(progress: ProjectorProgress): void {
    this.current = progress;
    this.waiters.settle(progressView(progress));
  }

  get latest(): ProjectorProgress {
    return this.current;
  }

  get status(): ProjectorStatus {
    return this.current.status;
  }

  get position(): number {
    return this.positionOf();
  }

  positionOf(readModels?: readonly string[]): number {
    return progressView(this.current).positionOf(readModels);
  }

  readModels(): ReadModelState[] {
    return this.current.readModels;
  }

  failures(): FailedReadModel[] {
    return this.current.readModels.filter(isFailed);
  }

  failedAmong(readModels?: readonly string[]): FailedReadModel[] {
    return failedAmong(this.current.readModels, readModels).filter(isFailed);
  }

  health(head: number | null): ProjectorHealth {
    const { status, detail } = this.current;
    return healthOf({ position: this.position, head, status, detail, failed: this.failures() });
  }

  waitForPosition(position: number, timeoutMs: number, readModels?: readonly string[]): Promise<boolean> {
    return this.waiters.wait(progressView(this.current), position, timeoutMs, readModels);
  }
}
