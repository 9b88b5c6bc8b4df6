import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../ledger/sqlite/sqlite-event-store';
import { FixedClock } from '../shared/clock';
import { NOW, SEIZURE_ID, actors, recordSeizureCommand } from '../../test/support/custody-fixtures';
import { seizureStreamName } from './events';
import { SeizureRuleViolation } from './errors';
import { handleSeizureCommand } from './handle-command';

const clock = new FixedClock(NOW);
const ctx = (actor = actors.flyingSquad) => ({ actor, now: NOW });

const refusal = async (promise: Promise<unknown>): Promise<SeizureRuleViolation> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SeizureRuleViolation) return error;
    throw error;
  }
  throw new Error('expected the command to be refused');
};

/** Recording a seizure appends to a new stream without reading it first; the answers stay those of read → decide → append. */
describe('handleSeizureCommand: RecordSeizure (real SQLite store)', () => {
  let dir: string;
  let store: SqliteEventStore;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-handle-'));
    store = SqliteEventStore.open({ filename: join(dir, 'ledger.sqlite'), clock });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('records a new seizure with one append and no read of the stream', async () => {
    const read = jest.spyOn(store, 'readStream');
    const append = jest.spyOn(store, 'appendToStream');

    const outcome = await handleSeizureCommand(store, SEIZURE_ID, recordSeizureCommand(), ctx());

    expect(outcome).toMatchObject({ seizureId: SEIZURE_ID, revision: 0, events: [{ type: 'SeizureRecorded' }] });
    expect(read).not.toHaveBeenCalled();
    expect(append).toHaveBeenCalledTimes(1);
    expect(append.mock.calls[0][2]).toEqual({ expectedRevision: 'no_stream' });
    expect(await store.readStream(seizureStreamName(SEIZURE_ID))).toHaveLength(1);
  });

  it('gives events time-ordered ids (UUIDv7), so they reach the event-id index in ascending order', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const seizureId = `5b0e7f1c-6a3e-4c1d-9d0e-${String(i).padStart(12, '0')}`;
      const outcome = await handleSeizureCommand(store, seizureId, recordSeizureCommand({ memoNumber: `FS3/VNS/2024/${i}` }), ctx());
      ids.push(...outcome.events.map((e) => e.eventId));
    }
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect([...ids].sort()).toEqual(ids);
  });

  it('answers a retried record (same officer, same memo) with no events and the stored revision', async () => {
    await handleSeizureCommand(store, SEIZURE_ID, recordSeizureCommand(), ctx());

    const retry = await handleSeizureCommand(store, SEIZURE_ID, recordSeizureCommand(), ctx());

    expect(retry).toEqual({ seizureId: SEIZURE_ID, revision: 0, globalPosition: null, events: [] });
    expect(await store.readStream(seizureStreamName(SEIZURE_ID))).toHaveLength(1);
  });

  it('refuses another record under an existing id as a clash of ids, writing nothing', async () => {
    await handleSeizureCommand(store, SEIZURE_ID, recordSeizureCommand(), ctx());

    expect((await refusal(handleSeizureCommand(store, SEIZURE_ID, recordSeizureCommand({ memoNumber: 'OTHER' }), ctx()))).code).toBe(
      'seizure-already-recorded',
    );
    expect((await refusal(handleSeizureCommand(store, SEIZURE_ID, recordSeizureCommand(), ctx(actors.flyingSquadColleague)))).code).toBe(
      'seizure-already-recorded',
    );
    expect(await store.readStream(seizureStreamName(SEIZURE_ID))).toHaveLength(1);
  });

  it('decides on the stored seizure when the record would be refused on an empty one (a retry is still a no-op)', async () => {
    await handleSeizureCommand(store, SEIZURE_ID, recordSeizureCommand(), ctx());

    // Two witnesses fewer than required: refused for a new seizure, but this one is already recorded.
    const retry = await handleSeizureCommand(store, SEIZURE_ID, recordSeizureCommand({ witnesses: [] }), ctx());

    expect(retry.events).toEqual([]);
  });

  it('refuses an invalid record on a new stream with the rule it breaks', async () => {
    expect((await refusal(handleSeizureCommand(store, SEIZURE_ID, recordSeizureCommand({ items: [] }), ctx()))).code).toBe('no-items');
    expect((await refusal(handleSeizureCommand(store, SEIZURE_ID, recordSeizureCommand(), ctx(actors.outOfDistrict)))).code).toBe(
      'out-of-scope',
    );
    await expect(store.readStream(seizureStreamName(SEIZURE_ID))).rejects.toThrow();
  });

  it('lets exactly one of two concurrent records of one id write, the other answered as a retry', async () => {
    const outcomes = await Promise.all([
      handleSeizureCommand(store, SEIZURE_ID, recordSeizureCommand(), ctx()),
      handleSeizureCommand(store, SEIZURE_ID, recordSeizureCommand(), ctx()),
    ]);

    expect(outcomes.map((o) => o.events.length).sort()).toEqual([0, 1]);
    expect(await store.readStream(seizureStreamName(SEIZURE_ID))).toHaveLength(1);
  });
});
