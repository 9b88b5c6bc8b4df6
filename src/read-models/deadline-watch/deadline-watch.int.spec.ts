import type { Database } from 'better-sqlite3';
import type { Custodian, SeizedItem, SeizureLocation } from '../../custody/values';
import type { SeizureEvent } from '../../custody/events';
import { INCOME_TAX_THRESHOLD_PAISE } from '../../custody/rules';
import type { Actor } from '../../shared/actor';
import { FixedClock } from '../../shared/clock';
import { actors, custodians, recordSeizureCommand, seizureRecorded } from '../../../test/support/custody-fixtures';
import { ProjectedEventLog, applyAll, projectionDatabase } from '../../../test/support/projected-event-log';
import { endOfIndianDay } from '../../shared/indian-day';
import { DEFAULT_RETENTION } from '../../config/retention-settings';
import { retentionProjection } from '../retention/retention.projection';
import { RetentionQuery } from '../retention/retention.query';
import { deadlineWatchProjection as projection } from './deadline-watch.projection';
import { DeadlineWatchQuery, humanDuration, judge, type Deadline, type HeldAfterPoll } from './deadline-watch.query';

const VARANASI = recordSeizureCommand().data.location;
const LUCKNOW: SeizureLocation = { ...VARANASI, district: 'UP-LKO', assemblyConstituency: 170, parliamentaryConstituency: 34 };
const TEAM = custodians.flyingSquad;
const TREASURY = custodians.treasury;
const MALKHANA = custodians.malkhana;
const SECOND = 1000;
const HOUR = 3_600_000;
const plus = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

const item = (
  itemId: string,
  category: SeizedItem['category'],
  quantity: number,
  unit: SeizedItem['unit'],
  value = quantity,
): SeizedItem => ({
  itemId,
  category,
  description: `${itemId} description`,
  quantity,
  unit,
  packages: 1,
  sealNumbers: [],
  estimatedValuePaise: value,
});
const recorded = (
  seizureId: string,
  seizedAt: string,
  items: SeizedItem[],
  pollDate = '2024-06-01',
  location = VARANASI,
): SeizureEvent => ({
  type: 'SeizureRecorded',
  data: seizureRecorded({
    seizureId,
    memoNumber: `memo-${seizureId}`,
    seizedAt,
    items,
    location,
    election: { id: 'GE-2024', name: 'GE', pollDate },
  }).data,
});
const initiated = (transferId: string, itemIds: string[], to: Custodian): SeizureEvent => ({
  type: 'CustodyTransferInitiated',
  data: { transferId, itemIds, from: TEAM, to, sealNumbers: [], reason: 'r' },
});

const national: Actor = actors.court;
const LIQUOR = item('liq', 'liquor', 48_000, 'ml', 4_800_000);
const SMALL_CASH = item('cash', 'cash', 5_000_000, 'paise');

// Poll on 1 June: the seventh day after it ends at midnight IST, 18:30 UTC on 8 June.
const RELEASE_DUE = '2024-06-08T18:30:00.000Z';

describe('deadline watch: the dates it fixes', () => {
  it('ends an IST day at 18:30 UTC, across month ends', () => {
    expect(endOfIndianDay('2024-06-01', 7)).toBe(RELEASE_DUE);
    expect(endOfIndianDay('2024-05-28', 7)).toBe('2024-06-04T18:30:00.000Z');
    expect(endOfIndianDay('2024-12-31')).toBe('2024-12-31T18:30:00.000Z');
  });

  it('says how overdue in words: the largest unit and the next', () => {
    expect(humanDuration(0)).toBe('0 seconds');
    expect(humanDuration(1)).toBe('1 second');
    expect(humanDuration(59)).toBe('59 seconds');
    expect(humanDuration(3_660)).toBe('1 hour 1 minute');
    expect(humanDuration(7_322)).toBe('2 hours 2 minutes');
    expect(humanDuration(90_061)).toBe('1 day 1 hour');
    expect(humanDuration(86_460)).toBe('1 day');
    expect(humanDuration(-3 * 86_400)).toBe('3 days');
  });

  it('is overdue only once the due instant has passed', () => {
    const due = '2024-04-21T06:00:00.000Z';
    expect(judge(due, Date.parse(due) - HOUR)).toEqual({ status: 'upcoming', overdueBy: { seconds: -3600, text: 'due in 1 hour' } });
    expect(judge(due, Date.parse(due))).toEqual({ status: 'upcoming', overdueBy: { seconds: 0, text: 'due now' } });
    expect(judge(due, Date.parse(due) + SECOND)).toEqual({ status: 'overdue', overdueBy: { seconds: 1, text: '1 second' } });
  });
});

