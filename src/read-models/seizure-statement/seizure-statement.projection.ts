import type { Database, Statement } from 'better-sqlite3';
import type { ProjectedEvent, Projection } from '../../projections/projection';
import { indianDayOf } from '../../shared/indian-day';
import { positionTableProjection } from '../../projections/position-table-projection';

/**
 * What was seized, item by item, at its current value, filed under the place and the Indian date
 * of the seizure: the ground the Election Commission's daily statement is summed from. It counts
 * what was seized, not what is still held: releases, deposits and disposals change nothing here.
 * A revaluation replaces the item's value on the day it was seized, so the statement of a past
 * day shows today's best value of what was seized then.
 */

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS seizure_statement_seizures (
    seizure_id   TEXT PRIMARY KEY,
    state        TEXT NOT NULL,
    district     TEXT NOT NULL,
    constituency INTEGER NOT NULL,
    election_id  TEXT NOT NULL,
    seized_on    TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS seizure_statement_seizures_by_day ON seizure_statement_seizures (seized_on);

  -- The place and day are copied onto each item so that a statement is one pass over one table.
  CREATE TABLE IF NOT EXISTS seizure_statement_items (
    seizure_id   TEXT NOT NULL,
    item_id      TEXT NOT NULL,
    state        TEXT NOT NULL,
    district     TEXT NOT NULL,
    constituency INTEGER NOT NULL,
    election_id  TEXT NOT NULL,
    seized_on    TEXT NOT NULL,
    category     TEXT NOT NULL,
    unit         TEXT NOT NULL,
    quantity     INTEGER NOT NULL,
    value_paise  INTEGER NOT NULL,
    PRIMARY KEY (seizure_id, item_id)
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS seizure_statement_items_by_day ON seizure_statement_items (seized_on);

  -- The last global position applied: a statement names the ledger position it was computed at.
  CREATE TABLE IF NOT EXISTS seizure_statement_position (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    position INTEGER NOT NULL
  );
  INSERT INTO seizure_statement_position (id, position) VALUES (1, 0) ON CONFLICT DO NOTHING;
`;

const TABLES = ['seizure_statement_seizures', 'seizure_statement_items', 'seizure_statement_position'];

interface SeizureRow {
  seizureId: string;
  state: string;
  district: string;
  constituency: number;
  electionId: string;
  seizedOn: string;
}
interface ItemRow extends SeizureRow {
  itemId: string;
  category: string;
  unit: string;
  quantity: number;
  valuePaise: number;
}

interface Statements {
  insertSeizure: Statement<[SeizureRow]>;
  insertItem: Statement<[ItemRow]>;
  revalue: Statement<[{ seizureId: string; itemId: string; valuePaise: number }]>;
  moveTo: Statement<[number]>;
}

function prepare(db: Database): Statements {
  return {
    // A repeated record cannot double the figures. Only a clash of keys is passed over: a
    // missing value still fails loudly rather than dropping the row.
    insertSeizure: db.prepare(
      `INSERT INTO seizure_statement_seizures (seizure_id, state, district, constituency, election_id, seized_on)
       VALUES (@seizureId, @state, @district, @constituency, @electionId, @seizedOn) ON CONFLICT DO NOTHING`,
    ),
    insertItem: db.prepare(
      `INSERT INTO seizure_statement_items
         (seizure_id, item_id, state, district, constituency, election_id, seized_on, category, unit, quantity, value_paise)
       VALUES (@seizureId, @itemId, @state, @district, @constituency, @electionId, @seizedOn, @category, @unit, @quantity, @valuePaise) ON CONFLICT DO NOTHING`,
    ),
    revalue: db.prepare('UPDATE seizure_statement_items SET value_paise = @valuePaise WHERE seizure_id = @seizureId AND item_id = @itemId'),
    moveTo: db.prepare('UPDATE seizure_statement_position SET position = ? WHERE id = 1'),
  };
}

export const seizureStatementProjection: Projection = positionTableProjection({
  name: 'seizure-statement',
  version: 1,
  schema: SCHEMA,
  tables: TABLES,
  prepare,
  applyRows,
});

/** What one event changes, but the position row. */
function applyRows(sql: Statements, event: ProjectedEvent): void {
  switch (event.type) {
    case 'SeizureRecorded': {
      const { location, election, seizedAt, items } = event.data;
      const seizure: SeizureRow = {
        seizureId: event.seizureId,
        state: location.state,
        district: location.district,
        constituency: location.assemblyConstituency,
        electionId: election.id,
        // ECI reports seizures by Indian date: one seized at 00:15 IST counts on that day, not the UTC one before.
        seizedOn: indianDayOf(seizedAt),
      };
      sql.insertSeizure.run(seizure);
      for (const item of items) {
        sql.insertItem.run({
          ...seizure,
          itemId: item.itemId,
          category: item.category,
          unit: item.unit,
          quantity: item.quantity,
          valuePaise: item.estimatedValuePaise,
        });
      }
      break;
    }
    case 'ItemsValued':
      for (const v of event.data.valuations) sql.revalue.run({ seizureId: event.seizureId, itemId: v.itemId, valuePaise: v.valuePaise });
      break;
    default:
      // Custody moves, deposits, releases and disposals do not change what was seized.
      break;
  }
}
