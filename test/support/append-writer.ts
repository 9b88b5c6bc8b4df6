/**
 * A separate writer process for the SQLite store's crash and multi-process tests.
 *   crash <file>          appends 10-event batches round-robin to 5 streams until killed,
 *                         printing "acked <stream> <lastRevision>" after each acknowledged append
 *   race-any <file> <n>   appends n batches of 3 to one shared stream with expectedRevision 'any'
 *   race-exact <file> <n> n times: reads the head and appends with that exact revision;
 *                         prints "won <count> lost <count>" at the end
 *   crash-group <file>    64 concurrent appenders, each on its own stream with exact revisions and
 *                         batches of 1–4 events, so appends are group-committed; until killed,
 *                         prints "acked <stream> <lastRevision> <transactions> <appends>" per append
 */
import { randomUUID } from 'node:crypto';
import { WrongExpectedRevisionError } from '../../src/ledger/errors';
import type { NewEvent } from '../../src/ledger/event-store';
import { SqliteEventStore } from '../../src/ledger/sqlite/sqlite-event-store';
import { systemClock } from '../../src/shared/clock';

const [mode, filename, countArg] = process.argv.slice(2);
const store = SqliteEventStore.open({ filename, clock: systemClock });
const filler = 'क'.repeat(1500);
const batch = (size: number, tag: string): NewEvent[] =>
  Array.from({ length: size }, (_, i) => ({ id: randomUUID(), type: 'WriterAppended', data: { tag, i, filler } }));

async function main(): Promise<void> {
  if (mode === 'crash') {
    for (let i = 0; ; i++) {
      const stream = `crash-${i % 5}`;
      const result = await store.appendToStream(stream, batch(10, `b${i}`));
      process.stdout.write(`acked ${stream} ${result.nextExpectedRevision}\n`);
    }
  }
  if (mode === 'crash-group') {
    await Promise.all(
      Array.from({ length: 64 }, async (_, worker) => {
        const stream = `group-${worker}`;
        let expected: number | 'no_stream' = 'no_stream';
        for (let i = 0; ; i++) {
          const size = 1 + (i % 4);
          const tagged = batch(size, `${stream}/${i}`).map((e, k) => ({ ...e, data: { append: `${stream}/${i}`, of: size, k } }));
          const result = await store.appendToStream(stream, tagged, { expectedRevision: expected });
          expected = result.nextExpectedRevision;
          const stats = store.groupCommitStats();
          process.stdout.write(`acked ${stream} ${result.nextExpectedRevision} ${stats.transactions} ${stats.appends}\n`);
        }
      }),
    );
  }
  const count = Number(countArg);
  if (mode === 'race-any') {
    for (let i = 0; i < count; i++) await store.appendToStream('race-any', batch(3, `${process.pid}-${i}`));
  } else if (mode === 'race-exact') {
    let won = 0;
    let lost = 0;
    for (let i = 0; i < count; i++) {
      const [head] = await store.readStream('race-exact', { direction: 'backwards', maxCount: 1 }).catch(() => []);
      try {
        await store.appendToStream('race-exact', batch(1, `${process.pid}-${i}`), {
          expectedRevision: head ? head.revision : 'no_stream',
        });
        won++;
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        lost++;
      }
    }
    process.stdout.write(`won ${won} lost ${lost}\n`);
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
  await store.close();
}

main().catch((error) => {
  process.stderr.write(`${String(error?.stack ?? error)}\n`);
  process.exit(1);
});
