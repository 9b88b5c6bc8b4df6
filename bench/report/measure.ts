import type { LatencySummary } from '../measures/latency';

/** Where a figure stands: a limit of this machine, the peer store, or this project. */
export type MeasureGroup = 'limit' | 'peer' | 'ours';

/** One figure of the run. `value` is the headline, in `unit`; latencies are per operation. */
export interface Measure {
  id: string;
  group: MeasureGroup;
  title: string;
  value: number;
  unit: string;
  latency?: LatencySummary;
  /** Operations counted for `value` (events, rows, requests). */
  operations?: number;
  durationSeconds?: number;
  /** What a reader must know to read the figure right (caps, configuration, caveats). */
  notes?: string[];
  detail?: Record<string, unknown>;
}

export const rate = (operations: number, milliseconds: number): number => (milliseconds > 0 ? (operations * 1000) / milliseconds : NaN);
