import { Inject, Injectable } from '@nestjs/common';
import type { Database, Statement } from 'better-sqlite3';
import { inScope, type Actor } from '../../shared/actor';
import { CLOCK, type Clock } from '../../shared/clock';
import { indianDayOf } from '../../shared/indian-day';
import { READ_MODEL_DB } from '../../projections/projection';

export const STATEMENT_GROUPINGS = ['state', 'district', 'constituency'] as const;
export type StatementGrouping = (typeof STATEMENT_GROUPINGS)[number];

export interface StatementRequest {
  /** The Indian date (YYYY-MM-DD) reported on; today in IST when absent. */
  date?: string;
  groupBy: StatementGrouping;
  state?: string;
  district?: string;
  election?: string;
}

/**
 * The Election Commission's categories for one place and period. Amounts are integer paise and
 * base units (ml, mg); litres and kilograms are exact decimal strings for reading. Drugs counted
 * in pieces (tablets, injections) have no weight and are counted apart.
 */
export interface StatementFigures {
  seizures: number;
  cash: { valuePaise: number };
  liquor: { volumeMl: number; litres: string; valuePaise: number };
  drugs: { weightMg: number; kg: string; pieces: number; valuePaise: number };
  preciousMetals: { weightMg: number; kg: string; valuePaise: number };
  freebies: { valuePaise: number };
  other: { valuePaise: number };
  totalValuePaise: number;
}

export interface StatementRow {
  state: string;
  /** Set when grouped by district. */
  district: string | null;
  /** The assembly constituency number (within the state), when grouped by constituency. */
  constituency: number | null;
  /** Seized on the date (IST). */
  day: StatementFigures;
  /** Seized from the start of the record up to and including the date (IST). */
  cumulative: StatementFigures;
}

export interface SeizureStatement {
  date: string;
  timeZone: 'Asia/Kolkata';
  groupBy: StatementGrouping;
  filters: { state: string | null; district: string | null; election: string | null };
  /** The last ledger position the read model had applied: the statement is exactly the log up to it. */
  ledgerPosition: number;
  rows: StatementRow[];
  total: { day: StatementFigures; cumulative: StatementFigures };
}

/** A non-negative integer in a base unit as an exact decimal: decimal(48000, 3) = "48.000". */
export function decimal(amount: number, places: number): string {
  const digits = String(amount).padStart(places + 1, '0');
  return `${digits.slice(0, -places)}.${digits.slice(-places)}`;
}

interface Sums {
  seizures: number;
  cashPaise: number;
  liquorMl: number;
  liquorPaise: number;
  drugsMg: number;
  drugsPieces: number;
  drugsPaise: number;
  metalsMg: number;
  metalsPaise: number;
  freebiesPaise: number;
  otherPaise: number;
}

const emptySums = (): Sums => ({
  seizures: 0,
  cashPaise: 0,
  liquorMl: 0,
  liquorPaise: 0,
  drugsMg: 0,
  drugsPieces: 0,
  drugsPaise: 0,
  metalsMg: 0,
  metalsPaise: 0,
  freebiesPaise: 0,
  otherPaise: 0,
});

function addItems(sums: Sums, category: string, unit: string, quantity: number, valuePaise: number): void {
  switch (category) {
    case 'cash':
      sums.cashPaise += valuePaise;
      break;
    case 'liquor':
      sums.liquorMl += quantity;
      sums.liquorPaise += valuePaise;
      break;
    case 'drugs':
      if (unit === 'mg') sums.drugsMg += quantity;
      else sums.drugsPieces += quantity;
      sums.drugsPaise += valuePaise;
      break;
    case 'precious_metals':
      sums.metalsMg += quantity;
      sums.metalsPaise += valuePaise;
      break;
    case 'freebies':
      sums.freebiesPaise += valuePaise;
      break;
    default:
      // 'other', and any category a newer release adds: still counted in the total.
      sums.otherPaise += valuePaise;
  }
}

function addSums(into: Sums, from: Sums): void {
  for (const key of Object.keys(into) as Array<keyof Sums>) into[key] += from[key];
}

function present(s: Sums): StatementFigures {
  return {
    seizures: s.seizures,
    cash: { valuePaise: s.cashPaise },
    liquor: { volumeMl: s.liquorMl, litres: decimal(s.liquorMl, 3), valuePaise: s.liquorPaise },
    drugs: { weightMg: s.drugsMg, kg: decimal(s.drugsMg, 6), pieces: s.drugsPieces, valuePaise: s.drugsPaise },
    preciousMetals: { weightMg: s.metalsMg, kg: decimal(s.metalsMg, 6), valuePaise: s.metalsPaise },
    freebies: { valuePaise: s.freebiesPaise },
    other: { valuePaise: s.otherPaise },
    totalValuePaise: s.cashPaise + s.liquorPaise + s.drugsPaise + s.metalsPaise + s.freebiesPaise + s.otherPaise,
  };
}

