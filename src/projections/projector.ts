import type { Database } from 'better-sqlite3';
import type { Subscription } from 'rxjs';
import type { EventStore, RecordedEvent } from '../ledger/event-store';
import type { Projection } from './projection';
import { applyBatch, type NewFailure, type ProjectionTarget } from './apply-batch';
import { Checkpoints, assertUniqueNames } from './checkpoints';
import { PositionWaiters, failedAmong, type PositionView } from './position-waiters';
import { LockLostError, ProjectorLock, describeHolder, type LockHolder } from './projector-lock';
import { DEFAULT_BATCH_SIZE, isBusy, messageOf, silentLogger, type ProjectorLogger, type ProjectorOptions } from './projector-options';
import { healthOf, publicDetail, type ProjectorHealth, type ProjectorStatus } from './projector-health';
import { ProjectorTimers } from './projector-timers';
import { describeFailure, type FailedReadModel, type ReadModelState } from './read-model-failure';
import { progressView, type ProjectorProgress, type ProjectorRuntime } from './read-model-progress';

export type { FailedReadModelHealth, ProjectorHealth, ProjectorStatus } from './projector-health';
export { DEFAULT_BATCH_SIZE, type ProjectorLogger, type ProjectorOptions } from './projector-options';

const BUSY_RETRY_MS = 200;

/**
 * Keeps the read models up to date: follows the store's subscription from the lowest checkpoint
 * and applies everything available (up to `batchSize` events) in one transaction with the
 * checkpoints. One process at a time writes (ProjectorLock); others stand by and follow the
 * checkpoints, so read-your-writes works on every server sharing the data dir.
 */
export class Projector implements ProjectorRuntime {
  private state: ProjectorStatus = 'stopped';
  private started = false;
  private detail: string | undefined;
  private readonly checkpoints: Checkpoints;
  private readonly lock: ProjectorLock;
  private readonly batchSize: number;
  private readonly logger: ProjectorLogger;
  private targets: ProjectionTarget[] = [];
  /** Last event seen, for the position when no projection is registered. */
  private lastSeen = 0;
  /** The checkpoints another process writes, while standing by. */
  private standbyStates: ReadModelState[] = [];
  private standbyHolder: string | undefined;
  private pending: RecordedEvent[] = [];
  private flushScheduled = false;
  private liveFrom: number | undefined;
  private subscription: Subscription | undefined;
  /** Bumped whenever a subscription is dropped, so late callbacks of an old one are ignored. */
  private generation = 0;
  private retryDelay: number;
  private readonly timers = new ProjectorTimers();
  private readonly waiters = new PositionWaiters();

  constructor(
    private readonly db: Database,
    private readonly store: EventStore,
    private readonly projections: readonly Projection[],
    private readonly options: ProjectorOptions = {},
  ) {
    assertUniqueNames(projections);
    this.checkpoints = new Checkpoints(db);
    this.lock = new ProjectorLock(db, 'server', options.lock);
    this.batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    this.logger = options.logger ?? silentLogger;
    this.retryDelay = options.retryDelayMs?.initial ?? 1000;
  }

  get status(): ProjectorStatus {
    return this.state;
  }

  /** Every event up to this global position is in every read model that has not failed (see ProjectorHealth). */
  get position(): number {
    return this.positionOf();
  }

  /** The position of the named read models (all when none are named), failed ones left out. */
  positionOf(readModels?: readonly string[]): number {
    return this.positionView().positionOf(readModels);
  }

  /** Each read model's checkpoint, and where it failed if it did. */
  readModels(): ReadModelState[] {
    if (this.state === 'standby') return this.standbyStates;
    return this.targets.map((t) => ({ name: t.projection.name, position: t.position, ...(t.failure && { failure: t.failure }) }));
  }

  failures(): FailedReadModel[] {
    return this.readModels().filter((s): s is FailedReadModel => s.failure !== undefined);
  }

  /** The named read models that failed; with none named, the failed ones only when no healthy one is left. */
  failedAmong(readModels?: readonly string[]): FailedReadModel[] {
    return failedAmong(this.readModels(), readModels).filter((s): s is FailedReadModel => s.failure !== undefined);
  }

  health(head: number | null): ProjectorHealth {
    return healthOf({ position: this.position, head, status: this.state, detail: this.detail, failed: this.failures() });
  }

  /**
   * True once the named read models (all healthy ones when none are named) include `position`;
   * false after `timeoutMs`, at once when a named read model failed (callers ask `failedAmong`),
   * or when the projector fails or stops first. A failed read model never holds up the others.
   */
  waitForPosition(position: number, timeoutMs: number, readModels?: readonly string[]): Promise<boolean> {
    return this.waiters.wait(this.positionView(), position, timeoutMs, readModels);
  }

  /** All of the above in one plain object, as a worker thread reports it (see ProjectorThread). */
  progress(): ProjectorProgress {
    return { status: this.state, detail: this.detail, readModels: this.readModels(), lastSeen: this.lastSeen };
  }

