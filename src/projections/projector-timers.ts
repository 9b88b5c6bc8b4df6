/** What the projector waits for: lock heartbeats, standby polling, resubscribing, a busy database. */
export type ProjectorTimerName = 'heartbeat' | 'standby' | 'retry' | 'busy';

/**
 * The projector's timers, one per purpose, so that stopping or halting clears every one of them.
 * Repeating ones do not keep the process alive; one-shot ones forget themselves when they fire.
 */
export class ProjectorTimers {
  private readonly timers = new Map<ProjectorTimerName, NodeJS.Timeout>();

  has(name: ProjectorTimerName): boolean {
    return this.timers.has(name);
  }

  /** Runs `task` every `ms`. */
  repeat(name: ProjectorTimerName, ms: number, task: () => void): void {
    const timer = setInterval(task, ms);
    timer.unref();
    this.timers.set(name, timer);
  }

  /** Runs `task` once, after `ms`. */
  once(name: ProjectorTimerName, ms: number, task: () => void): void {
    this.timers.set(
      name,
      setTimeout(() => {
        this.timers.delete(name);
        task();
      }, ms),
    );
  }

  clear(name: ProjectorTimerName): void {
    const timer = this.timers.get(name);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.timers.delete(name);
  }

  clearAll(): void {
    for (const name of [...this.timers.keys()]) this.clear(name);
  }
}
