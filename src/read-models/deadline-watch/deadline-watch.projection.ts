import type { Database, Statement } from 'better-sqlite3';
import type { ProjectedEvent, Projection } from '../../projections/projection';
import { endOfIndianDay } from '../../shared/indian-day';
import { positionTableProjection } from '../../projections/position-table-projection';

/**
 * What must happen by when, with every due instant fixed from the log alone; how overdue each is
 * depends on the time of asking and is left to the query. Three deadlines:
 *  - held after the poll: nothing seized may stay in custody after the end of the seventh day
 *    after the poll (IST) unless an FIR is registered;
 *  - Income Tax referral: a seizure with more than Rs 10 lakh cash is referred to the Income Tax
 *    nodal officer. The rule names no deadline; our reading is the District Grievance
 *    Committee's 24-hour cadence, so it is due 24 hours after the seizure;
 *  - transfer acceptance: a handover is accepted or rejected within 24 hours of its initiation.
 */

const HOUR_MS = 3_600_000;
/** Held after the poll: due at the end of this many Indian days after the poll day (an IST day, not a UTC one). */
export const DAYS_AFTER_POLL = 7;
/** The referral and the acceptance are durations from an instant, not days: 24 hours to the minute, at any hour. */
export const REFERRAL_HOURS = 24;
export const ACCEPTANCE_HOURS = 24;

