import type { Database, Statement } from 'better-sqlite3';
import { custodianAddress } from '../../custody/rules';
import { positionTableProjection } from '../../projections/position-table-projection';
import type { ProjectedEvent, Projection } from '../../projections/projection';
import { personalColumn } from '../sealed-cells';

/**
 * Transfer inbox: every custody transfer, filed under the address of its recipient (see
 * custodianAddress), with what the recipient needs to decide on it and, once answered, how and
 * by whom. A transfer is `pending` until its CustodyTransferAccepted or CustodyTransferRejected.
 *
 * Times are the events' own (`metadata.occurredAt`), never the clock, so a rebuild from the log
 * gives the very same rows.
 */

export const INBOX_STATUSES = ['pending', 'accepted', 'rejected'] as const;
export type InboxStatus = (typeof INBOX_STATUSES)[number];

export const TRANSFER_INBOX_TABLES = ['transfer_inbox_seizures', 'transfer_inbox_transfers', 'transfer_inbox_position'] as const;

const SCHEMA = `
  -- What a transfer row copies from its seizure: the memo number people know it by, and the place
  -- that decides whose jurisdiction it is in.
  CREATE TABLE IF NOT EXISTS transfer_inbox_seizures (
    seizure_id  TEXT PRIMARY KEY,
    memo_number TEXT NOT NULL,
    state       TEXT NOT NULL,
    district    TEXT NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE IF NOT EXISTS transfer_inbox_transfers (
    seizure_id         TEXT NOT NULL,
    transfer_id        TEXT NOT NULL,
    memo_number        TEXT NOT NULL,
    state              TEXT NOT NULL,
    district           TEXT NOT NULL,
    item_ids           TEXT NOT NULL,
    from_kind          TEXT NOT NULL,
    from_id            TEXT NOT NULL,
    from_name          TEXT NOT NULL,
    to_kind            TEXT NOT NULL,
    to_id              TEXT NOT NULL,
    to_name            TEXT NOT NULL,
    recipient          TEXT NOT NULL,
    seal_numbers       TEXT NOT NULL,
    reason             TEXT NOT NULL,
    initiated_at       TEXT NOT NULL,
    initiated_position INTEGER NOT NULL,
    initiated_by_sub   TEXT NOT NULL,
    initiated_by_name  TEXT NOT NULL,
    status             TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'rejected')),
    closed_at          TEXT,
    closed_position    INTEGER,
    closed_by_sub      TEXT,
    closed_by_name     TEXT,
    PRIMARY KEY (seizure_id, transfer_id)
  ) WITHOUT ROWID;
  -- One recipient's transfers of one status, newest first: pending by initiation, closed by closing.
  CREATE INDEX IF NOT EXISTS transfer_inbox_by_initiation ON transfer_inbox_transfers (recipient, status, initiated_at, initiated_position);
  CREATE INDEX IF NOT EXISTS transfer_inbox_by_closing ON transfer_inbox_transfers (recipient, status, closed_at, closed_position) WHERE status <> 'pending';

  -- The last global position applied: an event at or below it was applied already and is ignored.
  CREATE TABLE IF NOT EXISTS transfer_inbox_position (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    position INTEGER NOT NULL
  );
  INSERT INTO transfer_inbox_position (id, position) VALUES (1, 0) ON CONFLICT DO NOTHING;
`;

interface TransferRow {
  seizureId: string;
  transferId: string;
  itemIds: string;
  fromKind: string;
  fromId: string;
  fromName: string;
  toKind: string;
  toId: string;
  toName: string;
  recipient: string;
  sealNumbers: string;
  reason: string;
  initiatedAt: string;
  initiatedPosition: number;
  initiatedBySub: string;
  initiatedByName: string;
}

interface CloseRow {
  seizureId: string;
  transferId: string;
  status: Exclude<InboxStatus, 'pending'>;
  closedAt: string;
  closedPosition: number;
  closedBySub: string;
  closedByName: string;
}