  private positionView(): PositionView {
    return progressView(this.progress());
  }

  async start(): Promise<void> {
    if (this.started) throw new Error('the projector has already been started');
    this.started = true;
    this.state = 'starting';
    this.reportProgress();
    await this.activate();
  }

  /** Stops following the log: unsubscribes, applies what was already received, releases the lock. */
  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    const active = this.state === 'running' || this.state === 'retrying' || this.state === 'starting';
    this.generation++;
    this.subscription?.unsubscribe();
    this.timers.clearAll();
    if (active && this.db.open) this.flushReceived();
    this.pending = [];
    this.releaseLock();
    this.state = 'stopped';
    this.settleWaiters();
  }

  /** Takes the lock and starts projecting, or stands by while another process holds it. */
  private async activate(): Promise<void> {
    let acquired;
    try {
      acquired = this.lock.tryAcquire();
    } catch (error) {
      this.logger.warn(`cannot take the read-model lock yet: ${messageOf(error)}`);
      this.enterStandby(undefined);
      return;
    }
    if (!acquired.acquired) {
      this.enterStandby(acquired.holder);
      return;
    }
    this.timers.clear('standby');
    this.standbyHolder = undefined;
    try {
      this.targets = this.prepareTargets();
    } catch (error) {
      this.halt(error);
      return;
    }
    this.timers.repeat('heartbeat', this.options.heartbeatMs ?? 3000, () => this.heartbeat());
    await this.subscribe();
  }

  /** Tables and checkpoints; a read model that failed before is retried from its own checkpoint. */
  private prepareTargets(): ProjectionTarget[] {
    const prepared = this.db
      .transaction(() => this.projections.map((projection) => ({ projection, checkpoint: this.checkpoints.prepare(projection) })))
      .immediate();
    return prepared.map(({ projection, checkpoint: { position, status, retrying } }): ProjectionTarget => {
      if (retrying !== undefined)
        this.logger.warn(`${describeFailure(projection.name, retrying)} before; retrying it from its checkpoint ${position}`);
      return { projection, position, status };
    });
  }

  private async subscribe(): Promise<void> {
    this.state = this.state === 'retrying' ? 'retrying' : 'starting';
    const health = await this.store.health();
    // The head when (re)subscribing: a rebuilding read model that reaches it is live again.
    this.liveFrom = health.reachable ? (health.lastGlobalPosition ?? 0) : undefined;
    if (this.state !== 'starting' && this.state !== 'retrying') return; // stopped or halted meanwhile
    try {
      this.markCaughtUpLive();
    } catch (error) {
      // Busy: the status only says 'rebuilding' a little longer; the next batch marks it live.
      if (!isBusy(error)) {
        this.halt(error);
        return;
      }
    }
    // Only what still has a way to go: on a fresh install every read model is caught up already.
    for (const t of this.targets.filter((target) => target.status === 'rebuilding')) {
      this.logger.log(`read model "${t.projection.name}" (version ${t.projection.version}) is being rebuilt from position ${t.position}`);
    }
    const from = this.position;
    const generation = ++this.generation;
    this.state = 'running';
    this.detail = undefined;
    this.reportProgress();
    this.logger.log(`projecting ${this.targets.length} read models from position ${from}`);
    this.subscription = this.store.subscribeToAll(from).subscribe({
      next: (event) => {
        if (generation === this.generation) this.receive(event);
      },
      error: (error: unknown) => {
        if (generation === this.generation) this.onStoreError(error);
      },
      complete: () => {
        if (generation === this.generation) this.onStoreClosed();
      },
    });
  }

  private receive(event: RecordedEvent): void {
    this.pending.push(event);
    this.retryDelay = this.options.retryDelayMs?.initial ?? 1000;
    // While the database is busy, events queue up until the retry.
    if (this.timers.has('busy')) return;
    if (this.pending.length >= this.batchSize) this.flushOne();
    else this.scheduleFlush();
  }

  /** Everything the subscription delivers in this turn of the event loop goes in one batch. */
  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      if (this.flushOne() && this.pending.length > 0) this.scheduleFlush();
    });
  }

  /** Applies every batch already received, until done or the projector halts. */
  private flushReceived(): void {
    while (this.pending.length > 0 && this.flushOne()) {
      // flushOne halts on failure
    }
  }

  /** Applies the next batch of pending events; false when the projector halted. */
  private flushOne(): boolean {
    if (this.pending.length === 0 || !this.db.open) return this.state === 'running' || this.state === 'retrying';
    const batch = this.pending.splice(0, this.batchSize);
    const wasRebuilding = new Set(this.targets.filter((t) => t.status === 'rebuilding'));
    try {
      const failed = applyBatch(this.db, this.checkpoints, this.targets, batch, {
        upcast: this.options.upcast,
        lock: this.lock,
        liveFrom: this.liveFrom,
      });
      this.reportFailures(failed);
    } catch (error) {
      if (!isBusy(error)) {
        this.halt(error);
        return false;
      }
      // Another process held the database past the busy timeout: nothing was applied; try again shortly.
      this.pending.unshift(...batch);
      this.logger.warn(`read-model database busy (${messageOf(error)}); retrying the batch`);
      if (!this.timers.has('busy')) this.timers.once('busy', BUSY_RETRY_MS, () => this.scheduleFlush());
      return false;
    }
    this.lastSeen = batch[batch.length - 1].globalPosition;
    for (const t of wasRebuilding) {
      if (t.status === 'live') this.logger.log(`read model "${t.projection.name}" is rebuilt and live at position ${t.position}`);
    }
    this.settleWaiters();
    return true;
  }

  private reportFailures(failed: readonly NewFailure[]): void {
    for (const { target, error } of failed) {
      const consequence = `read model "${target.projection.name}" stays at position ${target.position} until fixed code is deployed and the server restarted; the others go on`;
      this.logger.error(`${error.message}. The ${consequence}.`, error.stack);
    }
  }

  private markCaughtUpLive(): void {
    const liveFrom = this.liveFrom;
    if (liveFrom === undefined) return;
    const caughtUp = this.targets.filter((t) => t.status === 'rebuilding' && t.position >= liveFrom);
    if (caughtUp.length === 0) return;
    this.db
      .transaction(() => {
        this.lock.renew();
        for (const t of caughtUp) this.checkpoints.markLive(t.projection.name);
      })
      .immediate();
    for (const t of caughtUp) t.status = 'live';
  }

  private onStoreError(error: unknown): void {
    // What arrived before the failure is sound: apply it, then resubscribe from there.
    this.flushReceived();
    if (this.state !== 'running' && this.state !== 'retrying') return;
    this.dropSubscription();
    this.state = 'retrying';
    this.detail = `event store subscription failed: ${messageOf(error)}`;
    this.reportProgress();
    const delay = this.retryDelay;
    this.retryDelay = Math.min(delay * 2, this.options.retryDelayMs?.max ?? 30_000);
    this.logger.warn(`${this.detail}; resubscribing in ${delay} ms`);
    this.timers.once('retry', delay, () => {
      this.subscribe().catch((e: unknown) => this.onStoreError(e));
    });
  }

  /** The store completes its subscriptions when it closes: nothing more will come. */
  private onStoreClosed(): void {
    this.flushReceived();
    if (this.state !== 'running') return;
    this.dropSubscription();
    this.timers.clearAll();
    this.releaseLock();
    this.state = 'stopped';
    this.detail = 'the event store was closed';
    this.settleWaiters();
  }

  private heartbeat(): void {
    try {
      this.lock.heartbeat();
    } catch (error) {
      if (error instanceof LockLostError) this.halt(error);
      else this.logger.warn(`read-model lock heartbeat failed: ${messageOf(error)}`);
    }
  }

  /** Stops projecting after an error: another writer took over (standby) or an event cannot be applied (failed). */
  private halt(error: unknown): void {
    this.dropSubscription();
    this.timers.clearAll();
    if (error instanceof LockLostError) {
      this.logger.warn(`${error.message}; standing by`);
      this.enterStandby(error.holder);
      return;
    }
    this.state = 'failed';
    this.detail = publicDetail(error);
    this.logger.error(
      `projector stopped: ${messageOf(error)}. Read models stay at position ${this.position} until the cause is fixed and the server restarted.`,
      error instanceof Error ? error.stack : undefined,
    );
    this.releaseLock();
    this.settleWaiters();
  }

  private enterStandby(holder: LockHolder | undefined): void {
    this.state = 'standby';
    const who = holder ? describeHolder(holder) : 'another process';
    this.detail = `read models are written by ${who}`;
    if (holder?.owner !== this.standbyHolder) {
      this.standbyHolder = holder?.owner;
      this.logger.log(`${this.detail}; following its progress`);
    }
    this.followCheckpoints();
    if (!this.timers.has('standby')) {
      this.timers.repeat('standby', this.options.standbyPollMs ?? 1000, () => {
        this.followCheckpoints();
        this.activate().catch((error: unknown) => this.halt(error));
      });
    }
  }

  private followCheckpoints(): void {
    try {
      this.standbyStates = this.checkpoints.states(this.projections);
      this.settleWaiters();
    } catch (error) {
      this.logger.warn(`cannot read the checkpoints: ${messageOf(error)}`);
    }
  }

  private dropSubscription(): void {
    this.generation++;
    this.subscription?.unsubscribe();
    this.subscription = undefined;
    this.pending = [];
  }

  private releaseLock(): void {
    try {
      this.lock.release();
    } catch (error) {
      this.logger.warn(`cannot release the read-model lock: ${messageOf(error)}`);
    }
  }

  /** Resolves the waiters whose position is reached; when nothing more can come, all of them. */
  private settleWaiters(): void {
    const progress = this.progress();
    this.waiters.settle(progressView(progress));
    this.options.onProgress?.(progress);
  }

  /** A change of status or detail that moved no checkpoint: whoever follows the projector sees it too. */
  private reportProgress(): void {
    this.options.onProgress?.(this.progress());
  }
}
