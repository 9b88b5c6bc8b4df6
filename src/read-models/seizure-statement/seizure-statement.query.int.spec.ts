import type { Database } from 'better-sqlite3';
import type { SeizedItem, SeizureLocation } from '../../custody/values';
import type { SeizureEvent } from '../../custody/events';
import type { Actor } from '../../shared/actor';
import { FixedClock } from '../../shared/clock';
import { actors, seizureRecorded } from '../../../test/support/custody-fixtures';
import { ProjectedEventLog, applyAll, projectionDatabase } from '../../../test/support/projected-event-log';
import { STATEMENT_CSV_COLUMNS, csvField, statementToCsv } from './seizure-statement.csv';
import { seizureStatementProjection as projection } from './seizure-statement.projection';
import { SeizureStatementQuery, decimal, type StatementFigures } from './seizure-statement.query';

const place = (state: string, district: string, assemblyConstituency: number): SeizureLocation => ({
  state,
  district,
  assemblyConstituency,
  parliamentaryConstituency: 1,
  latitude: 25,
  longitude: 82,
  place: 'चेक पोस्ट',
});
const item = (
  itemId: string,
  category: SeizedItem['category'],
  quantity: number,
  unit: SeizedItem['unit'],
  valuePaise: number,
): SeizedItem => ({
  itemId,
  category,
  description: itemId,
  quantity,
  unit,
  packages: 1,
  sealNumbers: [],
  estimatedValuePaise: valuePaise,
});
const recorded = (
  seizureId: string,
  seizedAt: string,
  location: SeizureLocation,
  items: SeizedItem[],
  electionId = 'GE-2024',
): SeizureEvent => ({
  type: 'SeizureRecorded',
  data: seizureRecorded({ seizureId, seizedAt, location, items, election: { id: electionId, name: electionId, pollDate: '2024-06-01' } })
    .data,
});

const national: Actor = actors.court;
const varanasiOfficer: Actor = actors.flyingSquad;
const upState: Actor = { ...actors.committee, scope: { national: false, states: ['UP'], districts: [] } };

// Around Indian midnight: 18:30 UTC is 00:00 IST the next day.
const S1 = 'seizure-1'; // 2024-04-18 23:59:59 IST, Varanasi AC 390: cash Rs 1,00,000
const S2 = 'seizure-2'; // 2024-04-19 00:00:00 IST, Varanasi AC 391: liquor, drugs by weight and in pieces
const S3 = 'seizure-3'; // 2024-04-19 15:30 IST, Lucknow AC 170: gold, freebies, other
const S4 = 'seizure-4'; // 2024-04-19 17:30 IST, Mumbai (a by-election): cash
const S5 = 'seizure-5'; // 2024-04-20 00:00 IST, Varanasi: after the day reported on

function seed(): { db: Database; log: ProjectedEventLog } {
  const db = projectionDatabase(projection);
  const log = new ProjectedEventLog();
  const at = '2024-04-20T00:00:00.000Z';
  applyAll(db, projection, [
    log.append(
      S1,
      recorded(S1, '2024-04-18T18:29:59.000Z', place('UP', 'UP-VNS', 390), [item('c', 'cash', 10_000_000, 'paise', 10_000_000)]),
      at,
    ),
    log.append(
      S2,
      recorded(S2, '2024-04-18T18:30:00.000Z', place('UP', 'UP-VNS', 391), [
        item('l', 'liquor', 48_250, 'ml', 4_800_000),
        item('d1', 'drugs', 1_500, 'mg', 3_000_000),
        item('d2', 'drugs', 20, 'pieces', 200_000),
      ]),
      at,
    ),
    log.append(
      S3,
      recorded(S3, '2024-04-19T10:00:00.000Z', place('UP', 'UP-LKO', 170), [
        item('g', 'precious_metals', 250_000, 'mg', 180_000_000),
        item('f', 'freebies', 40, 'pieces', 5_000_000),
        item('o', 'other', 2, 'pieces', 100_000),
      ]),
      at,
    ),
    log.append(
      S4,
      recorded(S4, '2024-04-19T12:00:00.000Z', place('MH', 'MH-MUM', 180), [item('c', 'cash', 5_000_000, 'paise', 5_000_000)], 'BYE-2024'),
      at,
    ),
    log.append(
      S5,
      recorded(S5, '2024-04-19T18:30:00.000Z', place('UP', 'UP-VNS', 390), [item('c', 'cash', 7_000_000, 'paise', 7_000_000)]),
      at,
    ),
  ]);
  return { db, log };
}

