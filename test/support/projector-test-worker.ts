import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { SqliteEventStore } from '../../src/ledger/sqlite/sqlite-event-store';
import { openReadModelDatabase } from '../../src/projections/read-model-database';
import { createTestProjection } from '../../src/projections/projector.test-support';
import { serveProjector } from '../../src/projections/thread/serve-projector';
import { systemClock } from '../../src/shared/clock';

/**
 * A projector worker over two test projections, for ProjectorThread's tests: `refuses` fails on
 * any revaluation with reason "refuse", and the thread dies (exit code 3) on reason "crash". A
 * one-minute poll makes the main thread's append notices the only prompt way to see new events.
 */
export interface TestWorkerData {
  dataDir: string;
}

if (parentPort !== null) {
  const { dataDir } = workerData as TestWorkerData;
  const reasonOf = (data: unknown): unknown => (data as { reason?: unknown }).reason;
  serveProjector(parentPort, (appendedElsewhere) => ({
    db: openReadModelDatabase({ dataDir, eventStoreConnectionString: undefined }),
    store: SqliteEventStore.open({
      filename: join(dataDir, 'ledger.sqlite'),
      clock: systemClock,
      pollIntervalMs: 60_000,
      appendedElsewhere,
    }),
    projections: [
      createTestProjection({ name: 'follows', onApply: (_db, e) => (reasonOf(e.data) === 'crash' ? process.exit(3) : undefined) }),
      createTestProjection({ name: 'refuses', failOn: (e) => reasonOf(e.data) === 'refuse' }),
    ],
  }));
}