describe('deadline watch projection and query (SQLite)', () => {
  let db: Database;
  let log: ProjectedEventLog;
  let clock: FixedClock;
  let query: DeadlineWatchQuery;
  const apply = (...events: ReturnType<ProjectedEventLog['append']>[]) => {
    applyAll(db, projection, events);
    applyAll(db, retentionProjection, events);
  };
  const kinds = (list: Deadline[]) => list.map((d) => [d.kind, d.seizureId, d.status]);

  beforeEach(() => {
    db = projectionDatabase(projection);
    retentionProjection.setup(db);
    log = new ProjectedEventLog();
    clock = new FixedClock('2024-04-20T06:00:00.000Z');
    const retention = { retention: DEFAULT_RETENTION };
    query = new DeadlineWatchQuery(db, clock, new RetentionQuery(db, retention), retention);
  });

  describe('items held after the seventh day after the poll', () => {
    beforeEach(() => {
      const at = '2024-05-20T06:00:00.000Z';
      apply(
        log.append('held', recorded('held', at, [SMALL_CASH, LIQUOR]), at),
        log.append('fir', recorded('fir', at, [LIQUOR]), at),
        log.append(
          'fir',
          { type: 'FirRegistered', data: { firNumber: '1/2024', policeStation: 'Cantt', registeredOn: '2024-05-20', sections: ['60'] } },
          at,
          actors.police,
        ),
        log.append('lko', recorded('lko', at, [LIQUOR], '2024-06-01', LUCKNOW), at),
      );
    });

    it('are not overdue at the end of the day, and are one second after', () => {
      clock.set(RELEASE_DUE);
      expect(query.deadlines(national).deadlines).toEqual([]);
      clock.set(plus(RELEASE_DUE, SECOND));
      const [held, lko, ...rest] = query.deadlines(national).deadlines as HeldAfterPoll[];
      expect(rest).toEqual([]);
      expect(held).toEqual({
        kind: 'held_after_poll',
        status: 'overdue',
        seizureId: 'held',
        memoNumber: 'memo-held',
        state: 'UP',
        district: 'UP-VNS',
        constituency: 390,
        dueAt: RELEASE_DUE,
        overdueBy: { seconds: 1, text: '1 second' },
        election: { id: 'GE-2024', pollDate: '2024-06-01' },
        items: [
          { itemId: 'cash', category: 'cash', description: 'cash description', quantity: 5_000_000, unit: 'paise', custodian: TEAM },
          { itemId: 'liq', category: 'liquor', description: 'liq description', quantity: 48_000, unit: 'ml', custodian: TEAM },
        ],
      });
      expect(lko.seizureId).toBe('lko');
    });

    it('leave the list as they are released or disposed, and show where the rest are held', () => {
      const at = '2024-06-05T06:00:00.000Z';
      apply(
        log.append('held', initiated('t1', ['cash'], TREASURY), at),
        log.append(
          'held',
          {
            type: 'CustodyTransferAccepted',
            data: {
              transferId: 't1',
              itemIds: ['cash'],
              from: TEAM,
              to: TREASURY,
              seals: [],
              countedQuantities: [{ itemId: 'cash', quantity: 5_000_000 }],
              remarks: '',
            },
          },
          at,
          actors.treasuryOfficer,
        ),
        log.append(
          'held',
          {
            type: 'ItemsDisposed',
            data: { orderNumber: 'O-1', authority: 'court', orderedOn: '2024-06-05', method: 'destroyed', itemIds: ['liq'], remarks: '' },
          },
          at,
          actors.court,
        ),
      );
      clock.set('2024-06-09T00:00:00.000Z');
      const [held] = query.deadlines(actors.committee).deadlines as HeldAfterPoll[];
      expect(held.items).toEqual([expect.objectContaining({ itemId: 'cash', custodian: TREASURY })]);
      expect(held.overdueBy).toEqual({ seconds: 5.5 * 3600, text: '5 hours 30 minutes' });

      apply(
        log.append(
          'held',
          {
            type: 'ItemsReleased',
            data: {
              orderNumber: 'DGC-1',
              itemIds: ['cash'],
              releasedTo: { name: 'x', idDocument: { type: 'a', number: '1' } },
              identityChecked: true,
              releasedBy: TREASURY,
              remarks: '',
            },
          },
          at,
        ),
      );
      expect(query.deadlines(actors.committee).deadlines).toEqual([]);
    });

    it('with includeUpcoming, appear from 48 hours before they fall due', () => {
      clock.set(plus(RELEASE_DUE, -48 * HOUR - SECOND));
      expect(query.deadlines(national, { includeUpcoming: true }).deadlines).toEqual([]);
      clock.set(plus(RELEASE_DUE, -48 * HOUR));
      const report = query.deadlines(national, { includeUpcoming: true });
      expect(report.includeUpcoming).toBe(true);
      expect(kinds(report.deadlines)).toEqual([
        ['held_after_poll', 'held', 'upcoming'],
        ['held_after_poll', 'lko', 'upcoming'],
      ]);
      expect(report.deadlines[0].overdueBy).toEqual({ seconds: -48 * 3600, text: 'due in 2 days' });
      expect(query.deadlines(national).deadlines).toEqual([]);
    });

    it('are shown only within the caller’s jurisdiction', () => {
      clock.set('2024-06-10T00:00:00.000Z');
      expect(query.deadlines(actors.flyingSquad).deadlines.map((d) => d.seizureId)).toEqual(['held']);
      expect(query.deadlines(actors.outOfDistrict).deadlines.map((d) => d.seizureId)).toEqual(['lko']);
      const elsewhere: Actor = { ...actors.committee, scope: { national: false, states: ['MH'], districts: [] } };
      expect(query.deadlines(elsewhere).deadlines).toEqual([]);
    });
  });

  describe('cash above Rs 10 lakh without an Income Tax referral', () => {
    const seizedAt = '2024-04-19T05:30:00.000Z';
    const due = '2024-04-20T05:30:00.000Z';

    beforeEach(() => {
      apply(
        log.append(
          'above',
          recorded('above', seizedAt, [item('c1', 'cash', INCOME_TAX_THRESHOLD_PAISE - 100, 'paise'), item('c2', 'cash', 101, 'paise')]),
          seizedAt,
        ),
        log.append('exactly', recorded('exactly', seizedAt, [item('c', 'cash', INCOME_TAX_THRESHOLD_PAISE, 'paise')]), seizedAt),
        // Goods worth more than Rs 10 lakh are not cash.
        log.append(
          'gold',
          recorded('gold', seizedAt, [item('g', 'precious_metals', 1_000_000, 'mg', INCOME_TAX_THRESHOLD_PAISE * 2)]),
          seizedAt,
        ),
      );
    });

    it('is due 24 hours after the seizure, and only above the threshold', () => {
      clock.set(due);
      expect(query.deadlines(national, { kind: 'income_tax_referral' }).deadlines).toEqual([]);
      clock.set(plus(due, 26 * HOUR + 61 * SECOND));
      expect(query.deadlines(national, { kind: 'income_tax_referral' }).deadlines).toEqual([
        {
          kind: 'income_tax_referral',
          status: 'overdue',
          seizureId: 'above',
          memoNumber: 'memo-above',
          state: 'UP',
          district: 'UP-VNS',
          constituency: 390,
          dueAt: due,
          overdueBy: { seconds: 26 * 3600 + 61, text: '1 day 2 hours' },
          cashPaise: INCOME_TAX_THRESHOLD_PAISE + 1,
          seizedAt,
        },
      ]);
    });

    it('leaves the list once referred', () => {
      apply(
        log.append(
          'above',
          {
            type: 'ReferredToIncomeTax',
            data: { referenceNumber: 'IT-1', office: 'ITO', cashTotalPaise: INCOME_TAX_THRESHOLD_PAISE + 1, remarks: '' },
          },
          '2024-04-21T00:00:00.000Z',
        ),
      );
      clock.set('2024-05-01T00:00:00.000Z');
      expect(query.deadlines(national, { kind: 'income_tax_referral' }).deadlines).toEqual([]);
    });
  });

  describe('transfers neither accepted nor rejected within 24 hours', () => {
    const t0 = '2024-04-20T06:00:00.000Z';
    const due = '2024-04-21T06:00:00.000Z';

    beforeEach(() => {
      const at = '2024-04-20T05:00:00.000Z';
      apply(
        log.append(
          's',
          recorded(
            's',
            at,
            [item('a', 'other', 1, 'pieces'), item('b', 'other', 1, 'pieces'), item('c', 'other', 1, 'pieces')],
            '2024-06-01',
          ),
          at,
        ),
        log.append('s', initiated('open', ['a'], MALKHANA), t0),
        log.append('s', initiated('accepted', ['b'], MALKHANA), t0),
        log.append('s', initiated('rejected', ['c'], MALKHANA), t0),
        log.append(
          's',
          {
            type: 'CustodyTransferAccepted',
            data: {
              transferId: 'accepted',
              itemIds: ['b'],
              from: TEAM,
              to: MALKHANA,
              seals: [],
              countedQuantities: [{ itemId: 'b', quantity: 1 }],
              remarks: '',
            },
          },
          plus(t0, 30 * HOUR),
          actors.malkhana,
        ),
        log.append(
          's',
          {
            type: 'CustodyTransferRejected',
            data: { transferId: 'rejected', itemIds: ['c'], from: TEAM, to: MALKHANA, reason: 'no seal' },
          },
          plus(t0, HOUR),
          actors.malkhana,
        ),
      );
    });

    it('are overdue one second after 24 hours, until decided', () => {
      clock.set(due);
      expect(query.deadlines(national, { kind: 'transfer_acceptance' }).deadlines).toEqual([]);
      expect(query.deadlines(national, { kind: 'transfer_acceptance', includeUpcoming: true }).deadlines).toMatchObject([
        { transferId: 'open', status: 'upcoming', overdueBy: { seconds: 0, text: 'due now' } },
      ]);
      clock.set(plus(due, SECOND));
      expect(query.deadlines(national).deadlines).toEqual([
        {
          kind: 'transfer_acceptance',
          status: 'overdue',
          seizureId: 's',
          memoNumber: 'memo-s',
          state: 'UP',
          district: 'UP-VNS',
          constituency: 390,
          dueAt: due,
          overdueBy: { seconds: 1, text: '1 second' },
          transferId: 'open',
          itemIds: ['a'],
          from: TEAM,
          to: MALKHANA,
          initiatedAt: t0,
        },
      ]);
    });
  });

  it('lists every kind together, most overdue first, at the position it has applied', () => {
    const at = '2024-05-20T06:00:00.000Z';
    apply(
      log.append('big', recorded('big', at, [item('c', 'cash', INCOME_TAX_THRESHOLD_PAISE + 1, 'paise')]), at),
      log.append('big', initiated('t', ['c'], TREASURY), plus(at, HOUR)),
    );
    clock.set('2024-06-10T00:00:00.000Z');
    const report = query.deadlines(national);
    expect(kinds(report.deadlines)).toEqual([
      ['income_tax_referral', 'big', 'overdue'],
      ['transfer_acceptance', 'big', 'overdue'],
      ['held_after_poll', 'big', 'overdue'],
    ]);
    expect(report).toMatchObject({ asOf: '2024-06-10T00:00:00.000Z', includeUpcoming: false, ledgerPosition: 2 });
  });

  it('rebuilds to the same rows', () => {
    const at = '2024-05-20T06:00:00.000Z';
    apply(
      log.append('x', recorded('x', at, [SMALL_CASH, LIQUOR]), at),
      log.append('x', initiated('t', ['cash'], TREASURY), at),
      log.append(
        'x',
        { type: 'FirRegistered', data: { firNumber: '2/2024', policeStation: 'Cantt', registeredOn: '2024-05-20', sections: [] } },
        at,
      ),
    );
    const dump = () =>
      ['seizures', 'items', 'transfers', 'position'].map((t) => db.prepare(`SELECT * FROM deadline_watch_${t} ORDER BY 1, 2`).all());
    const first = dump();
    projection.teardown(db);
    projection.setup(db);
    applyAll(db, projection, log.events);
    expect(dump()).toEqual(first);
  });
});
