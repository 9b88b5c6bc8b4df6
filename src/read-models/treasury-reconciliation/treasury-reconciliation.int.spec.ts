import type { Database } from 'better-sqlite3';
import type { Custodian, SeizedItem, SeizureLocation } from '../../custody/values';
import type { SeizureEvent } from '../../custody/events';
import type { Actor } from '../../shared/actor';
import { FixedClock } from '../../shared/clock';
import { actors, custodians, recordSeizureCommand, seizureRecorded } from '../../../test/support/custody-fixtures';
import { ProjectedEventLog, applyAll, projectionDatabase, treasuryOf } from '../../../test/support/projected-event-log';
import { treasuryReconciliationProjection as projection } from './treasury-reconciliation.projection';
import { TreasuryReconciliationQuery, ageBucket, treasuryLimit } from './treasury-reconciliation.query';

const VARANASI = recordSeizureCommand().data.location;
const LUCKNOW: SeizureLocation = {
  ...VARANASI,
  district: 'UP-LKO',
  assemblyConstituency: 170,
  parliamentaryConstituency: 34,
  place: 'हज़रतगंज',
};
const TR_VNS = custodians.treasury;
const TR_LKO = treasuryOf('TR-LKO', 'District Treasury Lucknow');
const TEAM = custodians.flyingSquad;
const HOUR = 3_600_000;
const NOW = '2024-04-25T12:00:00.000Z';
const before = (ms: number) => new Date(Date.parse(NOW) - ms).toISOString();

const cashItem = (itemId: string, paise: number): SeizedItem => ({
  itemId,
  category: 'cash',
  description: itemId,
  quantity: paise,
  unit: 'paise',
  packages: 1,
  sealNumbers: [],
  estimatedValuePaise: paise,
});
const liquor: SeizedItem = {
  itemId: 'liq',
  category: 'liquor',
  description: 'whisky',
  quantity: 9_000,
  unit: 'ml',
  packages: 1,
  sealNumbers: [],
  estimatedValuePaise: 900_000,
};
const recorded = (seizureId: string, location: SeizureLocation, items: SeizedItem[]): SeizureEvent => ({
  type: 'SeizureRecorded',
  data: seizureRecorded({ seizureId, location, items }).data,
});
const initiated = (transferId: string, itemIds: string[], to: Custodian): SeizureEvent => ({
  type: 'CustodyTransferInitiated',
  data: { transferId, itemIds, from: TEAM, to, sealNumbers: [], reason: 'deposit' },
});
const accepted = (transferId: string, counted: Array<[string, number]>, to: Custodian): SeizureEvent => ({
  type: 'CustodyTransferAccepted',
  data: {
    transferId,
    itemIds: counted.map(([itemId]) => itemId),
    from: TEAM,
    to,
    seals: [],
    countedQuantities: counted.map(([itemId, quantity]) => ({ itemId, quantity })),
    remarks: '',
  },
});
const deposited = (challanNumber: string, itemIds: string[], amountPaise: number, treasury: Custodian = TR_VNS): SeizureEvent => ({
  type: 'CashDeposited',
  data: { challanNumber, treasury, itemIds, amountPaise, depositedOn: '2024-04-20' },
});
const discrepancy = (
  kind: 'seals_broken' | 'count_differs' | 'deposit_amount_differs',
  reference: string,
  expected: string,
  found: string,
): SeizureEvent => ({
  type: 'DiscrepancyRecorded',
  data: { kind, itemIds: ['c1'], reference, expected, found, remarks: 'r' },
});

const A = 'seizure-a'; // Varanasi
const B = 'seizure-b'; // Lucknow, cash to both treasuries
const C = 'seizure-c'; // Varanasi, four deposits of different ages

