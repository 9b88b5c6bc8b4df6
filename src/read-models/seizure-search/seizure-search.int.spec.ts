import BetterSqlite3, { type Database } from 'better-sqlite3';
import { CASH, LIQUOR, actors, custodians, recordSeizureCommand } from '../../../test/support/custody-fixtures';
import type { Category, SeizedItem } from '../../custody/values';
import type { RecordSeizure } from '../../custody/commands/record-seizure';
import type { Actor, Agency } from '../../shared/actor';
import { LedgerScenario } from '../custody-history/ledger-scenario.test-support';
import type { ProjectedEvent } from '../../projections/projection';
import { SEIZURE_SEARCH_TABLES, seizureSearchProjection, seizureStatus } from './seizure-search.projection';
import {
  InvalidSearchRequest,
  SeizureSearchQuery,
  decodeCursor,
  encodeCursor,
  seizedAtBound,
  type SearchOrder,
  type SearchSort,
  type SeizureSearchFilters,
  type SeizureSearchHit,
} from './seizure-search.query';

const HOUR = 3600_000;
const NOW = '2024-05-01T00:00:00.000Z';
const national: Actor = { ...actors.flyingSquad, sub: 'u-national', scope: { national: true } };
const ALL = { sort: 'seizedAt' as const, order: 'desc' as const, limit: 200 };

function freshDb(): Database {
  const db = new BetterSqlite3(':memory:');
  seizureSearchProjection.setup(db);
  return db;
}
function project(db: Database, events: readonly ProjectedEvent[]): void {
  for (const event of events) db.transaction(() => seizureSearchProjection.apply(db, event))();
}

const PLACES = [
  { state: 'UP', district: 'UP-VNS', assemblyConstituency: 390, parliamentaryConstituency: 77 },
  { state: 'UP', district: 'UP-LKO', assemblyConstituency: 173, parliamentaryConstituency: 35 },
  { state: 'RJ', district: 'RJ-JPR', assemblyConstituency: 49, parliamentaryConstituency: 7 },
] as const;

const uuid = (n: number) => `aaaaaaaa-0000-4000-8000-${n.toString().padStart(12, '0')}`;

const item = (itemId: string, category: Category, valuePaise: number): SeizedItem => ({
  itemId,
  category,
  description: category,
  quantity: category === 'cash' ? valuePaise : 1000,
  unit:
    category === 'cash' ? 'paise' : category === 'liquor' ? 'ml' : category === 'drugs' || category === 'precious_metals' ? 'mg' : 'pieces',
  packages: 1,
  sealNumbers: [`S-${itemId}`],
  estimatedValuePaise: valuePaise,
});

/** The agency comes from the recording officer's token. */
const agencyOf = (n: number): Agency => (n % 4 === 0 ? 'police' : 'flying_squad');

function recordCommand(n: number, overrides: Partial<RecordSeizure['data']> = {}): RecordSeizure {
  const place = PLACES[n % PLACES.length];
  const base = recordSeizureCommand().data;
  return recordSeizureCommand({
    seizureId: uuid(n),
    memoNumber: `MEMO/${n}`,
    // Thirteen distinct times for many seizures: ties on the sort key are the rule, not the exception.
    seizedAt: new Date(Date.parse('2024-04-10T00:00:00.000Z') + (n % 13) * 7 * HOUR).toISOString(),
    location: { ...base.location, ...place },
    vehicleNumber: n % 5 === 0 ? null : `UP65AB${1000 + n}`,
    items: [
      item(`i-${n}-a`, n % 2 === 0 ? 'cash' : 'liquor', 10_000 * (((n * 7) % 11) + 1)),
      ...(n % 3 === 0 ? [item(`i-${n}-b`, 'drugs', 50_000)] : []),
    ],
    ...overrides,
  });
}