const query = (db: Database, now = '2024-04-20T06:00:00.000Z') => new SeizureStatementQuery(db, new FixedClock(now));

const figures = (
  f: Partial<
    Record<
      'seizures' | 'cash' | 'liquorMl' | 'liquor' | 'drugsMg' | 'drugsPieces' | 'drugs' | 'metalsMg' | 'metals' | 'freebies' | 'other',
      number
    >
  >,
): StatementFigures => {
  const v = {
    seizures: 0,
    cash: 0,
    liquorMl: 0,
    liquor: 0,
    drugsMg: 0,
    drugsPieces: 0,
    drugs: 0,
    metalsMg: 0,
    metals: 0,
    freebies: 0,
    other: 0,
    ...f,
  };
  return {
    seizures: v.seizures,
    cash: { valuePaise: v.cash },
    liquor: { volumeMl: v.liquorMl, litres: decimal(v.liquorMl, 3), valuePaise: v.liquor },
    drugs: { weightMg: v.drugsMg, kg: decimal(v.drugsMg, 6), pieces: v.drugsPieces, valuePaise: v.drugs },
    preciousMetals: { weightMg: v.metalsMg, kg: decimal(v.metalsMg, 6), valuePaise: v.metals },
    freebies: { valuePaise: v.freebies },
    other: { valuePaise: v.other },
    totalValuePaise: v.cash + v.liquor + v.drugs + v.metals + v.freebies + v.other,
  };
};

const VNS_DAY = figures({ seizures: 1, liquorMl: 48_250, liquor: 4_800_000, drugsMg: 1_500, drugsPieces: 20, drugs: 3_200_000 });
const VNS_CUMULATIVE = figures({
  seizures: 2,
  cash: 10_000_000,
  liquorMl: 48_250,
  liquor: 4_800_000,
  drugsMg: 1_500,
  drugsPieces: 20,
  drugs: 3_200_000,
});
const LKO = figures({ seizures: 1, metalsMg: 250_000, metals: 180_000_000, freebies: 5_000_000, other: 100_000 });
const MUM = figures({ seizures: 1, cash: 5_000_000 });

