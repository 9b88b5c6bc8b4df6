import { parentPort, workerData } from 'node:worker_threads';
import { createEventStore } from './ledger/create-event-store';
import { SMALL_PAGE_CACHE_KIB, setPageCache } from './platform/sqlite/durable-database';
import { openReadModelDatabase } from './projections/read-model-database';
import type { ProjectorWorkerData } from './projections/thread/projector-thread-messages';
import { serveProjector } from './projections/thread/serve-projector';
import { REGISTERED_PROJECTIONS } from './registered-projections';
import { systemClock } from './shared/clock';

/**
 * The projector's worker thread (see ProjectorThread): the registered projections over
 * connections of its own to the store and the read models. It never appends, so the clock only
 * dates what the store's own migrations would write, and the main thread has run them already.
 * Its connections keep small page caches: it reads each event once, in order, and the read
 * models' pages it updates are in the OS's file cache, which the main thread's queries share.
 */
const READ_MODEL_PAGE_CACHE_KIB = 4096;

if (parentPort !== null) {
  const data = workerData as ProjectorWorkerData;
  serveProjector(parentPort, (appendedElsewhere) => {
    const store = createEventStore(data, systemClock, appendedElsewhere, { pageCacheKib: SMALL_PAGE_CACHE_KIB });
    try {
      const db = openReadModelDatabase(data);
      setPageCache(db, READ_MODEL_PAGE_CACHE_KIB);
      return { db, store, projections: REGISTERED_PROJECTIONS };
    } catch (error) {
      void store.close();
      throw error;
    }
  });
}
