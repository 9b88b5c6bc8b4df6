import type { Database, Statement } from 'better-sqlite3';
import type { ProjectedEvent, Projection } from '../../projections/projection';
import { positionTableProjection } from '../../projections/position-table-projection';
import { personalColumn } from '../sealed-cells';

/**
 * Every rupee handed to a treasury, matched step by step: handed over (a transfer initiated to
 * the treasury), accepted (what the treasury counted on acceptance), deposited under a challan,
 * confirmed by the treasury; and the discrepancies found in those transfers and challans.
 * Only cash is reconciled: a transfer to a treasury carrying no cash is not listed here.
 */

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS treasury_reconciliation_seizures (
    seizure_id TEXT PRIMARY KEY,
    state      TEXT NOT NULL,
    district   TEXT NOT NULL
  ) WITHOUT ROWID;

  -- Cash items by amount: what a transfer hands over is the sum of the cash items it names.
  CREATE TABLE IF NOT EXISTS treasury_reconciliation_cash_items (
    seizure_id   TEXT NOT NULL,
    item_id      TEXT NOT NULL,
    amount_paise INTEGER NOT NULL,
    PRIMARY KEY (seizure_id, item_id)
  ) WITHOUT ROWID;

  -- The latest name each treasury was given in an event.
  CREATE TABLE IF NOT EXISTS treasury_reconciliation_treasuries (
    treasury_id TEXT PRIMARY KEY,
    name        TEXT NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE IF NOT EXISTS treasury_reconciliation_transfers (
    seizure_id        TEXT NOT NULL,
    transfer_id       TEXT NOT NULL,
    treasury_id       TEXT NOT NULL,
    handed_over_paise INTEGER NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('open', 'accepted', 'rejected')),
    accepted_paise    INTEGER,
    initiated_at      TEXT NOT NULL,
    decided_at        TEXT,
    PRIMARY KEY (seizure_id, transfer_id)
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS treasury_reconciliation_transfers_by_treasury ON treasury_reconciliation_transfers (treasury_id);

  CREATE TABLE IF NOT EXISTS treasury_reconciliation_deposits (
    seizure_id      TEXT NOT NULL,
    challan_number  TEXT NOT NULL,
    treasury_id     TEXT NOT NULL,
    amount_paise    INTEGER NOT NULL,
    deposited_on    TEXT NOT NULL,
    deposited_at    TEXT NOT NULL,
    confirmed_paise INTEGER,
    confirmed_at    TEXT,
    PRIMARY KEY (seizure_id, challan_number)
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS treasury_reconciliation_deposits_by_treasury ON treasury_reconciliation_deposits (treasury_id);

  CREATE TABLE IF NOT EXISTS treasury_reconciliation_mismatches (
    global_position INTEGER PRIMARY KEY,
    seizure_id      TEXT NOT NULL,
    treasury_id     TEXT NOT NULL,
    kind            TEXT NOT NULL,
    reference       TEXT NOT NULL,
    item_ids        TEXT NOT NULL,
    expected        TEXT NOT NULL,
    found           TEXT NOT NULL,
    remarks         TEXT NOT NULL,
    recorded_at     TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS treasury_reconciliation_mismatches_by_treasury ON treasury_reconciliation_mismatches (treasury_id);

  -- The last global position applied: answers name the ledger position they were computed at.
  CREATE TABLE IF NOT EXISTS treasury_reconciliation_position (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    position INTEGER NOT NULL
  );
  INSERT INTO treasury_reconciliation_position (id, position) VALUES (1, 0) ON CONFLICT DO NOTHING;
`;

const TABLES = [
  'treasury_reconciliation_seizures',
  'treasury_reconciliation_cash_items',
  'treasury_reconciliation_treasuries',
  'treasury_reconciliation_transfers',
  'treasury_reconciliation_deposits',
  'treasury_reconciliation_mismatches',
  'treasury_reconciliation_position',
];

interface Statements {
  insertSeizure: Statement<[{ seizureId: string; state: string; district: string }]>;
  insertCashItem: Statement<[{ seizureId: string; itemId: string; amountPaise: number }]>;
  cashItems: Statement<[string], { itemId: string; amountPaise: number }>;
  nameTreasury: Statement<[{ treasuryId: string; name: string }]>;
  insertTransfer: Statement<[{ seizureId: string; transferId: string; treasuryId: string; handedOverPaise: number; initiatedAt: string }]>;
  decideTransfer: Statement<
    [{ seizureId: string; transferId: string; status: 'accepted' | 'rejected'; acceptedPaise: number | null; decidedAt: string }]
  >;
  transferTreasury: Statement<[{ seizureId: string; reference: string }], string>;
  insertDeposit: Statement<
    [{ seizureId: string; challanNumber: string; treasuryId: string; amountPaise: number; depositedOn: string; depositedAt: string }]
  >;
  confirmDeposit: Statement<[{ seizureId: string; challanNumber: string; confirmedPaise: number; confirmedAt: string }]>;
  depositTreasury: Statement<[{ seizureId: string; reference: string }], string>;
  insertMismatch: Statement<
    [
      {
        globalPosition: number;
        seizureId: string;
        treasuryId: string;
        kind: string;
        reference: string;
        itemIds: string;
        expected: string;
        found: string;
        remarks: string;
        recordedAt: string;
      },
    ]
  >;
  moveTo: Statement<[number]>;
}

function prepare(db: Database): Statements {
  return {
    insertSeizure: db.prepare(
      'INSERT INTO treasury_reconciliation_seizures (seizure_id, state, district) VALUES (@seizureId, @state, @district) ON CONFLICT DO NOTHING',
    ),
    insertCashItem: db.prepare(
      'INSERT INTO treasury_reconciliation_cash_items (seizure_id, item_id, amount_paise) VALUES (@seizureId, @itemId, @amountPaise) ON CONFLICT DO NOTHING',
    ),
    cashItems: db.prepare(
      'SELECT item_id AS itemId, amount_paise AS amountPaise FROM treasury_reconciliation_cash_items WHERE seizure_id = ?',
    ),
    nameTreasury: db.prepare(
      `INSERT INTO treasury_reconciliation_treasuries (treasury_id, name) VALUES (@treasuryId, @name)
       ON CONFLICT (treasury_id) DO UPDATE SET name = excluded.name`,
    ),
    insertTransfer: db.prepare(
      `INSERT INTO treasury_reconciliation_transfers (seizure_id, transfer_id, treasury_id, handed_over_paise, status, initiated_at)
       VALUES (@seizureId, @transferId, @treasuryId, @handedOverPaise, 'open', @initiatedAt) ON CONFLICT DO NOTHING`,
    ),
    // Only an open transfer is decided: the first decision stands, as it does in the aggregate.
    decideTransfer: db.prepare(
      `UPDATE treasury_reconciliation_transfers SET status = @status, accepted_paise = @acceptedPaise, decided_at = @decidedAt
        WHERE seizure_id = @seizureId AND transfer_id = @transferId AND status = 'open'`,
    ),
    transferTreasury: db
      .prepare<[{ seizureId: string; reference: string }], string>(
        'SELECT treasury_id FROM treasury_reconciliation_transfers WHERE seizure_id = @seizureId AND transfer_id = @reference',
      )
      .pluck(),
    insertDeposit: db.prepare(
      `INSERT INTO treasury_reconciliation_deposits (seizure_id, challan_number, treasury_id, amount_paise, deposited_on, deposited_at)
       VALUES (@seizureId, @challanNumber, @treasuryId, @amountPaise, @depositedOn, @depositedAt) ON CONFLICT DO NOTHING`,
    ),
    confirmDeposit: db.prepare(
      `UPDATE treasury_reconciliation_deposits SET confirmed_paise = @confirmedPaise, confirmed_at = @confirmedAt
        WHERE seizure_id = @seizureId AND challan_number = @challanNumber AND confirmed_at IS NULL`,
    ),
    depositTreasury: db
      .prepare<[{ seizureId: string; reference: string }], string>(
        'SELECT treasury_id FROM treasury_reconciliation_deposits WHERE seizure_id = @seizureId AND challan_number = @reference',
      )
      .pluck(),
    insertMismatch: db.prepare(
      `INSERT INTO treasury_reconciliation_mismatches
         (global_position, seizure_id, treasury_id, kind, reference, item_ids, expected, found, remarks, recorded_at)
       VALUES (@globalPosition, @seizureId, @treasuryId, @kind, @reference, @itemIds, @expected, @found, @remarks, @recordedAt) ON CONFLICT DO NOTHING`,
    ),
    moveTo: db.prepare('UPDATE treasury_reconciliation_position SET position = ? WHERE id = 1'),
  };
}

export const treasuryReconciliationProjection: Projection = positionTableProjection({
  name: 'treasury-reconciliation',
  // 2: remarks are stored as JSON, sealed ones as sealed cells (sealed-cells.ts).
  version: 2,
  schema: SCHEMA,
  tables: TABLES,
  prepare,
  applyRows,
});

/** The cash among the items, by amount: a transfer's items may mix cash with other goods. */
function cashOf(sql: Statements, seizureId: string, itemIds: readonly string[]): Map<string, number> {
  const named = new Set(itemIds);
  return new Map(
    sql.cashItems
      .all(seizureId)
      .filter((c) => named.has(c.itemId))
      .map((c) => [c.itemId, c.amountPaise]),
  );
}

/** What one event changes, but the position row. */
function applyRows(sql: Statements, event: ProjectedEvent): void {
  const { seizureId } = event;
  const at = event.metadata.occurredAt;
  switch (event.type) {
    case 'SeizureRecorded': {
      const { location, items } = event.data;
      sql.insertSeizure.run({ seizureId, state: location.state, district: location.district });
      for (const item of items) {
        // The amount of cash is its quantity in paise (decide keeps its value equal to it).
        if (item.category === 'cash') sql.insertCashItem.run({ seizureId, itemId: item.itemId, amountPaise: item.quantity });
      }
      break;
    }
    case 'CustodyTransferInitiated': {
      const { transferId, itemIds, to } = event.data;
      if (to.kind !== 'treasury') break;
      const cash = cashOf(sql, seizureId, itemIds);
      if (cash.size === 0) break;
      const handedOverPaise = [...cash.values()].reduce((sum, paise) => sum + paise, 0);
      sql.nameTreasury.run({ treasuryId: to.id, name: to.name });
      sql.insertTransfer.run({ seizureId, transferId, treasuryId: to.id, handedOverPaise, initiatedAt: at });
      break;
    }
    case 'CustodyTransferAccepted': {
      const { transferId, itemIds, countedQuantities } = event.data;
      const cash = cashOf(sql, seizureId, itemIds);
      // What the treasury counted, not what was handed over: a difference shows as a mismatch.
      const acceptedPaise = countedQuantities.filter((c) => cash.has(c.itemId)).reduce((sum, c) => sum + c.quantity, 0);
      sql.decideTransfer.run({ seizureId, transferId, status: 'accepted', acceptedPaise, decidedAt: at });
      break;
    }
    case 'CustodyTransferRejected':
      sql.decideTransfer.run({ seizureId, transferId: event.data.transferId, status: 'rejected', acceptedPaise: null, decidedAt: at });
      break;
    case 'CashDeposited': {
      const { challanNumber, treasury, amountPaise, depositedOn } = event.data;
      sql.nameTreasury.run({ treasuryId: treasury.id, name: treasury.name });
      sql.insertDeposit.run({ seizureId, challanNumber, treasuryId: treasury.id, amountPaise, depositedOn, depositedAt: at });
      break;
    }
    case 'DepositConfirmed':
      sql.confirmDeposit.run({
        seizureId,
        challanNumber: event.data.challanNumber,
        confirmedPaise: event.data.confirmedAmountPaise,
        confirmedAt: at,
      });
      break;
    case 'DiscrepancyRecorded': {
      const d = event.data;
      // A count differs in a handover; an amount differs in a challan. Seal findings are the
      // custody history's concern, not the treasury's accounts.
      const where = { seizureId, reference: d.reference };
      const treasuryId =
        d.kind === 'count_differs'
          ? sql.transferTreasury.get(where)
          : d.kind === 'deposit_amount_differs'
            ? sql.depositTreasury.get(where)
            : undefined;
      if (treasuryId === undefined) break;
      sql.insertMismatch.run({
        globalPosition: event.globalPosition,
        seizureId,
        treasuryId,
        kind: d.kind,
        reference: d.reference,
        itemIds: JSON.stringify(d.itemIds),
        expected: d.expected,
        found: d.found,
        remarks: personalColumn(event, 'remarks'),
        recordedAt: at,
      });
      break;
    }
    default:
      break;
  }
}