function seed(): { db: Database; log: ProjectedEventLog } {
  const db = projectionDatabase(projection);
  const log = new ProjectedEventLog();
  const t0 = before(100 * HOUR);
  const byTreasury = actors.treasuryOfficer;
  applyAll(db, projection, [
    log.append(A, recorded(A, VARANASI, [cashItem('c1', 125_000_000), cashItem('c2', 2_000_000), liquor]), t0),
    log.append(A, initiated('t1', ['c1', 'liq'], TR_VNS), t0),
    log.append(
      A,
      accepted(
        't1',
        [
          ['c1', 124_950_000],
          ['liq', 9_000],
        ],
        TR_VNS,
      ),
      t0,
      byTreasury,
    ),
    log.append(A, discrepancy('seals_broken', 't1', 'seals intact', 'S-1 broken'), t0, byTreasury),
    log.append(A, discrepancy('count_differs', 't1', 'c1: 125000000 paise', 'c1: 124950000 paise'), t0, byTreasury),
    log.append(A, initiated('t2', ['c2'], TR_VNS), t0),
    log.append(
      A,
      { type: 'CustodyTransferRejected', data: { transferId: 't2', itemIds: ['c2'], from: TEAM, to: TR_VNS, reason: 'no seal' } },
      t0,
      byTreasury,
    ),
    log.append(A, initiated('t3', ['c2'], TR_VNS), t0),
    log.append(A, deposited('CH-1', ['c1'], 124_950_000), t0, byTreasury),
    log.append(A, discrepancy('deposit_amount_differs', 'CH-1', '125000000 paise seized', '124950000 paise deposited'), t0, byTreasury),
    log.append(
      A,
      {
        type: 'DepositConfirmed',
        data: {
          challanNumber: 'CH-1',
          treasury: TR_VNS,
          depositedAmountPaise: 124_950_000,
          confirmedAmountPaise: 124_900_000,
          remarks: '',
        },
      },
      t0,
      actors.treasuryAccountant,
    ),
    log.append(
      A,
      discrepancy('deposit_amount_differs', 'CH-1', '124950000 paise deposited', '124900000 paise confirmed'),
      t0,
      actors.treasuryAccountant,
    ),
    // A handover of goods only is no cash to reconcile.
    log.append(A, initiated('t4', ['liq'], custodians.malkhana), t0),

    log.append(B, recorded(B, LUCKNOW, [cashItem('b1', 10_000_000), cashItem('b2', 3_000_000)]), t0),
    log.append(B, initiated('tb1', ['b1'], TR_LKO), t0),
    log.append(B, accepted('tb1', [['b1', 10_000_000]], TR_LKO), t0),
    log.append(B, deposited('CH-9', ['b1'], 10_000_000, TR_LKO), before(2 * HOUR)),
    log.append(B, initiated('tb2', ['b2'], TR_VNS), t0),

    log.append(C, recorded(C, VARANASI, [cashItem('k1', 100), cashItem('k2', 200), cashItem('k3', 300), cashItem('k4', 400)]), t0),
    log.append(C, deposited('CH-21', ['k1'], 100), before(24 * HOUR - 1000)),
    log.append(C, deposited('CH-22', ['k2'], 200), before(24 * HOUR)),
    log.append(C, deposited('CH-23', ['k3'], 300), before(72 * HOUR)),
    log.append(C, deposited('CH-24', ['k4'], 400), before(72 * HOUR + 1000)),
  ]);
  return { db, log };
}

const query = (db: Database) => new TreasuryReconciliationQuery(db, new FixedClock(NOW));
const national: Actor = actors.court;

describe('treasury reconciliation projection (SQLite)', () => {
  it('records cash transfers to treasuries, deposits, confirmations and their mismatches', () => {
    const { db, log } = seed();
    expect(
      db
        .prepare(
          'SELECT seizure_id, transfer_id, treasury_id, handed_over_paise, status, accepted_paise FROM treasury_reconciliation_transfers ORDER BY 1, 2',
        )
        .raw()
        .all(),
    ).toEqual([
      [A, 't1', 'TR-VNS', 125_000_000, 'accepted', 124_950_000],
      [A, 't2', 'TR-VNS', 2_000_000, 'rejected', null],
      [A, 't3', 'TR-VNS', 2_000_000, 'open', null],
      [B, 'tb1', 'TR-LKO', 10_000_000, 'accepted', 10_000_000],
      [B, 'tb2', 'TR-VNS', 3_000_000, 'open', null],
    ]);
    expect(
      db.prepare("SELECT amount_paise, confirmed_paise FROM treasury_reconciliation_deposits WHERE challan_number = 'CH-1'").raw().get(),
    ).toEqual([124_950_000, 124_900_000]);
    expect(db.prepare('SELECT kind, reference FROM treasury_reconciliation_mismatches ORDER BY global_position').raw().all()).toEqual([
      ['count_differs', 't1'],
      ['deposit_amount_differs', 'CH-1'],
      ['deposit_amount_differs', 'CH-1'],
    ]);
    expect(db.prepare('SELECT position FROM treasury_reconciliation_position').pluck().get()).toBe(log.events.length);
  });

  it('rebuilds to the same rows', () => {
    const { db, log } = seed();
    const dump = () =>
      ['transfers', 'deposits', 'mismatches', 'treasuries', 'cash_items', 'seizures', 'position'].map((t) =>
        db.prepare(`SELECT * FROM treasury_reconciliation_${t} ORDER BY 1, 2`).all(),
      );
    const first = dump();
    projection.teardown(db);
    projection.setup(db);
    applyAll(db, projection, log.events);
    expect(dump()).toEqual(first);
  });
});

