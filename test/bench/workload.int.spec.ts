import { handleSeizureCommand } from '../../src/custody/handle-command';
import { SqliteEventStore } from '../../src/ledger/sqlite/sqlite-event-store';
import { FixedClock } from '../../src/shared/clock';
import { eventIdsOf } from '../../bench/workload/play-seizure';
import { planSeizure } from '../../bench/workload/seizure-plan';
import { Workload } from '../../bench/workload/workload';

/**
 * The bench appends generated events straight to the store; they must be exactly what the
 * application's command handler writes for the same commands, metadata included.
 */
describe('the benchmark workload against the command handler', () => {
  let store: SqliteEventStore;
  beforeEach(() => {
    store = SqliteEventStore.open({ filename: ':memory:', clock: new FixedClock('2024-07-01T00:00:00.000Z') });
  });
  afterEach(() => store.close());

  it('generates the events handleSeizureCommand appends for the same commands', async () => {
    const seed = 99;
    const workload = new Workload(60, seed);
    for (let index = 0; index < workload.seizureCount; index++) {
      const plan = planSeizure(seed, index);
      const newEventId = eventIdsOf(seed, index);
      for (const step of plan.commands) {
        await handleSeizureCommand(store, plan.seizureId, step.command, { actor: step.actor, now: step.now }, { newEventId });
      }
      const generated = workload.seizure(index);
      const written = await store.readStream(generated.streamName);
      expect(written.map((e) => ({ id: e.id, type: e.type, data: e.data, metadata: e.metadata }))).toEqual(
        generated.appends.flatMap((a) => a.events.map((e) => ({ id: e.id, type: e.type, data: e.data, metadata: e.metadata }))),
      );
    }
  });

  it('appends with the expected revisions the workload gives', async () => {
    const workload = new Workload(40, 5);
    for (const seizure of [...workload.chunks(40)].flat()) {
      for (const append of seizure.appends)
        await store.appendToStream(seizure.streamName, append.events, { expectedRevision: append.expectedRevision });
    }
    expect((await store.health()).lastGlobalPosition).toBe([...workload.chunks(40)].flat().reduce((sum, s) => sum + s.eventCount, 0));
    expect((await store.verifyAll()).ok).toBe(true);
  });
});
