import type { Database } from 'better-sqlite3';

/** Tables of the custody history, all prefixed so a shared read-model file stays legible. */
export const CUSTODY_HISTORY_TABLES = [
  'custody_history_seizures',
  'custody_history_items',
  'custody_history_intervals',
  'custody_history_transfers',
  'custody_history_discrepancies',
  'custody_history_timeline',
] as const;

/** Every table and index, created if missing. */
export const CUSTODY_HISTORY_SCHEMA = `
CREATE TABLE IF NOT EXISTS custody_history_seizures (
  seizure_id TEXT PRIMARY KEY,
  memo_number TEXT NOT NULL,
  state TEXT NOT NULL,
  district TEXT NOT NULL,
  seized_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS custody_history_items (
  seizure_id TEXT NOT NULL,
  item_id TEXT NOT NULL,
  ordinal INTEGER NOT NULL,
  category TEXT NOT NULL,
  description TEXT NOT NULL,
  quantity INTEGER NOT NULL,
  unit TEXT NOT NULL,
  disposition TEXT NOT NULL,
  PRIMARY KEY (seizure_id, item_id)
);
CREATE TABLE IF NOT EXISTS custody_history_intervals (
  seizure_id TEXT NOT NULL,
  item_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  custodian TEXT NOT NULL,
  from_at TEXT NOT NULL,
  to_at TEXT,
  transfer_id TEXT,
  handed_over_by TEXT,
  handed_over_seals TEXT NOT NULL,
  seals_found TEXT,
  counted_quantity INTEGER,
  remarks TEXT,
  proofs TEXT NOT NULL,
  ended_by TEXT,
  end_order_number TEXT,
  end_proof TEXT,
  PRIMARY KEY (seizure_id, item_id, seq)
);
CREATE TABLE IF NOT EXISTS custody_history_transfers (
  seizure_id TEXT NOT NULL,
  transfer_id TEXT NOT NULL,
  item_ids TEXT NOT NULL,
  from_custodian TEXT NOT NULL,
  to_custodian TEXT NOT NULL,
  seal_numbers TEXT NOT NULL,
  reason TEXT NOT NULL,
  initiated_at TEXT NOT NULL,
  initiated_by TEXT NOT NULL,
  initiation_proof TEXT NOT NULL,
  status TEXT NOT NULL,
  closed_at TEXT,
  rejection_reason TEXT,
  close_proof TEXT,
  PRIMARY KEY (seizure_id, transfer_id)
);
CREATE TABLE IF NOT EXISTS custody_history_discrepancies (
  seizure_id TEXT NOT NULL,
  global_position INTEGER NOT NULL,
  item_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  reference TEXT NOT NULL,
  transfer_id TEXT,
  interval_seq INTEGER,
  expected TEXT NOT NULL,
  found TEXT NOT NULL,
  remarks TEXT NOT NULL,
  occurred_at TEXT NOT NULL,
  proof TEXT NOT NULL,
  PRIMARY KEY (global_position, item_id)
);
CREATE INDEX IF NOT EXISTS custody_history_discrepancies_by_item ON custody_history_discrepancies (seizure_id, item_id);
CREATE TABLE IF NOT EXISTS custody_history_timeline (
  seizure_id TEXT NOT NULL,
  revision INTEGER NOT NULL,
  global_position INTEGER NOT NULL,
  event_id TEXT NOT NULL,
  type TEXT NOT NULL,
  occurred_at TEXT NOT NULL,
  actor TEXT NOT NULL,
  summary TEXT NOT NULL,
  hash TEXT NOT NULL,
  corrected_by TEXT NOT NULL DEFAULT '[]',
  -- JSON OlderRulesMark of an event stored under older rules; null for events under today's.
  recorded_under_older_rules TEXT,
  -- JSON of the event's fields on the personal-data list, shown only to readers who may see them;
  -- null for an event without any.
  personal_data TEXT,
  PRIMARY KEY (seizure_id, revision)
);
CREATE UNIQUE INDEX IF NOT EXISTS custody_history_timeline_by_event ON custody_history_timeline (seizure_id, event_id);
`;