interface Statements {
  position: Statement<[], { position: number }>;
  insertSeizure: Statement<[{ seizureId: string; memoNumber: string; state: string; district: string }]>;
  insertTransfer: Statement<[TransferRow]>;
  closeTransfer: Statement<[CloseRow]>;
  moveTo: Statement<[number]>;
}

function prepare(db: Database): Statements {
  return {
    position: db.prepare('SELECT position FROM transfer_inbox_position WHERE id = 1'),
    insertSeizure: db.prepare(
      `INSERT INTO transfer_inbox_seizures (seizure_id, memo_number, state, district)
       VALUES (@seizureId, @memoNumber, @state, @district) ON CONFLICT DO NOTHING`,
    ),
    // Copies the seizure's memo and place; a transfer in a stream with no SeizureRecorded inserts
    // nothing, as evolve ignores it too. A repeated transfer id keeps the first (decide refuses it).
    insertTransfer: db.prepare(
      `INSERT INTO transfer_inbox_transfers
         (seizure_id, transfer_id, memo_number, state, district, item_ids, from_kind, from_id, from_name, to_kind, to_id, to_name,
          recipient, seal_numbers, reason, initiated_at, initiated_position, initiated_by_sub, initiated_by_name)
       SELECT s.seizure_id, @transferId, s.memo_number, s.state, s.district, @itemIds, @fromKind, @fromId, @fromName, @toKind, @toId, @toName,
          @recipient, @sealNumbers, @reason, @initiatedAt, @initiatedPosition, @initiatedBySub, @initiatedByName
         FROM transfer_inbox_seizures s WHERE s.seizure_id = @seizureId
       ON CONFLICT DO NOTHING`,
    ),
    // Only a pending transfer closes, and only once: the first answer stands, as in evolve.
    closeTransfer: db.prepare(
      `UPDATE transfer_inbox_transfers
          SET status = @status, closed_at = @closedAt, closed_position = @closedPosition, closed_by_sub = @closedBySub, closed_by_name = @closedByName
        WHERE seizure_id = @seizureId AND transfer_id = @transferId AND status = 'pending'`,
    ),
    moveTo: db.prepare('UPDATE transfer_inbox_position SET position = ? WHERE id = 1'),
  };
}

export const transferInboxProjection: Projection = positionTableProjection({
  name: 'transfer-inbox',
  // 2: the reason is stored as JSON, sealed as a sealed cell (sealed-cells.ts).
  version: 2,
  schema: SCHEMA,
  tables: TRANSFER_INBOX_TABLES,
  prepare,
  applyRows,
});

/** What one event changes, but the position row. */
function applyRows(sql: Statements, event: ProjectedEvent): void {
  const { seizureId } = event;
  const { actor, occurredAt } = event.metadata;
  switch (event.type) {
    case 'SeizureRecorded': {
      const { location } = event.data;
      sql.insertSeizure.run({ seizureId, memoNumber: event.data.memoNumber, state: location.state, district: location.district });
      break;
    }
    case 'CustodyTransferInitiated': {
      const d = event.data;
      sql.insertTransfer.run({
        seizureId,
        transferId: d.transferId,
        itemIds: JSON.stringify(d.itemIds),
        fromKind: d.from.kind,
        fromId: d.from.id,
        fromName: d.from.name,
        toKind: d.to.kind,
        toId: d.to.id,
        toName: d.to.name,
        // Stored: a change to how custodians are addressed needs a version bump (a rebuild).
        recipient: custodianAddress(d.to),
        sealNumbers: JSON.stringify(d.sealNumbers),
        reason: personalColumn(event, 'reason'),
        initiatedAt: occurredAt,
        initiatedPosition: event.globalPosition,
        initiatedBySub: actor.sub,
        initiatedByName: actor.name,
      });
      break;
    }
    case 'CustodyTransferAccepted':
    case 'CustodyTransferRejected':
      sql.closeTransfer.run({
        seizureId,
        transferId: event.data.transferId,
        status: event.type === 'CustodyTransferAccepted' ? 'accepted' : 'rejected',
        closedAt: occurredAt,
        closedPosition: event.globalPosition,
        closedBySub: actor.sub,
        closedByName: actor.name,
      });
      break;
    default:
      break;
  }
}
