import type { Database } from 'better-sqlite3';
import type { Subscription } from 'rxjs';
import type { EventStore, RecordedEvent } from '../../ledger/event-store';
import type { Projection } from '../projection';
import { ProjectionFailedError, applyBatch, type ProjectionTarget } from './apply-batch';
import { Checkpoints, assertUniqueNames } from './checkpoints';
import { UnreadableEventError, type Upcaster } from './projected-event';
import { LockLostError, ProjectorLock, describeHolder, type LockHolder, type ProjectorLockOptions } from './projector-lock';

/**
 * starting: preparing tables and subscribing · running: following the log · standby: another
 * process writes the read models, this one follows their checkpoints · retrying: the store went
 * away, resubscribing · failed: a projection or an event could not be applied; nothing moves until
 * a restart · stopped.
 */
export type ProjectorStatus = 'starting' | 'running' | 'standby' | 'retrying' | 'failed' | 'stopped';

export interface ProjectorHealth {
  /** The read models include every event up to here (the lowest checkpoint). */
  position: number;
  /** Global positions between the log's head and `position`; null when the head is unknown. */
  lag: number | null;
  status: ProjectorStatus;
  detail?: string;
}

export interface ProjectorLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string, stack?: string): void;
}

export interface ProjectorOptions {
  /** Most events applied in one transaction. */
  batchSize?: number;
  upcast?: Upcaster;
  logger?: ProjectorLogger;
  lock?: ProjectorLockOptions;
  /** How often the lock's heartbeat is written between batches. */
  heartbeatMs?: number;
  /** How often a standby projector reads the checkpoints and tries to take the lock. */
  standbyPollMs?: number;
  /** Backoff between resubscriptions after the store failed. */
  retryDelayMs?: { initial: number; max: number };
}

export const DEFAULT_BATCH_SIZE = 500;
const BUSY_RETRY_MS = 200;

interface Waiter {
  position: number;
  resolve: (reached: boolean) => void;
  timer: NodeJS.Timeout;
}

