import type { Database } from 'better-sqlite3';
import type { Custodian } from '../../custody/values';
import type { SeizureEventType } from '../../custody/events';
import type { UpcastSeizureEvent } from '../../custody/upcasters';
import { personalDataOf } from '../../custody/personal-data';
import { personalCell, personalColumn } from '../sealed-cells';
import type { JsonValue } from '../../shared/json';
import type { ProjectedEvent, Projection } from '../../projections/projection';
import { StatementCache } from '../../projections/statement-cache';
import {
  CUSTODY_HISTORY_SCHEMA,
  CUSTODY_HISTORY_TABLES,
  prepareCustodyHistoryStatements,
  type CustodyHistoryStatements,
} from './custody-history.tables';
import { summarizeEvent } from './event-summary';

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

export { CUSTODY_HISTORY_TABLES } from './custody-history.tables';

// Prepared once per connection, on the first event (the tables exist by then).
const statements = new StatementCache(prepareCustodyHistoryStatements);

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

/** The event's fields on the personal-data list, as JSON; null when it has none. */
const personalDataJson = (event: ProjectedEvent): string | null => {
  // Sealed values are kept as sealed cells (commitment and envelope), opened when a reader asks.
  const fields = Object.keys(personalDataOf(event.type, event.data as unknown as JsonValue));
  return fields.length === 0 ? null : json(Object.fromEntries(fields.map((f) => [f, personalCell(event, f) ?? null])));
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
  // 3: summaries quote no free text; the personal-data fields are kept apart for readers who may see them.
  // 4: personal values are stored as JSON, sealed ones as sealed cells (sealed-cells.ts).
  readonly version = 4;

  setup(db: Database): void {
    db.exec(CUSTODY_HISTORY_SCHEMA);
    statements.forget(db);
  }

  teardown(db: Database): void {
    statements.forget(db);
    for (const table of CUSTODY_HISTORY_TABLES) db.exec(`DROP TABLE IF EXISTS ${table}`);
  }

  apply(db: Database, event: ProjectedEvent): void {
    const st = statements.for(db);
    const actor: ActorSummary = { sub: event.metadata.actor.sub, name: event.metadata.actor.name, unit: event.metadata.actor.unit };
    st.insertTimeline.run({
      seizureId: event.seizureId,
      revision: event.revision,
      globalPosition: event.globalPosition,
      eventId: event.eventId,
      type: event.type,
      occurredAt: event.metadata.occurredAt,
      actor: json(actor),
      summary: summarizeEvent(event),
      hash: event.hash,
      olderRules: olderRulesOf(event),
      personalData: personalDataJson(event),
    });

    switch (event.type) {
      case 'SeizureRecorded':
        return openCustody(st, event);
      case 'CustodyTransferInitiated':
        return recordTransfer(st, event, actor);
      case 'CustodyTransferAccepted':
        return handOver(st, event);
      case 'CustodyTransferRejected':
        st.closeTransfer.run(
          'rejected',
          event.metadata.occurredAt,
          personalColumn(event, 'reason'),
          json(proofOf(event)),
          event.seizureId,
          event.data.transferId,
        );
        return;
      case 'DiscrepancyRecorded':
        return recordDiscrepancy(st, event);
      case 'ItemsReleased':
      case 'ItemsDisposed':
        return endCustody(st, event);
      case 'CorrectionRecorded':
        st.markCorrected.run(event.eventId, event.seizureId, event.data.correctsEventId);
        return;
      default:
        return;
    }
  }
}

type EventOf<T extends SeizureEventType> = Extract<ProjectedEvent, { type: T }>;

/** Each item's first interval, with the seizing team from `seizedAt`. */
function openCustody(st: CustodyHistoryStatements, event: EventOf<'SeizureRecorded'>): void {
  const { seizureId, data: d } = event;
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
}

function recordTransfer(st: CustodyHistoryStatements, event: EventOf<'CustodyTransferInitiated'>, actor: ActorSummary): void {
  const d = event.data;
  st.insertTransfer.run({
    seizureId: event.seizureId,
    transferId: d.transferId,
    itemIds: json(d.itemIds),
    from: custodianJson(d.from),
    to: custodianJson(d.to),
    sealNumbers: json(d.sealNumbers),
    reason: personalColumn(event, 'reason'),
    initiatedAt: event.metadata.occurredAt,
    initiatedBy: json(actor),
    proof: json(proofOf(event)),
  });
}

/** An accepted handover closes each item's open interval and opens the recipient's. */
function handOver(st: CustodyHistoryStatements, event: EventOf<'CustodyTransferAccepted'>): void {
  const { seizureId, data: d } = event;
  const at = event.metadata.occurredAt;
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
      remarks: personalColumn(event, 'remarks'),
      proofs,
    });
  }
}

function recordDiscrepancy(st: CustodyHistoryStatements, event: EventOf<'DiscrepancyRecorded'>): void {
  const { seizureId, data: d } = event;
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
      remarks: personalColumn(event, 'remarks'),
      occurredAt: event.metadata.occurredAt,
      proof: json(proofOf(event)),
    });
  }
}

/** A release or disposal sets each item's disposition and closes its open interval. */
function endCustody(st: CustodyHistoryStatements, event: EventOf<'ItemsReleased' | 'ItemsDisposed'>): void {
  const { seizureId } = event;
  const endedBy = event.type === 'ItemsReleased' ? 'released' : 'disposed';
  let proof: string | undefined;
  for (const itemId of event.data.itemIds) {
    // No row updated: no such item.
    if (st.setDisposition.run(endedBy, seizureId, itemId).changes === 0) continue;
    const last = st.lastInterval.get(seizureId, itemId);
    if (last?.open) {
      st.closeInterval.run(
        event.metadata.occurredAt,
        endedBy,
        event.data.orderNumber,
        (proof ??= json(proofOf(event))),
        seizureId,
        itemId,
        last.seq,
      );
    }
  }
}

/** The instance the projector runs. */
export const custodyHistoryProjection = new CustodyHistoryProjection();
