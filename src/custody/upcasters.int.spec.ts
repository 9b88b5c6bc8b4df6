import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../ledger/sqlite/sqlite-event-store';
import type { Actor } from '../shared/actor';
import { FixedClock } from '../shared/clock';
import { CASH, SEIZURE_ID, actors, custodians, seizureRecorded } from '../../test/support/custody-fixtures';
import { handleSeizureCommand, loadSeizure } from './handle-command';
import { seizureStreamName } from './events';

/** A ledger written by an earlier release: its events keep their old shapes forever. */
describe('reading events stored in an older schema (real SQLite store)', () => {
  let dir: string;
  let store: SqliteEventStore;
  const clock = new FixedClock('2024-04-21T06:00:00.000Z');

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-upcast-'));
    store = SqliteEventStore.open({ filename: join(dir, 'ledger.sqlite'), clock });
    const actor = (a: Actor) => ({ sub: a.sub, name: a.name, unit: a.unit, agency: a.agency, roles: a.roles });
    const { actorSub: _ignored, ...recorded } = seizureRecorded();
    await store.appendToStream(seizureStreamName(SEIZURE_ID), [
      // Written before schema versions were recorded at all: read as version 1.
      {
        id: randomUUID(),
        type: recorded.type,
        data: recorded.data as never,
        metadata: { actor: actor(actors.flyingSquad), occurredAt: '2024-04-19T06:00:00.000Z' },
      },
      {
        id: randomUUID(),
        type: 'CustodyTransferInitiated',
        data: {
          transferId: 't-1',
          itemIds: [CASH],
          from: custodians.flyingSquad,
          to: custodians.treasury,
          sealNumbers: ['S-1001'],
          reason: 'deposit',
        },
        metadata: { actor: actor(actors.flyingSquad), occurredAt: '2024-04-19T08:00:00.000Z', schemaVersion: 1 },
      },
      {
        id: randomUUID(),
        type: 'CustodyTransferAccepted',
        data: {
          transferId: 't-1',
          itemIds: [CASH],
          from: custodians.flyingSquad,
          to: custodians.treasury,
          sealsIntact: true,
          sealNumbersFound: ['S-1001'],
          countedQuantities: [{ itemId: CASH, quantity: 125_000_000 }],
          remarks: 'v1 acceptance',
        },
        metadata: { actor: actor(actors.treasuryOfficer), occurredAt: '2024-04-19T09:00:00.000Z', schemaVersion: 1 },
      },
    ]);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('folds the old acceptance as the current shape: the treasury holds the cash under seal S-1001', async () => {
    const { state } = await loadSeizure(store, SEIZURE_ID);
    if (state.status !== 'recorded') throw new Error('expected a recorded seizure');
    expect(state.items[CASH]).toMatchObject({ custodian: custodians.treasury, sealNumbers: ['S-1001'], openTransferId: null });
  });

  it('lets new commands follow old events, writing the new ones in the current version', async () => {
    const outcome = await handleSeizureCommand(
      store,
      SEIZURE_ID,
      {
        type: 'InitiateCustodyTransfer',
        data: {
          transferId: 't-2',
          itemIds: [CASH],
          to: { kind: 'court', id: 'COURT-CJM-VNS', name: 'CJM' },
          sealNumbers: ['S-1001'],
          reason: 'produced in court',
        },
      },
      { actor: actors.treasuryOfficer, now: clock.now() },
    );
    expect(outcome.events).toEqual([{ eventId: expect.any(String), type: 'CustodyTransferInitiated' }]);
    await handleSeizureCommand(
      store,
      SEIZURE_ID,
      {
        type: 'AcceptCustodyTransfer',
        data: {
          transferId: 't-2',
          seals: [{ number: 'S-1001', condition: 'intact' }],
          countedQuantities: [{ itemId: CASH, quantity: 125_000_000 }],
          remarks: '',
        },
      },
      { actor: { ...actors.court, roles: ['custodian'], unit: 'COURT-CJM-VNS' }, now: clock.now() },
    );
    const stored = await store.readStream(seizureStreamName(SEIZURE_ID));
    const acceptances = stored.filter((e) => e.type === 'CustodyTransferAccepted');
    // The old event is untouched on disk; the new one is written in the current version.
    expect(acceptances.map((e) => e.metadata.schemaVersion)).toEqual([1, 3]);
    expect(acceptances[0].data).toMatchObject({ sealsIntact: true, sealNumbersFound: ['S-1001'] });
    expect(acceptances[1].data).toMatchObject({ seals: [{ number: 'S-1001', condition: 'intact' }] });
    expect((await store.verifyStream(seizureStreamName(SEIZURE_ID))).ok).toBe(true);
  });
});