describe('seizure statement query (SQLite)', () => {
  it('by district: the day (IST) and everything up to and including it, across midnight UTC', () => {
    const { db, log } = seed();
    const statement = query(db).statement(national, { date: '2024-04-19', groupBy: 'district' });

    expect(statement).toMatchObject({
      date: '2024-04-19',
      timeZone: 'Asia/Kolkata',
      groupBy: 'district',
      ledgerPosition: log.events.length,
    });
    expect(statement.rows).toEqual([
      { state: 'MH', district: 'MH-MUM', constituency: null, day: MUM, cumulative: MUM },
      { state: 'UP', district: 'UP-LKO', constituency: null, day: LKO, cumulative: LKO },
      { state: 'UP', district: 'UP-VNS', constituency: null, day: VNS_DAY, cumulative: VNS_CUMULATIVE },
    ]);
    expect(statement.rows[2].day.liquor.litres).toBe('48.250');
    expect(statement.rows[2].day.drugs.kg).toBe('0.001500');
    expect(statement.rows[1].day.preciousMetals.kg).toBe('0.250000');
    expect(statement.total.day.totalValuePaise).toBe(MUM.totalValuePaise + LKO.totalValuePaise + VNS_DAY.totalValuePaise);
    expect(statement.total.cumulative.seizures).toBe(4);
    expect(statement.total.cumulative.cash.valuePaise).toBe(15_000_000);
  });

  it('the day before holds only the seizure made before Indian midnight', () => {
    const { db } = seed();
    const statement = query(db).statement(national, { date: '2024-04-18', groupBy: 'state' });
    const s1 = figures({ seizures: 1, cash: 10_000_000 });
    expect(statement.rows).toEqual([{ state: 'UP', district: null, constituency: null, day: s1, cumulative: s1 }]);
  });

  it('by state and by constituency, the same figures summed differently', () => {
    const { db } = seed();
    const byState = query(db).statement(national, { date: '2024-04-19', groupBy: 'state' });
    expect(byState.rows.map((r) => [r.state, r.district, r.constituency, r.cumulative.seizures, r.cumulative.totalValuePaise])).toEqual([
      ['MH', null, null, 1, MUM.totalValuePaise],
      ['UP', null, null, 3, LKO.totalValuePaise + VNS_CUMULATIVE.totalValuePaise],
    ]);
    const byConstituency = query(db).statement(national, { date: '2024-04-19', groupBy: 'constituency' });
    expect(byConstituency.rows.map((r) => [r.state, r.constituency, r.day.seizures, r.cumulative.seizures])).toEqual([
      ['MH', 180, 1, 1],
      ['UP', 170, 1, 1],
      ['UP', 390, 0, 1],
      ['UP', 391, 1, 1],
    ]);
    expect(byConstituency.total).toEqual(byState.total);
  });

  it('shows a caller only their districts or states, whatever they ask for', () => {
    const { db } = seed();
    const asVaranasi = query(db).statement(varanasiOfficer, { date: '2024-04-19', groupBy: 'state' });
    expect(asVaranasi.rows).toEqual([{ state: 'UP', district: null, constituency: null, day: VNS_DAY, cumulative: VNS_CUMULATIVE }]);
    expect(asVaranasi.total).toEqual({ day: VNS_DAY, cumulative: VNS_CUMULATIVE });

    const asUp = query(db).statement(upState, { date: '2024-04-19', groupBy: 'district' });
    expect(asUp.rows.map((r) => r.district)).toEqual(['UP-LKO', 'UP-VNS']);

    const elsewhere = query(db).statement(varanasiOfficer, { date: '2024-04-19', groupBy: 'district', state: 'MH' });
    expect(elsewhere.rows).toEqual([]);
    expect(elsewhere.total).toEqual({ day: figures({}), cumulative: figures({}) });
    expect(query(db).statement(actors.outOfDistrict, { date: '2024-04-19', groupBy: 'district', district: 'UP-VNS' }).rows).toEqual([]);
  });

  it('filters by state, district and election', () => {
    const { db } = seed();
    const q = query(db);
    expect(q.statement(national, { date: '2024-04-19', groupBy: 'district', state: 'UP' }).rows.map((r) => r.district)).toEqual([
      'UP-LKO',
      'UP-VNS',
    ]);
    expect(q.statement(national, { date: '2024-04-19', groupBy: 'district', district: 'UP-LKO' }).rows.map((r) => r.district)).toEqual([
      'UP-LKO',
    ]);
    const bye = q.statement(national, { date: '2024-04-19', groupBy: 'state', election: 'BYE-2024' });
    expect(bye.rows.map((r) => r.state)).toEqual(['MH']);
    expect(bye.filters).toEqual({ state: null, district: null, election: 'BYE-2024' });
  });

  it('reports on today in IST when no date is given', () => {
    const { db } = seed();
    // 19:00 UTC on the 19th is already the 20th in India: S5 is that day's only seizure.
    const statement = query(db, '2024-04-19T19:00:00.000Z').statement(national, { groupBy: 'state' });
    expect(statement.date).toBe('2024-04-20');
    expect(statement.total.day).toEqual(figures({ seizures: 1, cash: 7_000_000 }));
  });

  it('answers with the same statements after its tables are rebuilt under it', () => {
    const { db, log } = seed();
    const q = query(db);
    const before = q.statement(national, { date: '2024-04-19', groupBy: 'district' });
    projection.teardown(db);
    projection.setup(db);
    expect(q.statement(national, { date: '2024-04-19', groupBy: 'district' }).rows).toEqual([]);
    applyAll(db, projection, log.events);
    expect(q.statement(national, { date: '2024-04-19', groupBy: 'district' })).toEqual(before);
  });

  it('counts a revaluation at the new value, on the day of the seizure', () => {
    const { db, log } = seed();
    applyAll(db, projection, [
      log.append(
        S2,
        {
          type: 'ItemsValued',
          data: { valuations: [{ itemId: 'l', valuePaise: 6_000_000, previousValuePaise: 4_800_000 }], basis: 'MRP', reason: 'excise' },
        },
        '2024-04-25T06:00:00.000Z',
      ),
    ]);
    const statement = query(db).statement(national, { date: '2024-04-19', groupBy: 'district', district: 'UP-VNS' });
    expect(statement.rows[0].day.liquor.valuePaise).toBe(6_000_000);
    expect(statement.ledgerPosition).toBe(log.events.length);
  });
});