interface Place {
  state: string;
  district: string;
  constituency: number;
}
interface ItemSumRow extends Place {
  category: string;
  unit: string;
  dayQuantity: number;
  dayValue: number;
  cumulativeQuantity: number;
  cumulativeValue: number;
}
interface SeizureCountRow extends Place {
  day: number;
  cumulative: number;
}
interface Filter {
  date: string;
  state: string | null;
  district: string | null;
  election: string | null;
}

interface Statements {
  items: Statement<[Filter], ItemSumRow>;
  seizures: Statement<[Filter], SeizureCountRow>;
  position: Statement<[], number>;
}

const FILTER = `seized_on <= @date
  AND (@state IS NULL OR state = @state)
  AND (@district IS NULL OR district = @district)
  AND (@election IS NULL OR election_id = @election)`;

function prepare(db: Database): Statements {
  return {
    // Summed by the finest place; scope is applied to these sums and coarser groups are added up
    // from them, which is exact because every seizure lies in exactly one place.
    items: db.prepare(`
      SELECT state, district, constituency, category, unit,
             SUM(CASE WHEN seized_on = @date THEN quantity ELSE 0 END)    AS dayQuantity,
             SUM(CASE WHEN seized_on = @date THEN value_paise ELSE 0 END) AS dayValue,
             SUM(quantity)    AS cumulativeQuantity,
             SUM(value_paise) AS cumulativeValue
        FROM seizure_statement_items
       WHERE ${FILTER}
       GROUP BY state, district, constituency, category, unit`),
    seizures: db.prepare(`
      SELECT state, district, constituency, SUM(seized_on = @date) AS day, COUNT(*) AS cumulative
        FROM seizure_statement_seizures
       WHERE ${FILTER}
       GROUP BY state, district, constituency`),
    position: db.prepare<[], number>('SELECT position FROM seizure_statement_position WHERE id = 1').pluck(),
  };
}

interface Group {
  key: Pick<StatementRow, 'state' | 'district' | 'constituency'>;
  day: Sums;
  cumulative: Sums;
}

function compareKeys(a: Group['key'], b: Group['key']): number {
  if (a.state !== b.state) return a.state < b.state ? -1 : 1;
  const [da, db] = [a.district ?? '', b.district ?? ''];
  if (da !== db) return da < db ? -1 : 1;
  return (a.constituency ?? 0) - (b.constituency ?? 0);
}

/** The seizure statement in the Election Commission's form, within the caller's jurisdiction. */
@Injectable()
export class SeizureStatementQuery {
  private statements: Statements | undefined;

  constructor(
    @Inject(READ_MODEL_DB) private readonly db: Database,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  statement(actor: Actor, request: StatementRequest): SeizureStatement {
    const filter: Filter = {
      date: request.date ?? indianDayOf(this.clock.now()),
      state: request.state ?? null,
      district: request.district ?? null,
      election: request.election ?? null,
    };
    // Prepared on first use: the projector creates the tables after this query is constructed.
    const sql = (this.statements ??= prepare(this.db));
    // One read transaction, so the figures and the position describe the same moment.
    const { items, seizures, position } = this.db.transaction(() => ({
      items: sql.items.all(filter),
      seizures: sql.seizures.all(filter),
      position: sql.position.get() ?? 0,
    }))();

    const groups = new Map<string, Group>();
    const groupOf = (place: Place): Group | undefined => {
      if (!inScope(actor.scope, place)) return undefined;
      const key: Group['key'] = {
        state: place.state,
        district: request.groupBy === 'district' ? place.district : null,
        constituency: request.groupBy === 'constituency' ? place.constituency : null,
      };
      const id = JSON.stringify(key);
      let group = groups.get(id);
      if (group === undefined) {
        group = { key, day: emptySums(), cumulative: emptySums() };
        groups.set(id, group);
      }
      return group;
    };
    for (const row of items) {
      const group = groupOf(row);
      if (group === undefined) continue;
      addItems(group.day, row.category, row.unit, row.dayQuantity, row.dayValue);
      addItems(group.cumulative, row.category, row.unit, row.cumulativeQuantity, row.cumulativeValue);
    }
    for (const row of seizures) {
      const group = groupOf(row);
      if (group === undefined) continue;
      group.day.seizures += row.day;
      group.cumulative.seizures += row.cumulative;
    }

    const ordered = [...groups.values()].sort((a, b) => compareKeys(a.key, b.key));
    const totalDay = emptySums();
    const totalCumulative = emptySums();
    for (const group of ordered) {
      addSums(totalDay, group.day);
      addSums(totalCumulative, group.cumulative);
    }
    return {
      date: filter.date,
      timeZone: 'Asia/Kolkata',
      groupBy: request.groupBy,
      filters: { state: filter.state, district: filter.district, election: filter.election },
      ledgerPosition: position,
      rows: ordered.map((g) => ({ ...g.key, day: present(g.day), cumulative: present(g.cumulative) })),
      total: { day: present(totalDay), cumulative: present(totalCumulative) },
    };
  }
}