const silentLogger: ProjectorLogger = { log: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * Keeps the read models up to date: follows the store's subscription from the lowest checkpoint
 * and applies everything available (up to `batchSize` events) in one transaction with the
 * checkpoints. One process at a time writes (ProjectorLock); others stand by and follow the
 * checkpoints, so read-your-writes works on every server sharing the data dir.
 */
export class Projector {
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
  private standbyPosition = 0;
  private standbyHolder: string | undefined;
  private pending: RecordedEvent[] = [];
  private flushScheduled = false;
  private liveFrom: number | undefined;
  private subscription: Subscription | undefined;
  /** Bumped whenever a subscription is dropped, so late callbacks of an old one are ignored. */
  private generation = 0;
  private retryDelay: number;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private standbyTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private busyTimer: NodeJS.Timeout | undefined;
  private readonly waiters = new Set<Waiter>();

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

  /** Every event up to this global position is in every read model. */
  get position(): number {
    if (this.state === 'standby') return this.standbyPosition;
    if (this.targets.length === 0) return this.lastSeen;
    return Math.min(...this.targets.map((t) => t.position));
  }

  health(head: number | null): ProjectorHealth {
    const position = this.position;
    return {
      position,
      lag: head === null ? null : Math.max(0, head - position),
      status: this.state,
      ...(this.detail !== undefined && { detail: this.detail }),
    };
  }

  /**
   * Resolves true once the read models include `position` (at once if they do), false after
   * `timeoutMs` or when the projector fails or stops first.
   */
  waitForPosition(position: number, timeoutMs: number): Promise<boolean> {
    if (position <= this.position) return Promise.resolve(true);
    if (this.state === 'failed' || this.state === 'stopped') return Promise.resolve(false);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        position,
        resolve,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          resolve(false);
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  async start(): Promise<void> {
    if (this.started) throw new Error('the projector has already been started');
    this.started = true;
    this.state = 'starting';
    await this.activate();
  }

  /** Stops following the log: unsubscribes, applies what was already received, releases the lock. */
  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    const active = this.state === 'running' || this.state === 'retrying' || this.state === 'starting';
    this.generation++;
    this.subscription?.unsubscribe();
    this.clearTimers();
    if (active && this.db.open) {
      while (this.pending.length > 0 && this.flushOne()) {
        // finishing the batches already received; flushOne halts on failure
      }
    }
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
    this.clearTimer('standbyTimer');
    this.standbyHolder = undefined;
    try {
      this.targets = this.db
        .transaction(() =>
          this.projections.map((projection): ProjectionTarget => {
            const checkpoint = this.checkpoints.prepare(projection);
            return { projection, position: checkpoint.position, status: checkpoint.status };
          }),
        )
        .immediate();
    } catch (error) {
      this.halt(error);
      return;
    }
    this.heartbeatTimer = setInterval(() => this.heartbeat(), this.options.heartbeatMs ?? 3000);
    this.heartbeatTimer.unref();
    await this.subscribe();
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
    if (this.busyTimer !== undefined) return;
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

  /** Applies the next batch of pending events; false when the projector halted. */
  private flushOne(): boolean {
    if (this.pending.length === 0 || !this.db.open) return this.state === 'running' || this.state === 'retrying';
    const batch = this.pending.splice(0, this.batchSize);
    const wasRebuilding = new Set(this.targets.filter((t) => t.status === 'rebuilding'));
    try {
      applyBatch(this.db, this.checkpoints, this.targets, batch, { upcast: this.options.upcast, lock: this.lock, liveFrom: this.liveFrom });
    } catch (error) {
      if (!isBusy(error)) {
        this.halt(error);
        return false;
      }
      // Another process held the database past the busy timeout: nothing was applied; try again shortly.
      this.pending.unshift(...batch);
      this.logger.warn(`read-model database busy (${messageOf(error)}); retrying the batch`);
      this.busyTimer ??= setTimeout(() => {
        this.busyTimer = undefined;
        this.scheduleFlush();
      }, BUSY_RETRY_MS);
      return false;
    }
    this.lastSeen = batch[batch.length - 1].globalPosition;
    for (const t of wasRebuilding) {
      if (t.status === 'live') this.logger.log(`read model "${t.projection.name}" is rebuilt and live at position ${t.position}`);
    }
    this.settleWaiters();
    return true;
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
    while (this.pending.length > 0 && this.flushOne()) {
      // applying what was received
    }
    if (this.state !== 'running' && this.state !== 'retrying') return;
    this.dropSubscription();
    this.state = 'retrying';
    this.detail = `event store subscription failed: ${messageOf(error)}`;
    const delay = this.retryDelay;
    this.retryDelay = Math.min(delay * 2, this.options.retryDelayMs?.max ?? 30_000);
    this.logger.warn(`${this.detail}; resubscribing in ${delay} ms`);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.subscribe().catch((e: unknown) => this.onStoreError(e));
    }, delay);
  }

  /** The store completes its subscriptions when it closes: nothing more will come. */
  private onStoreClosed(): void {
    while (this.pending.length > 0 && this.flushOne()) {
      // applying what was received
    }
    if (this.state !== 'running') return;
    this.dropSubscription();
    this.clearTimers();
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
    this.clearTimers();
    if (error instanceof LockLostError) {
      this.logger.warn(`${error.message}; standing by`);
      this.enterStandby(error.holder);
      return;
    }
    this.state = 'failed';
    // /health is public: it names where the projector stopped, the log says why.
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
    if (this.standbyTimer === undefined) {
      this.standbyTimer = setInterval(() => {
        this.followCheckpoints();
        this.activate().catch((error: unknown) => this.halt(error));
      }, this.options.standbyPollMs ?? 1000);
      this.standbyTimer.unref();
    }
  }

  private followCheckpoints(): void {
    try {
      const positions = this.projections.map((p) => this.checkpoints.get(p.name)?.position ?? 0);
      if (positions.length > 0) this.standbyPosition = Math.min(...positions);
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
    const final = this.state === 'failed' || this.state === 'stopped';
    const position = this.position;
    for (const waiter of this.waiters) {
      const reached = waiter.position <= position;
      if (!reached && !final) continue;
      clearTimeout(waiter.timer);
      this.waiters.delete(waiter);
      waiter.resolve(reached);
    }
  }

  private clearTimers(): void {
    this.clearTimer('heartbeatTimer');
    this.clearTimer('standbyTimer');
    this.clearTimer('retryTimer');
    this.clearTimer('busyTimer');
  }

  private clearTimer(name: 'heartbeatTimer' | 'standbyTimer' | 'retryTimer' | 'busyTimer'): void {
    const timer = this[name];
    if (timer !== undefined) {
      clearTimeout(timer);
      this[name] = undefined;
    }
  }
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^SQLITE_(BUSY|LOCKED)/.test(code);
}

function publicDetail(error: unknown): string {
  if (error instanceof ProjectionFailedError) {
    return `projection "${error.projection}" failed on event #${error.event.globalPosition} (${error.event.type}); see the server log`;
  }
  if (error instanceof UnreadableEventError) {
    return `event #${error.event.globalPosition} (${error.event.type}) cannot be read; see the server log`;
  }
  return 'the projector failed; see the server log';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
