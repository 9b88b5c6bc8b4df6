import type { Database } from 'better-sqlite3';
import type { SeizedItem, SeizureLocation } from '../../custody/values';
import type { SeizureEvent } from '../../custody/events';
import { actors, custodians, recordSeizureCommand, seizureRecorded } from '../../../test/support/custody-fixtures';
import { ProjectedEventLog, applyAll, projectionDatabase } from '../../../test/support/projected-event-log';
import { indianDayOf } from '../../shared/indian-day';
import { seizureStatementProjection as projection } from './seizure-statement.projection';

const VARANASI = recordSeizureCommand().data.location;
const A = '11111111-1111-4111-8111-111111111111';

const recorded = (seizureId: string, seizedAt: string, items: SeizedItem[], location: SeizureLocation = VARANASI): SeizureEvent => ({
  type: 'SeizureRecorded',
  data: seizureRecorded({ seizureId, seizedAt, items, location }).data,
});

const liquor: SeizedItem = {
  itemId: 'liq',
  category: 'liquor',
  description: 'Whisky',
  quantity: 48_000,
  unit: 'ml',
  packages: 4,
  sealNumbers: ['S-1'],
  estimatedValuePaise: 4_800_000,
};
const cash: SeizedItem = {
  itemId: 'cash',
  category: 'cash',
  description: 'Rs 500 notes',
  quantity: 125_000_000,
  unit: 'paise',
  packages: 1,
  sealNumbers: ['S-2'],
  estimatedValuePaise: 125_000_000,
};

const itemRows = (db: Database) => db.prepare('SELECT * FROM seizure_statement_items ORDER BY seizure_id, item_id').all();
const position = (db: Database) => db.prepare('SELECT position FROM seizure_statement_position').pluck().get();

describe('seizure statement projection (SQLite)', () => {
  it('dates a seizure by its Indian date, not its UTC date', () => {
    expect(indianDayOf('2024-04-18T18:29:59.999Z')).toBe('2024-04-18');
    expect(indianDayOf('2024-04-18T18:30:00.000Z')).toBe('2024-04-19');
    expect(indianDayOf('2024-04-19T05:30:00+05:30')).toBe('2024-04-19');
  });

  it('files each seized item under the place and IST day of its seizure, at its estimated value', () => {
    const db = projectionDatabase(projection);
    const log = new ProjectedEventLog();
    applyAll(db, projection, [log.append(A, recorded(A, '2024-04-18T20:00:00.000Z', [cash, liquor]), '2024-04-18T21:00:00.000Z')]);

    expect(itemRows(db)).toEqual([
      {
        seizure_id: A,
        item_id: 'cash',
        state: 'UP',
        district: 'UP-VNS',
        constituency: 390,
        election_id: 'GE-2024',
        seized_on: '2024-04-19',
        category: 'cash',
        unit: 'paise',
        quantity: 125_000_000,
        value_paise: 125_000_000,
      },
      {
        seizure_id: A,
        item_id: 'liq',
        state: 'UP',
        district: 'UP-VNS',
        constituency: 390,
        election_id: 'GE-2024',
        seized_on: '2024-04-19',
        category: 'liquor',
        unit: 'ml',
        quantity: 48_000,
        value_paise: 4_800_000,
      },
    ]);
    expect(db.prepare('SELECT * FROM seizure_statement_seizures').all()).toEqual([
      { seizure_id: A, state: 'UP', district: 'UP-VNS', constituency: 390, election_id: 'GE-2024', seized_on: '2024-04-19' },
    ]);
    expect(position(db)).toBe(1);
  });

  it('takes a revaluation as the new value; custody moves, deposits and releases change nothing', () => {
    const db = projectionDatabase(projection);
    const log = new ProjectedEventLog();
    const at = '2024-04-19T08:00:00.000Z';
    applyAll(db, projection, [
      log.append(A, recorded(A, '2024-04-19T05:00:00.000Z', [cash, liquor]), at),
      log.append(
        A,
        {
          type: 'ItemsValued',
          data: {
            valuations: [{ itemId: 'liq', valuePaise: 5_100_000, previousValuePaise: 4_800_000 }],
            basis: 'MRP',
            reason: 'excise rate',
          },
        },
        at,
      ),
      log.append(
        A,
        {
          type: 'CustodyTransferInitiated',
          data: {
            transferId: 't1',
            itemIds: ['cash'],
            from: custodians.flyingSquad,
            to: custodians.treasury,
            sealNumbers: ['S-2'],
            reason: 'deposit',
          },
        },
        at,
      ),
      log.append(
        A,
        {
          type: 'CustodyTransferAccepted',
          data: {
            transferId: 't1',
            itemIds: ['cash'],
            from: custodians.flyingSquad,
            to: custodians.treasury,
            seals: [{ number: 'S-2', condition: 'intact' }],
            countedQuantities: [{ itemId: 'cash', quantity: 125_000_000 }],
            remarks: '',
          },
        },
        at,
        actors.treasuryOfficer,
      ),
      log.append(
        A,
        {
          type: 'ItemsDisposed',
          data: { orderNumber: 'O-1', authority: 'court', orderedOn: '2024-04-19', method: 'destroyed', itemIds: ['liq'], remarks: '' },
        },
        at,
        actors.court,
      ),
    ]);

    expect(itemRows(db)).toMatchObject([
      { item_id: 'cash', value_paise: 125_000_000 },
      { item_id: 'liq', quantity: 48_000, value_paise: 5_100_000 },
    ]);
    expect(position(db)).toBe(5);
  });

  it('does not refuse odd history: a repeated record or a valuation of an unknown item changes nothing', () => {
    const db = projectionDatabase(projection);
    const log = new ProjectedEventLog();
    const at = '2024-04-19T08:00:00.000Z';
    applyAll(db, projection, [
      log.append(A, recorded(A, '2024-04-19T05:00:00.000Z', [cash]), at),
      log.append(A, recorded(A, '2024-04-19T05:00:00.000Z', [cash]), at),
      log.append(
        A,
        { type: 'ItemsValued', data: { valuations: [{ itemId: 'ghost', valuePaise: 1, previousValuePaise: 2 }], basis: 'x', reason: 'y' } },
        at,
      ),
    ]);
    expect(itemRows(db)).toHaveLength(1);
    expect(position(db)).toBe(3);
  });

  it('rebuilds to the very same rows after teardown, and setup twice is harmless', () => {
    const db = projectionDatabase(projection);
    const log = new ProjectedEventLog();
    const at = '2024-04-19T08:00:00.000Z';
    const events = [
      log.append(A, recorded(A, '2024-04-19T05:00:00.000Z', [cash, liquor]), at),
      log.append(
        A,
        {
          type: 'ItemsValued',
          data: { valuations: [{ itemId: 'liq', valuePaise: 6_000_000, previousValuePaise: 4_800_000 }], basis: 'MRP', reason: 'r' },
        },
        at,
      ),
    ];
    applyAll(db, projection, events);
    const before = { items: itemRows(db), position: position(db) };

    projection.teardown(db);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name LIKE 'seizure_statement%'").all()).toEqual([]);
    projection.setup(db);
    projection.setup(db);
    applyAll(db, projection, events);
    expect({ items: itemRows(db), position: position(db) }).toEqual(before);
  });
});
