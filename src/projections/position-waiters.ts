import type { ReadModelState } from './read-model-failure';

/**
 * What `position` means once a read model can fail on its own. Without names: the lowest
 * checkpoint among the read models that have NOT failed — a failed one will not move until fixed
 * code is deployed, so waiting for it would hang every request and counting it would hide the lag
 * of the healthy ones; when every read model has failed, the lowest of their checkpoints. With
 * names (a caller that needs exactly these): the lowest of their checkpoints, failed or not — a
 * failed one still holds every event before the one it threw on.
 */
export function lowestPosition(states: readonly ReadModelState[], readModels?: readonly string[]): number | undefined {
  const asked = selected(states, readModels);
  if (asked.length === 0) return undefined;
  const healthy = asked.filter((s) => s.failure === undefined);
  const counted = isNamed(readModels) || healthy.length === 0 ? asked : healthy;
  return Math.min(...counted.map((s) => s.position));
}

const isNamed = (readModels: readonly string[] | undefined): readModels is readonly string[] =>
  readModels !== undefined && readModels.length > 0;

/** The read models asked about that have failed; with none named, those that failed when no healthy one is left. */
export function failedAmong(states: readonly ReadModelState[], readModels?: readonly string[]): ReadModelState[] {
  const asked = selected(states, readModels);
  const failed = asked.filter((s) => s.failure !== undefined);
  if (isNamed(readModels)) return failed;
  return failed.length === asked.length ? failed : [];
}

/** Names no read model has (e.g. one a test does not register) constrain nothing. */
function selected(states: readonly ReadModelState[], readModels: readonly string[] | undefined): readonly ReadModelState[] {
  if (!isNamed(readModels)) return states;
  const named = states.filter((s) => readModels.includes(s.name));
  return named.length > 0 ? named : states;
}

interface Waiter {
  position: number;
  readModels: readonly string[] | undefined;
  resolve: (reached: boolean) => void;
  timer: NodeJS.Timeout;
}

/** Where the read models are now, for settling waiters. */
export interface PositionView {
  /** The position of these read models (see lowestPosition). */
  positionOf(readModels?: readonly string[]): number;
  /** True when one of these read models failed: it will not reach any later position. */
  failedAmong(readModels?: readonly string[]): boolean;
  /** True when the projector stopped or failed: nothing will move any more. */
  final: boolean;
}

export function positionView(states: readonly ReadModelState[], fallback: number, final: boolean): PositionView {
  return {
    positionOf: (readModels) => lowestPosition(states, readModels) ?? fallback,
    failedAmong: (readModels) => failedAmong(states, readModels).length > 0,
    final,
  };
}

/** Requests waiting for read models to reach a position (read-your-writes). */
export class PositionWaiters {
  private readonly waiters = new Set<Waiter>();

  /** Resolves true once reached, false after `timeoutMs` or once it cannot be reached (see settle). */
  wait(view: PositionView, position: number, timeoutMs: number, readModels?: readonly string[]): Promise<boolean> {
    if (position <= view.positionOf(readModels)) return Promise.resolve(true);
    if (view.final || view.failedAmong(readModels)) return Promise.resolve(false);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        position,
        readModels,
        resolve,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          resolve(false);
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  /** Resolves the waiters whose position is reached, and those it cannot be reached for any more. */
  settle(view: PositionView): void {
    for (const waiter of this.waiters) {
      const reached = waiter.position <= view.positionOf(waiter.readModels);
      if (!reached && !view.final && !view.failedAmong(waiter.readModels)) continue;
      clearTimeout(waiter.timer);
      this.waiters.delete(waiter);
      waiter.resolve(reached);
    }
  }
}
