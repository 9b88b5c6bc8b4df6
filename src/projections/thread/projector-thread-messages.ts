import type { ProjectorProgress } from '../read-model-progress';

/** What the main thread tells the projector's worker. */
export type ToProjectorWorker =
  | { type: 'start' }
  /** Finish the batch in progress, release the writer lock, close both connections. */
  | { type: 'stop' }
  /** The main thread's store committed appends: read them now rather than at the next poll. */
  | { type: 'appended' }
  /** The main thread's store was closed: the worker closes its own, and its projector stops as it would here. */
  | { type: 'store-closed' };

export type WorkerLogLevel = 'log' | 'warn' | 'error';

/** What the worker reports back. */
export type FromProjectorWorker =
  | { type: 'progress'; progress: ProjectorProgress }
  | { type: 'log'; level: WorkerLogLevel; message: string; stack?: string }
  | { type: 'started' }
  | { type: 'stopped' }
  /** Opening the databases or the store failed: the projector never ran. */
  | { type: 'start-failed'; message: string; stack?: string };

/** What the worker is started with (workerData): plain values only, the worker opens its own connections. */
export interface ProjectorWorkerData {
  dataDir: string;
  eventStoreConnectionString?: string;
}