describe('seizure search projection (given events → rows)', () => {
  let db: Database;
  let scenario: LedgerScenario;
  let query: SeizureSearchQuery;
  const id = uuid(1000);
  const one = () => query.search(national, { memoNumber: 'M-LIFE' }, ALL).items[0];

  beforeEach(() => {
    db = freshDb();
    scenario = new LedgerScenario();
    query = new SeizureSearchQuery(db);
    const small = recordSeizureCommand().data.items.map((i) =>
      i.category === 'cash' ? { ...i, quantity: 5_000_000, estimatedValuePaise: 5_000_000 } : i,
    );
    scenario.run(
      id,
      recordSeizureCommand({ seizureId: id, memoNumber: 'M-LIFE', vehicleNumber: 'UP65AB1234', items: small }),
      actors.flyingSquad,
      '2024-04-19T06:00:00.000Z',
    );
    project(db, scenario.events);
  });
  afterEach(() => db.close());

  const step = (command: Parameters<LedgerScenario['run']>[1], actor: Actor, now: string) =>
    project(db, scenario.run(id, command, actor, now));

  it('writes one row per seizure with its place, categories, totals and status, and no personal data', () => {
    expect(one()).toEqual({
      seizureId: id,
      memoNumber: 'M-LIFE',
      seizedAt: '2024-04-19T05:30:00.000Z',
      location: { state: 'UP', district: 'UP-VNS', assemblyConstituency: 390, parliamentaryConstituency: 77 },
      agency: 'flying_squad',
      team: custodians.flyingSquad.name,
      vehicleNumber: 'UP65AB1234',
      election: { id: 'GE-2024', pollDate: '2024-06-01' },
      linkedToCandidateOrParty: false,
      categories: ['cash', 'liquor'],
      itemCount: 2,
      totalValuePaise: 5_000_000 + 4_800_000,
      cashPaise: 5_000_000,
      status: 'held',
      items: { held: 2, inTransfer: 0, released: 0, disposed: 0 },
      firNumber: null,
      lastEventAt: '2024-04-19T06:00:00.000Z',
    });
    const everything = JSON.stringify(SEIZURE_SEARCH_TABLES.map((t) => db.prepare(`SELECT * FROM ${t}`).all()));
    for (const personal of ['रमेश चंद्र', 'XXXX-XXXX-4321', 'Mohan Lal', 'Shabana Bano', 'Sigra', '+919800000000', 'मुग़लसराय'])
      expect(everything).not.toContain(personal);
  });

  it('follows the seizure through transfer, revaluation, FIR, release and disposal', () => {
    step(
      {
        type: 'InitiateCustodyTransfer',
        data: { transferId: 't1', itemIds: [LIQUOR], to: custodians.malkhana, sealNumbers: ['S-1002'], reason: '' },
      },
      actors.flyingSquad,
      '2024-04-19T07:00:00.000Z',
    );
    expect(one()).toMatchObject({ status: 'in_transfer', items: { held: 1, inTransfer: 1 } });
    step({ type: 'RejectCustodyTransfer', data: { transferId: 't1', reason: 'full' } }, actors.malkhana, '2024-04-19T08:00:00.000Z');
    expect(one()).toMatchObject({ status: 'held', items: { held: 2, inTransfer: 0 } });

    step(
      { type: 'ValueItems', data: { valuations: [{ itemId: LIQUOR, valuePaise: 6_000_000 }], basis: 'MRP', reason: 'price list' } },
      actors.flyingSquad,
      '2024-04-19T09:00:00.000Z',
    );
    expect(one()).toMatchObject({ totalValuePaise: 11_000_000, cashPaise: 5_000_000 });

    step(
      {
        type: 'InitiateCustodyTransfer',
        data: { transferId: 't2', itemIds: [LIQUOR], to: custodians.malkhana, sealNumbers: ['S-1002'], reason: '' },
      },
      actors.flyingSquad,
      '2024-04-19T10:00:00.000Z',
    );
    step(
      {
        type: 'AcceptCustodyTransfer',
        data: {
          transferId: 't2',
          seals: [{ number: 'S-1002', condition: 'intact' }],
          countedQuantities: [{ itemId: LIQUOR, quantity: 48_000 }],
          remarks: '',
        },
      },
      actors.malkhana,
      '2024-04-19T11:00:00.000Z',
    );
    expect(one()).toMatchObject({ status: 'held', items: { held: 2, inTransfer: 0 } });

    step(
      {
        type: 'OrderRelease',
        data: {
          orderNumber: 'DGC-1',
          orderedOn: '2024-04-19',
          itemIds: [CASH],
          releaseTo: { name: 'रमेश चंद्र', idDocument: null },
          reasons: 'receipts',
        },
      },
      actors.committee,
      '2024-04-19T12:00:00.000Z',
    );
    step(
      {
        type: 'ReleaseItems',
        data: {
          orderNumber: 'DGC-1',
          itemIds: [CASH],
          releasedTo: { name: 'रमेश चंद्र', idDocument: { type: 'aadhaar', number: 'XXXX-XXXX-4321' } },
          identityChecked: true,
          remarks: '',
        },
      },
      actors.flyingSquad,
      '2024-04-19T13:00:00.000Z',
    );
    expect(one()).toMatchObject({ status: 'partly_released', items: { held: 1, released: 1 } });

    step(
      { type: 'RegisterFir', data: { firNumber: '112/2024', policeStation: 'Cantt', registeredOn: '2024-04-19', sections: [] } },
      actors.police,
      '2024-04-19T14:00:00.000Z',
    );
    step(
      {
        type: 'DisposeItems',
        data: { orderNumber: 'CJM/1', orderedOn: '2024-04-19', method: 'destroyed', itemIds: [LIQUOR], remarks: '' },
      },
      actors.court,
      '2024-04-19T15:00:00.000Z',
    );
    expect(one()).toMatchObject({
      status: 'released',
      firNumber: '112/2024',
      items: { held: 0, released: 1, disposed: 1 },
      lastEventAt: '2024-04-19T15:00:00.000Z',
    });
    // Revaluation and release leave the seizure's total as valued.
    expect(one().totalValuePaise).toBe(11_000_000);
    expect(JSON.stringify(db.prepare('SELECT * FROM seizure_search_seizures').all())).not.toContain('XXXX-XXXX-4321');
  });

  it('derives the status from where the items stand', () => {
    expect(seizureStatus({ held: 2, inTransfer: 0, released: 0, disposed: 0 })).toBe('held');
    expect(seizureStatus({ held: 1, inTransfer: 1, released: 1, disposed: 0 })).toBe('in_transfer');
    expect(seizureStatus({ held: 1, inTransfer: 0, released: 0, disposed: 1 })).toBe('partly_released');
    expect(seizureStatus({ held: 0, inTransfer: 0, released: 1, disposed: 1 })).toBe('released');
    expect(seizureStatus({ held: 0, inTransfer: 0, released: 0, disposed: 2 })).toBe('disposed');
  });

  it('rebuilds to the same rows; teardown drops its tables', () => {
    step(
      { type: 'ValueItems', data: { valuations: [{ itemId: LIQUOR, valuePaise: 6_000_000 }], basis: 'MRP', reason: '' } },
      actors.flyingSquad,
      '2024-04-19T09:00:00.000Z',
    );
    const rebuilt = freshDb();
    project(rebuilt, scenario.events);
    const dump = (d: Database) => SEIZURE_SEARCH_TABLES.map((t) => d.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).all());
    expect(dump(rebuilt)).toEqual(dump(db));
    seizureSearchProjection.teardown(rebuilt);
    expect(rebuilt.prepare(`SELECT name FROM sqlite_master WHERE name LIKE 'seizure_search%'`).all()).toEqual([]);
    rebuilt.close();
  });
});

