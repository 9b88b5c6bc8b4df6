import { join } from 'node:path';
import { systemClock } from '../../src/shared/clock';
import { SqliteEventStore } from '../../src/ledger/sqlite/sqlite-event-store';
import { ProjectorLock } from '../../src/projections/projector-lock';
import { SQLITE_FILENAME } from '../../src/ledger/ledger.module';
import { openReadModelDatabase } from '../../src/projections/read-model-database';
import { rebuildProjections } from '../../src/projections/rebuild';
import { REGISTERED_KEPT_TABLES, REGISTERED_PROJECTIONS } from '../../src/registered-projections';
import type { BenchConsole } from '../report/console';
import { rate, type Measure } from '../report/measure';
import { costPerOperation, startProcessCost } from '../support/process-cost';
import { nowMs } from './latency';

/**
 * Every registered read model rebuilt from position 0 over the full ledger, with the code the
 * `rebuild` command runs (rebuildProjections, its lock, its batch size), in this process, so no
 * start-up time is counted.
 */
export async function measureRebuild(dataDir: string, reporter: BenchConsole): Promise<Measure> {
  const config = { dataDir, eventStoreConnectionString: undefined };
  const db = openReadModelDatabase(config, REGISTERED_KEPT_TABLES);
  const lock = new ProjectorLock(db, 'rebuild');
  const store = SqliteEventStore.open({ filename: join(dataDir, SQLITE_FILENAME), clock: systemClock });
  try {
    const acquired = lock.tryAcquire();
    if (!acquired.acquired) throw new Error(`the read models are locked by pid ${acquired.holder.pid}; the server should have stopped`);
    const head = (await store.health()).lastGlobalPosition ?? 0;
    const progress = reporter.phase('rebuild read models', head, 'events');
    const started = nowMs();
    const cost = startProcessCost();
    const result = await rebuildProjections(db, store, REGISTERED_PROJECTIONS, {
      lock,
      restart: true,
      onProgress: (p) => progress.update(p.done),
    });
    const elapsed = nowMs() - started;
    const perEvent = costPerOperation(cost(), result.events, 'event');
    progress.finish(
      `${result.events.toLocaleString('en-US')} events, ${Math.round(rate(result.events, elapsed)).toLocaleString('en-US')} events/s`,
    );
    return {
      id: 'ours.rebuild',
      group: 'ours',
      title: `read-model rebuild (${REGISTERED_PROJECTIONS.length} read models)`,
      value: rate(result.events, elapsed),
      unit: 'events/s',
      operations: result.events,
      durationSeconds: elapsed / 1000,
      notes: perEvent.notes,
      detail: { projections: result.projections.map((p) => p.name), ...perEvent.detail },
    };
  } finally {
    lock.release();
    db.close();
    await store.close();
  }
}
