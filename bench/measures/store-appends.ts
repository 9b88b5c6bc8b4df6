import { systemClock } from '../../src/shared/clock';
import { SqliteEventStore } from '../../src/ledger/sqlite/sqlite-event-store';
import type { BenchConsole } from '../report/console';
import { rate, type Measure } from '../report/measure';
import type { Workload, WorkloadTally } from '../workload/workload';
import { costPerOperation, startProcessCost } from '../support/process-cost';
import { driveAppends } from './append-driver';

export interface StoreAppendOptions {
  filename: string;
  workload: Workload;
  concurrency: number;
  /** Null: append the whole workload (the ledger the server phases then read). */
  budgetSeconds: number | null;
  reporter: BenchConsole;
  tally?: WorkloadTally;
}

/** Our embedded store, opened as the server opens it, appending the workload through its port. */
export async function measureStoreAppends(options: StoreAppendOptions): Promise<Measure> {
  const store = SqliteEventStore.open({ filename: options.filename, clock: systemClock });
  const label = `store appends, concurrency ${options.concurrency}`;
  const progress =
    options.budgetSeconds === null
      ? options.reporter.phase(label, options.workload.seizureCount, 'seizures')
      : options.reporter.phase(label, Math.ceil(options.budgetSeconds), 's');
  try {
    const cost = startProcessCost();
    const result = await driveAppends({
      workload: options.workload,
      concurrency: options.concurrency,
      appendOne: async (seizure, append) => {
        await store.appendToStream(seizure.streamName, append.events, { expectedRevision: append.expectedRevision });
      },
      budgetSeconds: options.budgetSeconds,
      // Large chunks at concurrency 64, so that workers running dry at a chunk's end hardly count.
      chunkSize: options.concurrency === 1 ? 250 : 4000,
      progress,
      tally: options.tally,
    });
    const perEvent = costPerOperation(cost(), result.events, 'event', 'generating the workload included');
    const eventsPerSecond = rate(result.events, result.elapsedMs);
    // A fresh store: its counters hold this run's commits only. Every append of the run succeeds, so each event is one row.
    const { transactions } = store.groupCommitStats();
    const rowsPerTransaction = transactions > 0 ? result.events / transactions : NaN;
    progress.finish(`${result.events.toLocaleString('en-US')} events, ${Math.round(eventsPerSecond).toLocaleString('en-US')} events/s`);
    const capped = result.seizures < options.workload.seizureCount;
    return {
      id: `ours.store-append-c${options.concurrency}`,
      group: 'ours',
      title: `store appends, concurrency ${options.concurrency}`,
      value: eventsPerSecond,
      unit: 'events/s',
      latency: result.latency,
      operations: result.events,
      durationSeconds: result.elapsedMs / 1000,
      notes: [
        'latency per append (one command’s events)',
        `group commit: ${rowsPerTransaction.toFixed(1)} rows (events) per transaction on average, ${(result.appends / transactions).toFixed(1)} appends`,
        ...perEvent.notes,
        ...(capped
          ? [
              `time-boxed at ${Math.round(options.budgetSeconds ?? 0)} s: ${result.seizures.toLocaleString('en-US')} of ${options.workload.seizureCount.toLocaleString('en-US')} seizures`,
            ]
          : []),
      ],
      detail: {
        seizures: result.seizures,
        appends: result.appends,
        appendsPerSecond: rate(result.appends, result.elapsedMs),
        transactions,
        rowsPerTransaction,
        ...perEvent.detail,
      },
    };
  } finally {
    await store.close();
  }
}