describe('treasury reconciliation query (SQLite)', () => {
  it('matches handed over, accepted, deposited and confirmed per treasury, with mismatches', () => {
    const { db, log } = seed();
    const report = query(db).all(national);
    expect(report.asOf).toBe(NOW);
    expect(report.ledgerPosition).toBe(log.events.length);
    expect(report.treasuries.map((t) => t.treasury)).toEqual([
      { id: 'TR-LKO', name: 'District Treasury Lucknow' },
      { id: 'TR-VNS', name: 'District Treasury Varanasi' },
    ]);
    const vns = report.treasuries[1];
    expect(vns).toMatchObject({
      handedOver: { transfers: 4, paise: 125_000_000 + 2_000_000 + 2_000_000 + 3_000_000 },
      accepted: { transfers: 1, paise: 124_950_000 },
      rejected: { transfers: 1, paise: 2_000_000 },
      awaitingAcceptance: { transfers: 2, paise: 5_000_000 },
      deposited: { challans: 5, paise: 124_950_000 + 1_000 },
      confirmed: { challans: 1, paise: 124_900_000 },
    });
    expect(vns.mismatches).toEqual([
      expect.objectContaining({
        seizureId: A,
        kind: 'count_differs',
        reference: 't1',
        referenceKind: 'transfer',
        expected: 'c1: 125000000 paise',
        found: 'c1: 124950000 paise',
        itemIds: ['c1'],
        state: 'UP',
        district: 'UP-VNS',
      }),
      expect.objectContaining({
        kind: 'deposit_amount_differs',
        reference: 'CH-1',
        referenceKind: 'challan',
        found: '124950000 paise deposited',
      }),
      expect.objectContaining({ kind: 'deposit_amount_differs', reference: 'CH-1', found: '124900000 paise confirmed' }),
    ]);
  });

  it('ages unconfirmed deposits at query time: under 24 h, 24 h to 3 days, over 3 days', () => {
    const { db } = seed();
    const vns = query(db).all(national).treasuries[1].pendingConfirmation;
    expect(vns.deposits.map((d) => [d.challanNumber, d.ageSeconds, d.age])).toEqual([
      ['CH-24', 72 * 3600 + 1, 'overThreeDays'],
      ['CH-23', 72 * 3600, 'oneToThreeDays'],
      ['CH-22', 24 * 3600, 'oneToThreeDays'],
      ['CH-21', 24 * 3600 - 1, 'under24h'],
    ]);
    expect(vns).toMatchObject({
      challans: 4,
      paise: 1_000,
      byAge: {
        under24h: { challans: 1, paise: 100 },
        oneToThreeDays: { challans: 2, paise: 500 },
        overThreeDays: { challans: 1, paise: 400 },
      },
    });
    expect(vns.deposits[0]).toMatchObject({
      seizureId: C,
      amountPaise: 400,
      depositedOn: '2024-04-20',
      recordedAt: before(72 * HOUR + 1000),
    });

    // The same read model a day later: every age moves on, nothing is re-projected.
    const later = new TreasuryReconciliationQuery(db, new FixedClock(new Date(Date.parse(NOW) + 24 * HOUR).toISOString()));
    expect(later.all(national).treasuries[1].pendingConfirmation.byAge).toEqual({
      under24h: { challans: 0, paise: 0 },
      oneToThreeDays: { challans: 2, paise: 300 },
      overThreeDays: { challans: 2, paise: 700 },
    });
  });

  it('counts only facts of seizures in the caller’s jurisdiction', () => {
    const { db } = seed();
    const asVaranasi = query(db).all(actors.committee);
    expect(asVaranasi.treasuries.map((t) => t.treasury.id)).toEqual(['TR-VNS']);
    // Lucknow's cash handed to the Varanasi treasury is not Varanasi's to see.
    expect(asVaranasi.treasuries[0].handedOver).toEqual({ transfers: 3, paise: 129_000_000 });
    expect(query(db).one(actors.committee, 'TR-LKO')).toBeUndefined();
    expect(
      query(db)
        .all(actors.outOfDistrict)
        .treasuries.map((t) => [t.treasury.id, t.handedOver.transfers]),
    ).toEqual([
      ['TR-LKO', 1],
      ['TR-VNS', 1],
    ]);
  });

  it('a treasury-only user sees their own treasury alone; wider roles see every treasury in scope', () => {
    const { db } = seed();
    const nationalTreasurer: Actor = { ...actors.treasuryOfficer, scope: { national: true } };
    expect(treasuryLimit(nationalTreasurer)).toBe('TR-VNS');
    expect(
      query(db)
        .all(nationalTreasurer)
        .treasuries.map((t) => t.treasury.id),
    ).toEqual(['TR-VNS']);
    expect(query(db).one(nationalTreasurer, 'TR-LKO')).toBeUndefined();
    expect(query(db).one(nationalTreasurer, 'TR-VNS')).toMatchObject({ asOf: NOW, treasury: { id: 'TR-VNS' }, accepted: { transfers: 1 } });

    const treasurerOnCommittee: Actor = { ...nationalTreasurer, roles: ['treasury', 'committee'] };
    expect(treasuryLimit(treasurerOnCommittee)).toBeNull();
    expect(query(db).all(treasurerOnCommittee).treasuries).toHaveLength(2);
  });

  it('an unknown treasury is undefined', () => {
    const { db } = seed();
    expect(query(db).one(national, 'TR-NOWHERE')).toBeUndefined();
  });

  it('buckets ages at the boundaries', () => {
    expect(ageBucket(0)).toBe('under24h');
    expect(ageBucket(24 * HOUR - 1)).toBe('under24h');
    expect(ageBucket(24 * HOUR)).toBe('oneToThreeDays');
    expect(ageBucket(72 * HOUR)).toBe('oneToThreeDays');
    expect(ageBucket(72 * HOUR + 1)).toBe('overThreeDays');
  });
});