/** A strict RFC 4180 reader, independent of the writer under test. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === '"') {
      i += 1;
      for (;;) {
        if (text[i] === '"' && text[i + 1] === '"') {
          field += '"';
          i += 2;
        } else if (text[i] === '"') {
          i += 1;
          break;
        } else {
          field += text[i];
          i += 1;
        }
      }
    } else if (text[i] === ',') {
      record.push(field);
      field = '';
      i += 1;
    } else if (text.startsWith('\r\n', i)) {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i += 2;
    } else {
      field += text[i];
      i += 1;
    }
  }
  if (field !== '' || record.length > 0) throw new Error('the last record does not end in CRLF');
  return records;
}

describe('seizure statement as CSV', () => {
  it('quotes only fields that need it, doubling quotes', () => {
    expect(csvField('UP-VNS')).toBe('UP-VNS');
    expect(csvField('वाराणसी')).toBe('वाराणसी');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(null)).toBe('');
    expect(csvField(390)).toBe('390');
  });

  it('has a header, CRLF lines, a day and a cumulative section each with its total, rupees and paise', () => {
    const { db } = seed();
    const csv = statementToCsv(query(db).statement(national, { date: '2024-04-19', groupBy: 'district' }));
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const [header, ...lines] = parseCsv(csv.slice(1));
    expect(header).toEqual([...STATEMENT_CSV_COLUMNS]);
    expect(lines.every((l) => l.length === header.length)).toBe(true);
    const rows = lines.map((l) => Object.fromEntries(header.map((h, i) => [h, l[i]])));
    expect(rows.map((r) => [r.period, r.level, r.state, r.district, r.constituency])).toEqual([
      ['day', 'district', 'MH', 'MH-MUM', ''],
      ['day', 'district', 'UP', 'UP-LKO', ''],
      ['day', 'district', 'UP', 'UP-VNS', ''],
      ['day', 'total', '', '', ''],
      ['cumulative', 'district', 'MH', 'MH-MUM', ''],
      ['cumulative', 'district', 'UP', 'UP-LKO', ''],
      ['cumulative', 'district', 'UP', 'UP-VNS', ''],
      ['cumulative', 'total', '', '', ''],
    ]);
    expect(rows[6]).toMatchObject({
      date: '2024-04-19',
      seizures: '2',
      cash_rupees: '100000.00',
      cash_paise: '10000000',
      liquor_litres: '48.250',
      liquor_ml: '48250',
      liquor_rupees: '48000.00',
      drugs_kg: '0.001500',
      drugs_mg: '1500',
      drugs_pieces: '20',
      drugs_rupees: '32000.00',
      total_rupees: '180000.00',
      total_paise: '18000000',
    });
    expect(rows[5]).toMatchObject({
      precious_metals_kg: '0.250000',
      precious_metals_rupees: '1800000.00',
      freebies_rupees: '50000.00',
      other_rupees: '1000.00',
    });
    expect(rows[3].total_paise).toBe(String(MUM.totalValuePaise + LKO.totalValuePaise + VNS_DAY.totalValuePaise));
  });

  it('keeps Devanagari place names intact and quotes commas and quotes in them', () => {
    const db = projectionDatabase(projection);
    const log = new ProjectedEventLog();
    const district = 'वाराणसी, "कैंट"';
    applyAll(db, projection, [
      log.append(
        's',
        recorded('s', '2024-04-19T05:00:00.000Z', place('उत्तर प्रदेश', district, 390), [item('c', 'cash', 5, 'paise', 5)]),
        '2024-04-19T06:00:00.000Z',
      ),
    ]);
    const csv = statementToCsv(query(db).statement(national, { date: '2024-04-19', groupBy: 'district' }));
    expect(csv).toContain('2024-04-19,day,district,उत्तर प्रदेश,"वाराणसी, ""कैंट""",,1,0.05,5,');
    const [, first] = parseCsv(csv.slice(1));
    expect(first.slice(3, 5)).toEqual(['उत्तर प्रदेश', district]);
  });
});