/** Due instants are stored in one canonical form, so that SQL compares them as text. */
const hoursAfter = (instant: string, hours: number): string => new Date(Date.parse(instant) + hours * HOUR_MS).toISOString();

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS deadline_watch_seizures (
    seizure_id      TEXT PRIMARY KEY,
    memo_number     TEXT NOT NULL,
    state           TEXT NOT NULL,
    district        TEXT NOT NULL,
    constituency    INTEGER NOT NULL,
    election_id     TEXT NOT NULL,
    -- Null for seizures recorded under older rules without a poll date: no release deadline.
    poll_date       TEXT,
    seized_at       TEXT NOT NULL,
    release_due_at  TEXT,
    fir_registered  INTEGER NOT NULL DEFAULT 0,
    cash_paise      INTEGER NOT NULL,
    referral_due_at TEXT NOT NULL,
    referred        INTEGER NOT NULL DEFAULT 0
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS deadline_watch_seizures_by_release ON deadline_watch_seizures (release_due_at) WHERE fir_registered = 0;
  CREATE INDEX IF NOT EXISTS deadline_watch_seizures_by_referral ON deadline_watch_seizures (referral_due_at) WHERE referred = 0;

  CREATE TABLE IF NOT EXISTS deadline_watch_items (
    seizure_id  TEXT NOT NULL,
    item_id     TEXT NOT NULL,
    category    TEXT NOT NULL,
    description TEXT NOT NULL,
    quantity    INTEGER NOT NULL,
    unit        TEXT NOT NULL,
    custodian   TEXT NOT NULL,
    held        INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (seizure_id, item_id)
  ) WITHOUT ROWID;

  CREATE TABLE IF NOT EXISTS deadline_watch_transfers (
    seizure_id   TEXT NOT NULL,
    transfer_id  TEXT NOT NULL,
    item_ids     TEXT NOT NULL,
    from_custodian TEXT NOT NULL,
    to_custodian TEXT NOT NULL,
    initiated_at TEXT NOT NULL,
    due_at       TEXT NOT NULL,
    open         INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (seizure_id, transfer_id)
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS deadline_watch_open_transfers ON deadline_watch_transfers (due_at) WHERE open = 1;

  -- The last global position applied: answers name the ledger position they were computed at.
  CREATE TABLE IF NOT EXISTS deadline_watch_position (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    position INTEGER NOT NULL
  );
  INSERT INTO deadline_watch_position (id, position) VALUES (1, 0) ON CONFLICT DO NOTHING;
`;

const TABLES = ['deadline_watch_seizures', 'deadline_watch_items', 'deadline_watch_transfers', 'deadline_watch_position'];

interface SeizureRow {
  seizureId: string;
  memoNumber: string;
  state: string;
  district: string;
  constituency: number;
  electionId: string;
  pollDate: string | null;
  seizedAt: string;
  releaseDueAt: string | null;
  cashPaise: number;
  referralDueAt: string;
}
interface ItemRow {
  seizureId: string;
  itemId: string;
  category: string;
  description: string;
  quantity: number;
  unit: string;
  custodian: string;
}
type ItemKey = { seizureId: string; itemId: string };

interface Statements {
  insertSeizure: Statement<[SeizureRow]>;
  insertItem: Statement<[ItemRow]>;
  moveItem: Statement<[ItemKey & { custodian: string }]>;
  endItem: Statement<[ItemKey]>;
  insertTransfer: Statement<
    [{ seizureId: string; transferId: string; itemIds: string; from: string; to: string; initiatedAt: string; dueAt: string }]
  >;
  closeTransfer: Statement<[{ seizureId: string; transferId: string }]>;
  registerFir: Statement<[string]>;
  refer: Statement<[string]>;
  moveTo: Statement<[number]>;
}

function prepare(db: Database): Statements {
  return {
    insertSeizure: db.prepare(
      `INSERT INTO deadline_watch_seizures
         (seizure_id, memo_number, state, district, constituency, election_id, poll_date, seized_at, release_due_at, cash_paise, referral_due_at)
       VALUES (@seizureId, @memoNumber, @state, @district, @constituency, @electionId, @pollDate, @seizedAt, @releaseDueAt, @cashPaise, @referralDueAt) ON CONFLICT DO NOTHING`,
    ),
    insertItem: db.prepare(
      `INSERT INTO deadline_watch_items (seizure_id, item_id, category, description, quantity, unit, custodian)
       VALUES (@seizureId, @itemId, @category, @description, @quantity, @unit, @custodian) ON CONFLICT DO NOTHING`,
    ),
    moveItem: db.prepare('UPDATE deadline_watch_items SET custodian = @custodian WHERE seizure_id = @seizureId AND item_id = @itemId'),
    endItem: db.prepare('UPDATE deadline_watch_items SET held = 0 WHERE seizure_id = @seizureId AND item_id = @itemId'),
    insertTransfer: db.prepare(
      `INSERT INTO deadline_watch_transfers (seizure_id, transfer_id, item_ids, from_custodian, to_custodian, initiated_at, due_at)
       VALUES (@seizureId, @transferId, @itemIds, @from, @to, @initiatedAt, @dueAt) ON CONFLICT DO NOTHING`,
    ),
    closeTransfer: db.prepare('UPDATE deadline_watch_transfers SET open = 0 WHERE seizure_id = @seizureId AND transfer_id = @transferId'),
    registerFir: db.prepare('UPDATE deadline_watch_seizures SET fir_registered = 1 WHERE seizure_id = ?'),
    refer: db.prepare('UPDATE deadline_watch_seizures SET referred = 1 WHERE seizure_id = ?'),
    moveTo: db.prepare('UPDATE deadline_watch_position SET position = ? WHERE id = 1'),
  };
}

export const deadlineWatchProjection: Projection = positionTableProjection({
  name: 'deadline-watch',
  // 2: poll_date and release_due_at may be null (legacy seizures without an election).
  version: 2,
  schema: SCHEMA,
  tables: TABLES,
  prepare,
  applyRows,
});

/** What one event changes, but the position row. */
function applyRows(sql: Statements, event: ProjectedEvent): void {
  const { seizureId } = event;
  switch (event.type) {
    case 'SeizureRecorded': {
      const d = event.data;
      sql.insertSeizure.run({
        seizureId,
        memoNumber: d.memoNumber,
        state: d.location.state,
        district: d.location.district,
        constituency: d.location.assemblyConstituency,
        electionId: d.election.id,
        pollDate: d.election.pollDate,
        seizedAt: d.seizedAt,
        // No poll date recorded, no deadline counted from it: the seizure is watched for the others.
        releaseDueAt: d.election.pollDate === null ? null : endOfIndianDay(d.election.pollDate, DAYS_AFTER_POLL),
        // As decide counts it: the amounts of the cash items as recorded at seizure.
        cashPaise: d.items.filter((i) => i.category === 'cash').reduce((sum, i) => sum + i.quantity, 0),
        referralDueAt: hoursAfter(d.seizedAt, REFERRAL_HOURS),
      });
      const custodian = JSON.stringify(d.custodian);
      for (const item of d.items) {
        sql.insertItem.run({
          seizureId,
          itemId: item.itemId,
          category: item.category,
          description: item.description,
          quantity: item.quantity,
          unit: item.unit,
          custodian,
        });
      }
      break;
    }
    case 'CustodyTransferInitiated': {
      const d = event.data;
      const initiatedAt = event.metadata.occurredAt;
      sql.insertTransfer.run({
        seizureId,
        transferId: d.transferId,
        itemIds: JSON.stringify(d.itemIds),
        from: JSON.stringify(d.from),
        to: JSON.stringify(d.to),
        initiatedAt,
        dueAt: hoursAfter(initiatedAt, ACCEPTANCE_HOURS),
      });
      break;
    }
    case 'CustodyTransferAccepted': {
      const d = event.data;
      sql.closeTransfer.run({ seizureId, transferId: d.transferId });
      const custodian = JSON.stringify(d.to);
      for (const itemId of d.itemIds) sql.moveItem.run({ seizureId, itemId, custodian });
      break;
    }
    case 'CustodyTransferRejected':
      sql.closeTransfer.run({ seizureId, transferId: event.data.transferId });
      break;
    case 'FirRegistered':
      sql.registerFir.run(seizureId);
      break;
    case 'ReferredToIncomeTax':
      sql.refer.run(seizureId);
      break;
    case 'ItemsReleased':
    case 'ItemsDisposed':
      for (const itemId of event.data.itemIds) sql.endItem.run({ seizureId, itemId });
      break;
    default:
      break;
  }
}
