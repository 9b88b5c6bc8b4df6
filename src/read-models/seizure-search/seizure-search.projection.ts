import type { Database } from 'better-sqlite3';
import { CATEGORIES } from '../../custody/values';
import type { ProjectedEvent, Projection, ProjectionBatch } from '../../projections/projection';
import { StatementCache } from '../../projections/statement-cache';

/**
 * The status of a seizure as search filters it, derived from its items (first match wins):
 * - `in_transfer`: at least one item is in a handover not yet accepted or rejected;
 * - `disposed`: every item was disposed of;
 * - `released`: no item is held any more and at least one was released (others disposed of);
 * - `partly_released`: some items were released or disposed of, others are still held;
 * - `held`: every item is still held.
 */
export const SEIZURE_STATUSES = ['held', 'in_transfer', 'partly_released', 'released', 'disposed'] as const;
export type SeizureStatus = (typeof SEIZURE_STATUSES)[number];

export interface ItemCounts {
  held: number;
  inTransfer: number;
  released: number;
  disposed: number;
}

export function seizureStatus(counts: ItemCounts): SeizureStatus {
  if (counts.inTransfer > 0) return 'in_transfer';
  const ended = counts.released + counts.disposed;
  if (counts.held === 0 && ended > 0) return counts.released === 0 ? 'disposed' : 'released';
  if (ended > 0) return 'partly_released';
  return 'held';
}

/**
 * seizedAt as ISO-8601 UTC with milliseconds, so that text order is time order whatever fraction
 * digits the device sent. A value that is no date at all is kept as written rather than stopping
 * the projector: history is folded, never refused.
 */
export function normalizeInstant(value: string): string {
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? value : new Date(ms).toISOString();
}

/** Case-insensitive exact match for memo and vehicle numbers: compare upper-cased, trimmed. */
export const searchKey = (value: string): string => value.trim().toUpperCase();

