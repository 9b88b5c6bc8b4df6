import type { Database } from 'better-sqlite3';
import type { Custodian, SeizureEventType } from '../../custody/seizure';
import type { UpcastSeizureEvent } from '../../custody/upcasters';
import type { ProjectedEvent, Projection } from '../../projections/projection';
import { summarizeEvent } from './event-summary';
import { StatementCache } from '../../projections/statement-cache';

/** An event that proves a step of custody: enough to find it in the log and check its hash. */
export interface Proof {
  type: SeizureEventType;
  eventId: string;
  revision: number;
  globalPosition: number;
  hash: string;
}

export type IntervalEnd = 'transfer' | 'released' | 'disposed';

export interface ActorSummary {
  sub: string;
  name: string;
  unit: string;
}

/** Tables of the custody history, all prefixed so a shared read-model file stays legible. */
export const CUSTODY_HISTORY_TABLES = [
  'custody_history_seizures',
  'custody_history_items',
  'custody_history_intervals',
  'custody_history_transfers',
  'custody_history_discrepancies',
  'custody_history_timeline',
] as const;

const SCHEMA = `
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
  PRIMARY KEY (seizure_id, revision)
);
CREATE UNIQUE INDEX IF NOT EXISTS custody_history_timeline_by_event ON custody_history_timeline (seizure_id, event_id);
`;

const prepareStatements = (db: Database) => ({
  insertSeizure: db.prepare<[string, string, string, string, string]>(
    'INSERT OR IGNORE INTO custody_history_seizures (seizure_id, memo_number, state, district, seized_at) VALUES (?, ?, ?, ?, ?)',
  ),
  insertItem: db.prepare<[string, string, number, string, string, number, string]>(
    `INSERT INTO custody_history_items (seizure_id, item_id, ordinal, category, description, quantity, unit, disposition)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'held') ON CONFLICT (seizure_id, item_id) DO NOTHING`,
  ),
  setDisposition: db.prepare<[string, string, string]>('UPDATE custody_history_items SET disposition = ? WHERE seizure_id = ? AND item_id = ?'),
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
  }>(
    `INSERT INTO custody_history_timeline (seizure_id, revision, global_position, event_id, type, occurred_at, actor, summary, hash, recorded_under_older_rules)
     VALUES (@seizureId, @revision, @globalPosition, @eventId, @type, @occurredAt, @actor, @summary, @hash, @olderRules)`,
  ),
  markCorrected: db.prepare<[string, string, string]>(
    `UPDATE custody_history_timeline SET corrected_by = json_insert(corrected_by, '$[#]', ?)
     WHERE seizure_id = ? AND event_id = ?`,
  ),
});

// Prepared once per connection, on the first event (the tables exist by then).
const statements = new StatementCache(prepareStatements);

const proofOf = (event: ProjectedEvent): Proof => ({
  type: event.type,
  eventId: event.eventId,
  revision: event.revision,
  globalPosition: event.globalPosition,
  hash: event.hash,
});

const json = (value: unknown): string => JSON.stringify(value);

/** The upcaster's mark on an event stored under older rules, as JSON; null for today's events. */
const olderRulesOf = (event: ProjectedEvent): string | null => {
  const mark = (event as ProjectedEvent & UpcastSeizureEvent).recordedUnderOlderRules;
  return mark === undefined ? null : json(mark);
};

const custodianJson = (c: Custodian): string => json({ kind: c.kind, id: c.id, name: c.name });

/**
 * Custody history: for each item, the intervals during which one custodian held it, each proven
 * by the events that started it, plus the transfers and discrepancies that touched it; for each
 * seizure, its whole timeline. An interval opens at seizure (from `seizedAt`) or at an accepted
 * handover (from the acceptance's `occurredAt`) and closes at the next acceptance, a release or a
 * disposal, so an item's intervals tile its time in custody.
 */
export class CustodyHistoryProjection implements Projection {
  readonly name = 'custody-history';
  // 2: the timeline says which events were stored under older rules.
  readonly version = 2;

  setup(db: Database): void {
    db.exec(SCHEMA);
    statements.forget(db);
  }

  teardown(db: Database): void {
    statements.forget(db);
    for (const table of CUSTODY_HISTORY_TABLES) db.exec(`DROP TABLE IF EXISTS ${table}`);
  }

