/** Time comes from an injected clock so that tests, replays and projections are deterministic. */
export interface Clock {
  /** The current instant as an ISO-8601 UTC string, e.g. 2024-04-19T05:30:00.000Z. */
  now(): string;
}

export const CLOCK = Symbol('Clock');

export const systemClock: Clock = { now: () => new Date().toISOString() };

/** A clock for tests: starts at a fixed instant and moves only when told. */
export class FixedClock implements Clock {
  private current: number;
  constructor(start = '2024-04-19T05:30:00.000Z') {
    this.current = Date.parse(start);
  }
  now(): string {
    return new Date(this.current).toISOString();
  }
  advance(ms: number): void {
    this.current += ms;
  }
  set(iso: string): void {
    this.current = Date.parse(iso);
  }
}
