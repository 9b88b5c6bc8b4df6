/**
 * A separate process for the projector's crash tests (killed with SIGKILL by the test):
 *   rebuild <file> <batchSize> <delayMs> [restart]   rebuilds the test projection, printing
 *                                                   "committed <position>" after every batch
 *   live <file> <batchSize>                         runs the live projector until killed
 */
import type { EventStore } from '../../src/ledger/event-store';
import { SqliteEventStore } from '../../src/ledger/sqlite/sqlite-event-store';
import { systemClock } from '../../src/shared/clock';
import { openDurableDatabase } from '../../src/platform/sqlite/durable-database';
import { prepareReadModelSchema } from '../../src/projections/checkpoints';
import { Projector } from '../../src/projections/projector';
import { ProjectorLock } from '../../src/projections/projector-lock';
import { createTestProjection } from '../../src/projections/projector.test-support';
import { rebuildProjections } from '../../src/projections/rebuild';

const [mode, filename, batchArg, delayArg, restartArg] = process.argv.slice(2);

/** The same store, with every page read slowed down, so a kill lands between batches. */
function slowed(store: EventStore, delayMs: number): EventStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'readAll') {
        return async (...args: Parameters<EventStore['readAll']>) => {
          await new Promise((resolve) => setTimeout(resolve, delayMs));
          return target.readAll(...args);
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

async function main(): Promise<void> {
  const store = SqliteEventStore.open({ filename, clock: systemClock, pollIntervalMs: 20 });
  const db = openDurableDatabase(filename, prepareReadModelSchema);
  const projection = createTestProjection();
  const batchSize = Number(batchArg);
  if (mode === 'rebuild') {
    const lock = new ProjectorLock(db, 'rebuild');
    if (!lock.tryAcquire().acquired) throw new Error('lock held');
    await rebuildProjections(db, slowed(store, Number(delayArg)), [projection], {
      lock,
      batchSize,
      restart: restartArg === 'restart',
      onProgress: (p) => process.stdout.write(`committed ${p.position}\n`),
    });
    process.stdout.write('finished\n');
    lock.release();
  } else if (mode === 'live') {
    const projector = new Projector(db, store, [projection], { batchSize });
    await projector.start();
    process.stdout.write(`started ${projector.status}\n`);
    await new Promise(() => undefined);
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
  db.close();
  await store.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