describe('seizure search query', () => {
  const COUNT = 60;
  let db: Database;
  let scenario: LedgerScenario;
  let query: SeizureSearchQuery;
  const commands = Array.from({ length: COUNT }, (_, n) => recordCommand(n));

  beforeAll(() => {
    db = freshDb();
    scenario = new LedgerScenario();
    query = new SeizureSearchQuery(db);
    commands.forEach((command, n) => scenario.run(command.data.seizureId, command, { ...national, agency: agencyOf(n) }, NOW));
    project(db, scenario.events);
  });
  afterAll(() => db.close());

  const ids = (hits: SeizureSearchHit[]) => hits.map((h) => h.seizureId).sort();
  const recorded = commands.map((c, n) => ({ ...c.data, agency: agencyOf(n) }));
  const expected = (keep: (c: (typeof recorded)[number]) => boolean) =>
    recorded
      .filter(keep)
      .map((d) => d.seizureId)
      .sort();
  const search = (filters: SeizureSearchFilters, actor: Actor = national) => ids(query.search(actor, filters, ALL).items);
  const valueOf = (d: RecordSeizure['data']) => d.items.reduce((sum, i) => sum + i.estimatedValuePaise, 0);

  it('filters by place, agency, category, status, memo and vehicle number', () => {
    expect(search({ state: 'RJ' })).toEqual(expected((d) => d.location.state === 'RJ'));
    expect(search({ district: 'UP-LKO' })).toEqual(expected((d) => d.location.district === 'UP-LKO'));
    expect(search({ state: 'UP', assemblyConstituency: 390 })).toEqual(expected((d) => d.location.assemblyConstituency === 390));
    expect(search({ agency: 'police' })).toEqual(expected((d) => d.agency === 'police'));
    expect(search({ category: 'drugs' })).toEqual(expected((d) => d.items.some((i) => i.category === 'drugs')));
    expect(search({ category: 'drugs', district: 'UP-VNS', agency: 'police' })).toEqual(
      expected((d) => d.items.some((i) => i.category === 'drugs') && d.location.district === 'UP-VNS' && d.agency === 'police'),
    );
    expect(search({ status: 'held' })).toHaveLength(COUNT);
    expect(search({ status: 'disposed' })).toEqual([]);
    expect(search({ memoNumber: 'memo/7' })).toEqual([uuid(7)]);
    expect(search({ memoNumber: 'MEMO/7 ' })).toEqual([uuid(7)]);
    expect(search({ memoNumber: 'MEMO/' })).toEqual([]);
    expect(search({ vehicleNumber: 'up65ab1007' })).toEqual([uuid(7)]);
    expect(search({ vehicleNumber: 'UP65AB100' })).toEqual([]);
  });

  it('filters by seizure time (a date is a whole day in IST) and by total value, bounds included', () => {
    // 2024-04-10T07:00Z is 12:30 IST on the 10th; 2024-04-10T21:00Z is already 02:30 IST on the 11th.
    const day10 = { seizedAtFrom: seizedAtBound('2024-04-10', 'from'), seizedAtBefore: seizedAtBound('2024-04-10', 'to') };
    expect(day10).toEqual({ seizedAtFrom: '2024-04-09T18:30:00.000Z', seizedAtBefore: '2024-04-10T18:30:00.000Z' });
    expect(search(day10)).toEqual(expected((d) => d.seizedAt >= '2024-04-09T18:30:00.000Z' && d.seizedAt < '2024-04-10T18:30:00.000Z'));
    expect(search(day10).length).toBeGreaterThan(0);
    const exact = {
      seizedAtFrom: seizedAtBound('2024-04-10T07:00:00Z', 'from'),
      seizedAtBefore: seizedAtBound('2024-04-10T14:00:00.000Z', 'to'),
    };
    expect(search(exact)).toEqual(expected((d) => d.seizedAt === '2024-04-10T07:00:00.000Z' || d.seizedAt === '2024-04-10T14:00:00.000Z'));
    expect(search({ minValuePaise: 50_000, maxValuePaise: 80_000 })).toEqual(expected((d) => valueOf(d) >= 50_000 && valueOf(d) <= 80_000));
    expect(search({ minValuePaise: 50_000, maxValuePaise: 80_000 }).length).toBeGreaterThan(0);
    expect(search({ minValuePaise: 110_000 })).toEqual(expected((d) => valueOf(d) >= 110_000));
  });

  it('returns nothing outside the caller’s scope, even when asked for it by name', () => {
    const vns = actors.flyingSquad; // districts: UP-VNS
    expect(search({}, vns)).toEqual(expected((d) => d.location.district === 'UP-VNS'));
    expect(query.search(vns, { district: 'RJ-JPR' }, ALL)).toEqual({ items: [], nextCursor: null });
    expect(search({ state: 'UP' }, vns)).toEqual(expected((d) => d.location.district === 'UP-VNS'));
    expect(search({ memoNumber: 'MEMO/2' }, vns)).toEqual([]); // MEMO/2 is in Jaipur
    const upState: Actor = { ...vns, scope: { national: false, states: ['UP'], districts: ['RJ-JPR'] } };
    expect(search({}, upState)).toHaveLength(COUNT);
    const nowhere: Actor = { ...vns, scope: { national: false, states: [], districts: [] } };
    expect(search({}, nowhere)).toEqual([]);
  });

  it.each<[SearchSort, SearchOrder, number]>([
    ['seizedAt', 'desc', 7],
    ['seizedAt', 'asc', 11],
    ['value', 'desc', 1],
    ['value', 'asc', 200],
  ])('pages through every seizure sorted by %s %s, %i at a time, with no duplicate and no omission', (sort, order, limit) => {
    const seen: SeizureSearchHit[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = query.search(national, {}, { sort, order, limit, cursor });
      expect(page.items.length).toBeLessThanOrEqual(limit);
      seen.push(...page.items);
      cursor = page.nextCursor ?? undefined;
      pages += 1;
      // A cursor that does not advance would page forever: fail instead of hanging.
      if (pages > COUNT + 1) throw new Error('pagination does not end');
    } while (cursor !== undefined);
    expect(pages).toBe(Math.max(1, Math.ceil(COUNT / limit)));
    expect(new Set(seen.map((h) => h.seizureId)).size).toBe(COUNT);
    const key = (h: SeizureSearchHit) => (sort === 'value' ? h.totalValuePaise : h.seizedAt);
    const sorted = [...seen].sort((a, b) => {
      const c = key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.seizureId < b.seizureId ? -1 : a.seizureId > b.seizureId ? 1 : 0;
      return order === 'asc' ? c : -c;
    });
    expect(seen.map((h) => h.seizureId)).toEqual(sorted.map((h) => h.seizureId));
  });

  it('keeps paging stable while seizures are recorded between pages', () => {
    const local = freshDb();
    const q = new SeizureSearchQuery(local);
    const s = new LedgerScenario();
    for (const command of commands) s.run(command.data.seizureId, command, national, NOW);
    project(local, s.events);

    const seen: string[] = [];
    let cursor: string | undefined;
    let extra = 0;
    do {
      const page = q.search(national, {}, { sort: 'seizedAt', order: 'desc', limit: 9, cursor });
      seen.push(...page.items.map((h) => h.seizureId));
      cursor = page.nextCursor ?? undefined;
      // New seizures land on both sides of the cursor: they share seizedAt keys with rows seen and not yet seen.
      for (const n of [500 + extra, 900 + extra]) {
        const command = recordCommand(n);
        project(local, s.run(command.data.seizureId, command, national, NOW));
      }
      extra += 1;
      if (extra > 3 * COUNT) throw new Error('pagination does not end');
    } while (cursor !== undefined);
    expect(new Set(seen).size).toBe(seen.length);
    for (const command of commands) expect(seen).toContain(command.data.seizureId);
    local.close();
  });

  it('refuses a cursor it did not issue, or one issued for another sort, naming the parameter', () => {
    const first = query.search(national, {}, { sort: 'value', order: 'asc', limit: 5 });
    const cursor = first.nextCursor as string;
    expect(decodeCursor(cursor, { sort: 'value', order: 'asc' })).toMatchObject({
      sort: 'value',
      order: 'asc',
      id: first.items[4].seizureId,
      key: first.items[4].totalValuePaise,
    });
    const refused = (c: string, sort: SearchSort = 'value', order: SearchOrder = 'asc') => {
      try {
        query.search(national, {}, { sort, order, limit: 5, cursor: c });
      } catch (error) {
        return error instanceof InvalidSearchRequest ? error.field : String(error);
      }
      return 'accepted';
    };
    expect(refused(cursor, 'value', 'desc')).toBe('cursor');
    expect(refused(cursor, 'seizedAt', 'asc')).toBe('cursor');
    expect(refused('not a cursor!')).toBe('cursor');
    expect(refused(Buffer.from('{"a":1}').toString('base64url'))).toBe('cursor');
    expect(refused(encodeCursor({ sort: 'value', order: 'asc', key: 'text', id: 'x' }))).toBe('cursor');
    expect(refused(cursor)).toBe('accepted');
  });

  it('refuses impossible ranges and page sizes', () => {
    const field = (filters: SeizureSearchFilters, limit = 10) => {
      try {
        query.search(national, filters, { sort: 'seizedAt', order: 'desc', limit });
        return 'accepted';
      } catch (error) {
        return error instanceof InvalidSearchRequest ? error.field : String(error);
      }
    };
    expect(field({ minValuePaise: 10, maxValuePaise: 9 })).toBe('minValuePaise');
    expect(field({ seizedAtFrom: '2024-04-11T00:00:00.000Z', seizedAtBefore: '2024-04-10T00:00:00.000Z' })).toBe('seizedAtFrom');
    expect(field({}, 0)).toBe('limit');
    expect(field({}, 201)).toBe('limit');
    expect(field({ minValuePaise: 10, maxValuePaise: 10 })).toBe('accepted');
  });
});