  apply(db: Database, event: ProjectedEvent): void {
    const st = statements.for(db);
    const { seizureId } = event;
    const at = event.metadata.occurredAt;
    const actor: ActorSummary = { sub: event.metadata.actor.sub, name: event.metadata.actor.name, unit: event.metadata.actor.unit };

    st.insertTimeline.run({
      seizureId,
      revision: event.revision,
      globalPosition: event.globalPosition,
      eventId: event.eventId,
      type: event.type,
      occurredAt: at,
      actor: json(actor),
      summary: summarizeEvent(event),
      hash: event.hash,
      olderRules: olderRulesOf(event),
    });

    switch (event.type) {
      case 'SeizureRecorded': {
        const d = event.data;
        // A repeated SeizureRecorded (history is folded, never refused) opens nothing new.
        if (st.insertSeizure.run(seizureId, d.memoNumber, d.location.state, d.location.district, d.seizedAt).changes === 0) return;
        d.items.forEach((item, ordinal) => {
          // An item id already recorded (ON CONFLICT DO NOTHING) keeps its row and its intervals.
          if (st.insertItem.run(seizureId, item.itemId, ordinal, item.category, item.description, item.quantity, item.unit).changes === 0) return;
          st.insertInterval.run({
            seizureId,
            itemId: item.itemId,
            seq: 0,
            custodian: custodianJson(d.custodian),
            fromAt: d.seizedAt,
            transferId: null,
            handedOverBy: null,
            // The seals the seizing team put on: custody begins under them.
            handedOverSeals: json(item.sealNumbers),
            sealsFound: null,
            countedQuantity: item.quantity,
            remarks: null,
            proofs: json([proofOf(event)]),
          });
        });
        return;
      }
      case 'CustodyTransferInitiated': {
        const d = event.data;
        st.insertTransfer.run({
          seizureId,
          transferId: d.transferId,
          itemIds: json(d.itemIds),
          from: custodianJson(d.from),
          to: custodianJson(d.to),
          sealNumbers: json(d.sealNumbers),
          reason: d.reason,
          initiatedAt: at,
          initiatedBy: json(actor),
          proof: json(proofOf(event)),
        });
        return;
      }
      case 'CustodyTransferAccepted': {
        const d = event.data;
        const transfer = st.transfer.get(seizureId, d.transferId);
        const proof = json(proofOf(event));
        st.closeTransfer.run('accepted', at, null, proof, seizureId, d.transferId);
        // The initiation's proof as stored (itself JSON.stringify of a Proof) and this event's: the
        // same text as JSON.stringify of both parsed, without the round trip.
        const proofs = transfer ? `[${transfer.initiation_proof},${proof}]` : `[${proof}]`;
        const counted = new Map(d.countedQuantities.map((c) => [c.itemId, c.quantity]));
        for (const itemId of d.itemIds) {
          // Every item has its interval 0 from the seizure and only its last interval can be open
          // (an interval opens only after the open one is closed, as the next seq): no last
          // interval means no such item.
          const last = st.lastInterval.get(seizureId, itemId);
          if (!last) continue;
          if (last.open) st.closeInterval.run(at, 'transfer', null, null, seizureId, itemId, last.seq);
          st.insertInterval.run({
            seizureId,
            itemId,
            seq: last.seq + 1,
            custodian: custodianJson(d.to),
            fromAt: at,
            transferId: d.transferId,
            handedOverBy: custodianJson(d.from),
            handedOverSeals: transfer ? transfer.seal_numbers : '[]',
            sealsFound: json(d.seals.map((s) => ({ number: s.number, condition: s.condition }))),
            countedQuantity: counted.get(itemId) ?? null,
            remarks: d.remarks,
            proofs,
          });
        }
        return;
      }
      case 'CustodyTransferRejected':
        st.closeTransfer.run('rejected', at, event.data.reason, json(proofOf(event)), seizureId, event.data.transferId);
        return;
      case 'DiscrepancyRecorded': {
        const d = event.data;
        // Found in a handover (reference = transfer id) or a deposit (reference = challan).
        const transfer = st.transfer.get(seizureId, d.reference);
        for (const itemId of d.itemIds) {
          // Otherwise the open interval, else the last: the open one, if any, is the last.
          const interval = transfer ? st.intervalOfTransfer.get(seizureId, itemId, d.reference) : st.lastInterval.get(seizureId, itemId);
          st.insertDiscrepancy.run({
            seizureId,
            globalPosition: event.globalPosition,
            itemId,
            kind: d.kind,
            reference: d.reference,
            transferId: transfer ? d.reference : null,
            intervalSeq: interval ? interval.seq : null,
            expected: d.expected,
            found: d.found,
            remarks: d.remarks,
            occurredAt: at,
            proof: json(proofOf(event)),
          });
        }
        return;
      }
      case 'ItemsReleased':
      case 'ItemsDisposed': {
        const endedBy = event.type === 'ItemsReleased' ? 'released' : 'disposed';
        let proof: string | undefined;
        for (const itemId of event.data.itemIds) {
          // No row updated: no such item.
          if (st.setDisposition.run(endedBy, seizureId, itemId).changes === 0) continue;
          const last = st.lastInterval.get(seizureId, itemId);
          if (last?.open) st.closeInterval.run(at, endedBy, event.data.orderNumber, (proof ??= json(proofOf(event))), seizureId, itemId, last.seq);
        }
        return;
      }
      case 'CorrectionRecorded':
        st.markCorrected.run(event.eventId, seizureId, event.data.correctsEventId);
        return;
      default:
        return;
    }
  }
}

/** The instance the projector runs. */
export const custodyHistoryProjection = new CustodyHistoryProjection();
