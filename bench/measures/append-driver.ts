import type { PhaseProgress } from '../report/console';
import type { GeneratedAppend, GeneratedSeizure } from '../workload/play-seizure';
import type { Workload, WorkloadTally } from '../workload/workload';
import { LatencyRecorder, nowMs, type LatencySummary } from './latency';

/** Appends one command's events to a store, with the expected revision the workload gives. */
export type AppendOne = (seizure: GeneratedSeizure, append: GeneratedAppend) => Promise<void>;

export interface DriveOptions {
  workload: Workload;
  concurrency: number;
  appendOne: AppendOne;
  /** Stop after the chunk that passes this much appending time; null: the whole workload. */
  budgetSeconds: number | null;
  chunkSize: number;
  progress: PhaseProgress;
  /** Counts every seizure appended, when the caller wants the workload's make-up. */
  tally?: WorkloadTally;
}

export interface DriveResult {
  seizures: number;
  appends: number;
  events: number;
  /** Time spent appending only: generating the next chunk is not counted. */
  elapsedMs: number;
  latency: LatencySummary;
}

/**
 * `concurrency` workers each take the next seizure and append its commands one after another,
 * each with its exact expected revision, timing every append. Seizures are generated a chunk at a
 * time with the clock stopped, so only the store is measured.
 */
export async function driveAppends(options: DriveOptions): Promise<DriveResult> {
  const latency = new LatencyRecorder();
  let seizures = 0;
  let appends = 0;
  let events = 0;
  let elapsedMs = 0;
  const budgetMs = options.budgetSeconds === null ? Infinity : options.budgetSeconds * 1000;
  for (const chunk of options.workload.chunks(options.chunkSize)) {
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let i = next++; i < chunk.length; i = next++) {
        const seizure = chunk[i];
        for (const append of seizure.appends) {
          const t0 = nowMs();
          await options.appendOne(seizure, append);
          latency.record(nowMs() - t0);
        }
      }
    };
    const started = nowMs();
    await Promise.all(Array.from({ length: Math.min(options.concurrency, chunk.length) }, worker));
    elapsedMs += nowMs() - started;
    for (const seizure of chunk) {
      appends += seizure.appends.length;
      events += seizure.eventCount;
      options.tally?.add(seizure);
    }
    seizures += chunk.length;
    options.progress.update(options.budgetSeconds === null ? seizures : Math.floor(elapsedMs / 1000));
    if (elapsedMs >= budgetMs) break;
  }
  return { seizures, appends, events, elapsedMs, latency: latency.summary() };
}
