import { parentPort, workerData } from 'node:worker_threads';
import { createEventStore } from './ledger/ledger.module';
import { openReadModelDatabase } from './projections/read-model-database';
import type { ProjectorWorkerData } from './projections/thread/projector-thread-messages';
import { serveProjector } from './projections/thread/serve-projector';
import { REGISTERED_PROJECTIONS } from './registered-projections';
import { systemClock } from './shared/clock';

/**
 * The projector's worker thread (see ProjectorThread): the registered projections over
 * connections of its own to the store and the read models. It never appends, so the clock only
 * dates what the store's own migrations would write, and the main thread has run them already.
 */
if (parentPort !== null) {
  const data = workerData as ProjectorWorkerData;
  serveProjector(parentPort, (appendedElsewhere) => {
    const store = createEventStore(data, systemClock, appendedElsewhere);
    try {
      return { db: openReadModelDatabase(data), store, projections: REGISTERED_PROJECTIONS };
    } catch (error) {
      void store.close();
      throw error;
    }
  });
}