export const SEIZURE_SEARCH_TABLES = ['seizure_search_seizures', 'seizure_search_items'] as const;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS seizure_search_seizures (
  seizure_id TEXT PRIMARY KEY,
  memo_number TEXT NOT NULL,
  memo_key TEXT NOT NULL,
  seized_at TEXT NOT NULL,
  state TEXT NOT NULL,
  district TEXT NOT NULL,
  assembly_constituency INTEGER NOT NULL,
  parliamentary_constituency INTEGER NOT NULL,
  agency TEXT NOT NULL,
  team TEXT NOT NULL,
  vehicle_number TEXT,
  vehicle_key TEXT,
  election_id TEXT NOT NULL,
  -- Null for seizures recorded under older rules without an election.
  poll_date TEXT,
  linked_to_candidate_or_party INTEGER NOT NULL,
  categories TEXT NOT NULL,
  item_count INTEGER NOT NULL DEFAULT 0,
  total_value_paise INTEGER NOT NULL DEFAULT 0,
  cash_paise INTEGER NOT NULL DEFAULT 0,
  items_held INTEGER NOT NULL DEFAULT 0,
  items_in_transfer INTEGER NOT NULL DEFAULT 0,
  items_released INTEGER NOT NULL DEFAULT 0,
  items_disposed INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL DEFAULT 'held',
  fir_number TEXT,
  last_event_at TEXT NOT NULL,
  last_position INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS seizure_search_by_seized_at ON seizure_search_seizures (seized_at, seizure_id);
CREATE INDEX IF NOT EXISTS seizure_search_by_value ON seizure_search_seizures (total_value_paise, seizure_id);
CREATE INDEX IF NOT EXISTS seizure_search_by_district ON seizure_search_seizures (district, seized_at);
CREATE INDEX IF NOT EXISTS seizure_search_by_state ON seizure_search_seizures (state, seized_at);
CREATE INDEX IF NOT EXISTS seizure_search_by_memo ON seizure_search_seizures (memo_key);
CREATE INDEX IF NOT EXISTS seizure_search_by_vehicle ON seizure_search_seizures (vehicle_key);
CREATE TABLE IF NOT EXISTS seizure_search_items (
  seizure_id TEXT NOT NULL,
  item_id TEXT NOT NULL,
  category TEXT NOT NULL,
  quantity INTEGER NOT NULL,
  value_paise INTEGER NOT NULL,
  disposition TEXT NOT NULL,
  open_transfer_id TEXT,
  PRIMARY KEY (seizure_id, item_id)
);
CREATE INDEX IF NOT EXISTS seizure_search_items_by_category ON seizure_search_items (category, seizure_id);
`;

interface Aggregates {
  item_count: number;
  total_value_paise: number;
  cash_paise: number;
  held: number;
  in_transfer: number;
  released: number;
  disposed: number;
}

const prepareStatements = (db: Database) => ({
  insertSeizure: db.prepare<{
    seizureId: string;
    memoNumber: string;
    memoKey: string;
    seizedAt: string;
    state: string;
    district: string;
    ac: number;
    pc: number;
    agency: string;
    team: string;
    vehicleNumber: string | null;
    vehicleKey: string | null;
    electionId: string;
    pollDate: string | null;
    linked: number;
    categories: string;
    at: string;
    position: number;
  }>(
    `INSERT OR IGNORE INTO seizure_search_seizures
       (seizure_id, memo_number, memo_key, seized_at, state, district, assembly_constituency, parliamentary_constituency, agency, team,
        vehicle_number, vehicle_key, election_id, poll_date, linked_to_candidate_or_party, categories, last_event_at, last_position)
     VALUES (@seizureId, @memoNumber, @memoKey, @seizedAt, @state, @district, @ac, @pc, @agency, @team,
        @vehicleNumber, @vehicleKey, @electionId, @pollDate, @linked, @categories, @at, @position)`,
  ),
  insertItem: db.prepare<[string, string, string, number, number]>(
    `INSERT OR IGNORE INTO seizure_search_items (seizure_id, item_id, category, quantity, value_paise, disposition) VALUES (?, ?, ?, ?, ?, 'held')`,
  ),
  setValue: db.prepare<[number, string, string]>('UPDATE seizure_search_items SET value_paise = ? WHERE seizure_id = ? AND item_id = ?'),
  setOpenTransfer: db.prepare<[string, string, string]>(
    'UPDATE seizure_search_items SET open_transfer_id = ? WHERE seizure_id = ? AND item_id = ?',
  ),
  clearOpenTransfer: db.prepare<[string, string]>(
    'UPDATE seizure_search_items SET open_transfer_id = NULL WHERE seizure_id = ? AND open_transfer_id = ?',
  ),
  setDisposition: db.prepare<[string, string, string]>(
    'UPDATE seizure_search_items SET disposition = ? WHERE seizure_id = ? AND item_id = ?',
  ),
  setFir: db.prepare<[string, string]>('UPDATE seizure_search_seizures SET fir_number = ? WHERE seizure_id = ?'),
  aggregates: db.prepare<[string], Aggregates>(
    `SELECT COUNT(*) AS item_count,
            COALESCE(SUM(value_paise), 0) AS total_value_paise,
            COALESCE(SUM(CASE WHEN category = 'cash' THEN quantity ELSE 0 END), 0) AS cash_paise,
            COALESCE(SUM(disposition = 'held' AND open_transfer_id IS NULL), 0) AS held,
            COALESCE(SUM(disposition = 'held' AND open_transfer_id IS NOT NULL), 0) AS in_transfer,
            COALESCE(SUM(disposition = 'released'), 0) AS released,
            COALESCE(SUM(disposition = 'disposed'), 0) AS disposed
       FROM seizure_search_items WHERE seizure_id = ?`,
  ),
  updateAggregates: db.prepare<{
    seizureId: string;
    itemCount: number;
    total: number;
    cash: number;
    held: number;
    inTransfer: number;
    released: number;
    disposed: number;
    status: SeizureStatus;
    at: string;
    position: number;
  }>(
    `UPDATE seizure_search_seizures SET item_count = @itemCount, total_value_paise = @total, cash_paise = @cash,
       items_held = @held, items_in_transfer = @inTransfer, items_released = @released, items_disposed = @disposed,
       status = @status, last_event_at = @at, last_position = @position
     WHERE seizure_id = @seizureId`,
  ),
});

type Statements = ReturnType<typeof prepareStatements>;

// Prepared once per connection, on the first event (the tables exist by then).
const statements = new StatementCache(prepareStatements);

/**
 * Seizure search: one row per seizure with what it is filtered and sorted by, kept current from
 * its items (value after revaluation, where each item stands). No personal data is copied here:
 * neither the person seized from nor witnesses nor release recipients, nor the place.
 */
export class SeizureSearchProjection implements Projection {
  readonly name = 'seizure-search';
  // 2: poll_date may be null (legacy seizures without an election).
  readonly version = 2;

  setup(db: Database): void {
    db.exec(SCHEMA);
    statements.forget(db);
  }

  teardown(db: Database): void {
    statements.forget(db);
    for (const table of SEIZURE_SEARCH_TABLES) db.exec(`DROP TABLE IF EXISTS ${table}`);
  }

  apply(db: Database, event: ProjectedEvent): void {
    const st = statements.for(db);
    if (this.applyItems(st, event)) this.refresh(st, event.seizureId, event);
  }

  /**
   * A batch refreshes each seizure it touched once, at the end, from its last event in the batch:
   * the totals and status depend only on the seizure's items, which only its own events change,
   * so the row comes out as refreshing after every event would leave it.
   */
  beginBatch(db: Database): ProjectionBatch {
    const st = statements.for(db);
    const lastEventOf = new Map<string, ProjectedEvent>();
    return {
      apply: (event) => {
        if (this.applyItems(st, event)) lastEventOf.set(event.seizureId, event);
      },
      finish: () => {
        for (const [seizureId, event] of lastEventOf) this.refresh(st, seizureId, event);
      },
    };
  }

  /** What the event changes in the seizure's own row and its items; false when it changes nothing, not even the refresh. */
  private applyItems(st: Statements, event: ProjectedEvent): boolean {
    const { seizureId } = event;
    switch (event.type) {
      case 'SeizureRecorded': {
        const d = event.data;
        const categories = CATEGORIES.filter((c) => d.items.some((i) => i.category === c));
        const inserted = st.insertSeizure.run({
          seizureId,
          memoNumber: d.memoNumber,
          memoKey: searchKey(d.memoNumber),
          seizedAt: normalizeInstant(d.seizedAt),
          state: d.location.state,
          district: d.location.district,
          ac: d.location.assemblyConstituency,
          pc: d.location.parliamentaryConstituency,
          agency: d.agency,
          team: d.team,
          vehicleNumber: d.vehicleNumber,
          vehicleKey: d.vehicleNumber === null ? null : searchKey(d.vehicleNumber),
          electionId: d.election.id,
          pollDate: d.election.pollDate,
          linked: d.linkedToCandidateOrParty ? 1 : 0,
          categories: JSON.stringify(categories),
          at: event.metadata.occurredAt,
          position: event.globalPosition,
        });
        // A repeated SeizureRecorded (history is folded, never refused) changes nothing.
        if (inserted.changes === 0) return false;
        for (const item of d.items) st.insertItem.run(seizureId, item.itemId, item.category, item.quantity, item.estimatedValuePaise);
        break;
      }
      case 'ItemsValued':
        for (const v of event.data.valuations) st.setValue.run(v.valuePaise, seizureId, v.itemId);
        break;
      case 'CustodyTransferInitiated':
        for (const itemId of event.data.itemIds) st.setOpenTransfer.run(event.data.transferId, seizureId, itemId);
        break;
      case 'CustodyTransferAccepted':
      case 'CustodyTransferRejected':
        st.clearOpenTransfer.run(seizureId, event.data.transferId);
        break;
      case 'ItemsReleased':
      case 'ItemsDisposed': {
        const disposition = event.type === 'ItemsReleased' ? 'released' : 'disposed';
        for (const itemId of event.data.itemIds) st.setDisposition.run(disposition, seizureId, itemId);
        break;
      }
      case 'FirRegistered':
        st.setFir.run(event.data.firNumber, seizureId);
        break;
      default:
        break;
    }
    return true;
  }

  /** Recomputes the seizure's totals and status from its items, and stamps the last event. */
  private refresh(st: Statements, seizureId: string, event: ProjectedEvent): void {
    const a = st.aggregates.get(seizureId);
    if (!a) return;
    const counts: ItemCounts = { held: a.held, inTransfer: a.in_transfer, released: a.released, disposed: a.disposed };
    st.updateAggregates.run({
      seizureId,
      itemCount: a.item_count,
      total: a.total_value_paise,
      cash: a.cash_paise,
      ...counts,
      status: seizureStatus(counts),
      at: event.metadata.occurredAt,
      position: event.globalPosition,
    });
  }
}

/** The instance the projector runs. */
export const seizureSearchProjection = new SeizureSearchProjection();
