import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { Observable, Subscription } from 'rxjs';
import type { ProjectorHealth, ProjectorStatus } from '../projector-health';
import { messageOf, type ProjectorLogger } from '../projector-options';
import type { FailedReadModel, ReadModelState } from '../read-model-failure';
import { ReportedProgress, type ProjectorRuntime } from '../read-model-progress';
import type { FromProjectorWorker, ProjectorWorkerData, ToProjectorWorker } from './projector-thread-messages';

export interface ProjectorThreadOptions {
  /** The worker's entry file: it calls serveProjector with the registered projections. */
  workerFile: string;
  workerData: ProjectorWorkerData;
  /** Node options of the worker (a TypeScript loader in tests); default: this process's own. */
  execArgv?: string[];
  logger: ProjectorLogger;
  /** Emits when this thread's store committed appends, so the worker reads them at once; completes when that store closes. */
  appendsCommitted?: Observable<void>;
  /** How long a stop may take (the batch in progress, the lock released) before the thread is terminated. */
  stopTimeoutMs?: number;
  /** The worker's V8 limits; default PROJECTOR_RESOURCE_LIMITS. */
  resourceLimits?: ResourceLimits;
}

const DEFAULT_STOP_TIMEOUT_MS = 10_000;

/**
 * A young generation of 16 MiB instead of V8's 48 (semi-spaces grown to 16 MiB each, committed
 * for good once a catch-up has grown them): a batch's garbage dies young all the same, in more and
 * smaller scavenges. The old generation keeps V8's limit: a worker out of memory leaves the
 * projector failed until a restart, and a 10,000-event catch-up batch must always fit.
 */
export const PROJECTOR_RESOURCE_LIMITS: ResourceLimits = { maxYoungGenerationSizeMb: 16 };

/**
 * The projector in a worker thread of its own, so that its batches (SQLite commits that can take
 * a good part of the request thread) never hold up a request. The worker opens its own
 * connections to the store and the read models; this side mirrors its progress, which the query
 * side waits on (read-your-writes) and /health shows. A worker that dies leaves the projector
 * failed, as an in-thread projector that cannot go on: commands keep working, reads say why.
 */
export class ProjectorThread implements ProjectorRuntime {
  private readonly reported = new ReportedProgress();
  private worker: Worker | undefined;
  private exited: Promise<void> | undefined;
  private appends: Subscription | undefined;
  private starting: { resolve: () => void; reject: (error: Error) => void } | undefined;
  private stopped: (() => void) | undefined;
  private stopping = false;
  private storeClosed = false;

  constructor(private readonly options: ProjectorThreadOptions) {}

  get status(): ProjectorStatus {
    return this.reported.status;
  }

  get position(): number {
    return this.reported.position;
  }

  positionOf(readModels?: readonly string[]): number {
    return this.reported.positionOf(readModels);
  }

  readModels(): ReadModelState[] {
    return this.reported.readModels();
  }

  failures(): FailedReadModel[] {
    return this.reported.failures();
  }

  failedAmong(readModels?: readonly string[]): FailedReadModel[] {
    return this.reported.failedAmong(readModels);
  }

  health(head: number | null): ProjectorHealth {
    return this.reported.health(head);
  }

  waitForPosition(position: number, timeoutMs: number, readModels?: readonly string[]): Promise<boolean> {
    return this.reported.waitForPosition(position, timeoutMs, readModels);
  }

  /** Resolves once the worker took the lock (or stands by) and subscribed; rejects when it could not open its connections. */
  async start(): Promise<void> {
    if (this.worker !== undefined) throw new Error('the projector thread has already been started');
    this.reported.report({ ...this.reported.latest, status: 'starting' });
    const { workerFile, workerData, execArgv, resourceLimits = PROJECTOR_RESOURCE_LIMITS } = this.options;
    const worker = new Worker(workerFile, { workerData, resourceLimits, ...(execArgv !== undefined && { execArgv }) });
    this.worker = worker;
    this.exited = new Promise((resolve) => worker.once('exit', (code: number) => resolve(this.onExit(code))));
    worker.on('message', (message: FromProjectorWorker) => this.onMessage(message));
    worker.on('error', (error: Error) => this.onWorkerError(error));
    const started = new Promise<void>((resolve, reject) => (this.starting = { resolve, reject }));
    this.post({ type: 'start' });
    this.appends = this.options.appendsCommitted?.subscribe({
      next: () => this.post({ type: 'appended' }),
      complete: () => this.onStoreClosed(),
    });
    await started;
  }

  /** Lets the worker finish its batch and release the writer lock; terminates it if it takes longer than the stop timeout. */
  async stop(): Promise<void> {
    const worker = this.worker;
    if (worker === undefined || this.exited === undefined || this.stopping) return this.exited;
    this.stopping = true;
    this.appends?.unsubscribe();
    const stoppedCleanly = new Promise<boolean>((resolve) => {
      this.stopped = () => resolve(true);
      void this.exited?.then(() => resolve(true));
      setTimeout(() => resolve(false), this.options.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS).unref();
    });
    this.post({ type: 'stop' });
    if (!(await stoppedCleanly)) {
      this.options.logger.warn('the projector thread did not stop in time; terminating it');
      await worker.terminate();
    }
    await this.exited;
    if (this.reported.status !== 'stopped') this.reported.report({ ...this.reported.latest, status: 'stopped' });
  }

  /** As a projector on this thread would, the worker stops once the store closes: nothing more will come. */
  private onStoreClosed(): void {
    this.storeClosed = true;
    this.post({ type: 'store-closed' });
    this.reported.report({ ...this.reported.latest, status: 'stopped', detail: 'the event store was closed' });
  }

  private post(message: ToProjectorWorker): void {
    this.worker?.postMessage(message);
  }

  private onMessage(message: FromProjectorWorker): void {
    switch (message.type) {
      case 'progress':
        // A report sent before the worker heard that the store closed is already out of date.
        if (!this.storeClosed || message.progress.status === 'stopped' || message.progress.status === 'failed') {
          this.reported.report(message.progress);
        }
        return;
      case 'log':
        this.relayLog(message.level, message.message, message.stack);
        return;
      case 'started':
        this.starting?.resolve();
        this.starting = undefined;
        return;
      case 'start-failed':
        this.starting?.reject(new Error(`the projector thread could not start: ${message.message}`));
        this.starting = undefined;
        return;
      case 'stopped':
        this.stopped?.();
        return;
      default: {
        const unexpected: never = message;
        this.options.logger.warn(`unexpected message from the projector thread: ${JSON.stringify(unexpected)}`);
      }
    }
  }

  private relayLog(level: 'log' | 'warn' | 'error', message: string, stack: string | undefined): void {
    if (level === 'error') this.options.logger.error(message, stack);
    else this.options.logger[level](message);
  }

  /** An uncaught error ends the worker; 'exit' follows. */
  private onWorkerError(error: Error): void {
    this.options.logger.error(`the projector thread failed: ${messageOf(error)}`, error.stack);
  }

  private onExit(code: number): void {
    this.appends?.unsubscribe();
    this.worker = undefined;
    this.starting?.reject(new Error(`the projector thread exited (code ${code}) before it started`));
    this.starting = undefined;
    if (this.stopping) return;
    const detail = `the projector thread exited (code ${code}); read models stay at position ${this.reported.position} until the server is restarted`;
    this.options.logger.error(detail);
    this.reported.report({ ...this.reported.latest, status: 'failed', detail: 'the projector failed; see the server log' });
  }
}