/** Seizures, items and their custody intervals. */
const prepareItemStatements = (db: Database) => ({
  insertSeizure: db.prepare<[string, string, string, string, string]>(
    'INSERT OR IGNORE INTO custody_history_seizures (seizure_id, memo_number, state, district, seized_at) VALUES (?, ?, ?, ?, ?)',
  ),
  insertItem: db.prepare<[string, string, number, string, string, number, string]>(
    `INSERT INTO custody_history_items (seizure_id, item_id, ordinal, category, description, quantity, unit, disposition)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'held') ON CONFLICT (seizure_id, item_id) DO NOTHING`,
  ),
  setDisposition: db.prepare<[string, string, string]>(
    'UPDATE custody_history_items SET disposition = ? WHERE seizure_id = ? AND item_id = ?',
  ),
  insertInterval: db.prepare<{
    seizureId: string;
    itemId: string;
    seq: number;
    custodian: string;
    fromAt: string;
    transferId: string | null;
    handedOverBy: string | null;
    handedOverSeals: string;
    sealsFound: string | null;
    countedQuantity: number | null;
    remarks: string | null;
    proofs: string;
  }>(
    `INSERT INTO custody_history_intervals
       (seizure_id, item_id, seq, custodian, from_at, transfer_id, handed_over_by, handed_over_seals, seals_found, counted_quantity, remarks, proofs)
     VALUES (@seizureId, @itemId, @seq, @custodian, @fromAt, @transferId, @handedOverBy, @handedOverSeals, @sealsFound, @countedQuantity, @remarks, @proofs)`,
  ),
  lastInterval: db.prepare<[string, string], { seq: number; open: number }>(
    'SELECT seq, to_at IS NULL AS open FROM custody_history_intervals WHERE seizure_id = ? AND item_id = ? ORDER BY seq DESC LIMIT 1',
  ),
  intervalOfTransfer: db.prepare<[string, string, string], { seq: number }>(
    'SELECT seq FROM custody_history_intervals WHERE seizure_id = ? AND item_id = ? AND transfer_id = ? ORDER BY seq DESC LIMIT 1',
  ),
  closeInterval: db.prepare<[string, string, string | null, string | null, string, string, number]>(
    `UPDATE custody_history_intervals SET to_at = ?, ended_by = ?, end_order_number = ?, end_proof = ?
     WHERE seizure_id = ? AND item_id = ? AND seq = ?`,
  ),
});

/** Transfers, discrepancies and the timeline. */
const prepareRecordStatements = (db: Database) => ({
  insertTransfer: db.prepare<{
    seizureId: string;
    transferId: string;
    itemIds: string;
    from: string;
    to: string;
    sealNumbers: string;
    reason: string;
    initiatedAt: string;
    initiatedBy: string;
    proof: string;
  }>(
    `INSERT OR IGNORE INTO custody_history_transfers
       (seizure_id, transfer_id, item_ids, from_custodian, to_custodian, seal_numbers, reason, initiated_at, initiated_by, initiation_proof, status)
     VALUES (@seizureId, @transferId, @itemIds, @from, @to, @sealNumbers, @reason, @initiatedAt, @initiatedBy, @proof, 'open')`,
  ),
  transfer: db.prepare<[string, string], { seal_numbers: string; initiation_proof: string }>(
    'SELECT seal_numbers, initiation_proof FROM custody_history_transfers WHERE seizure_id = ? AND transfer_id = ?',
  ),
  closeTransfer: db.prepare<[string, string, string | null, string, string, string]>(
    `UPDATE custody_history_transfers SET status = ?, closed_at = ?, rejection_reason = ?, close_proof = ?
     WHERE seizure_id = ? AND transfer_id = ? AND status = 'open'`,
  ),
  insertDiscrepancy: db.prepare<{
    seizureId: string;
    globalPosition: number;
    itemId: string;
    kind: string;
    reference: string;
    transferId: string | null;
    intervalSeq: number | null;
    expected: string;
    found: string;
    remarks: string;
    occurredAt: string;
    proof: string;
  }>(
    `INSERT INTO custody_history_discrepancies
       (seizure_id, global_position, item_id, kind, reference, transfer_id, interval_seq, expected, found, remarks, occurred_at, proof)
     VALUES (@seizureId, @globalPosition, @itemId, @kind, @reference, @transferId, @intervalSeq, @expected, @found, @remarks, @occurredAt, @proof)`,
  ),
  insertTimeline: db.prepare<{
    seizureId: string;
    revision: number;
    globalPosition: number;
    eventId: string;
    type: string;
    occurredAt: string;
    actor: string;
    summary: string;
    hash: string;
    olderRules: string | null;
    personalData: string | null;
  }>(
    `INSERT INTO custody_history_timeline
       (seizure_id, revision, global_position, event_id, type, occurred_at, actor, summary, hash, recorded_under_older_rules, personal_data)
     VALUES (@seizureId, @revision, @globalPosition, @eventId, @type, @occurredAt, @actor, @summary, @hash, @olderRules, @personalData)`,
  ),
  markCorrected: db.prepare<[string, string, string]>(
    `UPDATE custody_history_timeline SET corrected_by = json_insert(corrected_by, '$[#]', ?)
     WHERE seizure_id = ? AND event_id = ?`,
  ),
});

/** The statements the projection runs, prepared once per connection. */
export const prepareCustodyHistoryStatements = (db: Database) => ({ ...prepareItemStatements(db), ...prepareRecordStatements(db) });

export type CustodyHistoryStatements = ReturnType<typeof prepareCustodyHistoryStatements>;
