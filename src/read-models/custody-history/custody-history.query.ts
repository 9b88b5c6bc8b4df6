import { Inject, Injectable } from '@nestjs/common';
import type { Database } from 'better-sqlite3';
import type { Category, Custodian, DiscrepancyKind, QuantityUnit, SealCheck } from '../../custody/values';
import type { SeizureEventType } from '../../custody/events';
import type { ItemDisposition } from '../../custody/state';
import { SeizureRuleViolation } from '../../custody/errors';
import { requireVisibleRow } from '../../custody/visibility';
import type { Actor } from '../../shared/actor';
import { READ_MODEL_DB } from '../../projections/projection';
import type { ActorSummary, IntervalEnd, Proof } from './custody-history.projection';
import type {
  CustodyGap,
  CustodyInterval,
  DiscrepancyView,
  ItemCustodyHistory,
  SeizureCustodyHistory,
  SeizureTimeline,
  TransferNeverAccepted,
} from './custody-history.views';
import type { OlderRulesMark } from '../../custody/upcasters';
import { shownTo, withholdPersonalData, type Redacted } from '../../custody/personal-data';
import { parsePersonalColumn } from '../sealed-cells';
import type { JsonObject, JsonValue } from '../../shared/json';

export type {
  DiscrepancyView,
  CustodyInterval,
  GapKind,
  CustodyGap,
  TransferNeverAccepted,
  ItemCustodyHistory,
  SeizureCustodyHistory,
  TimelineEntry,
  SeizureTimeline,
} from './custody-history.views';

interface SeizureRow {
  seizure_id: string;
  memo_number: string;
  state: string;
  district: string;
  seized_at: string;
}
interface ItemRow {
  item_id: string;
  category: Category;
  description: string;
  quantity: number;
  unit: QuantityUnit;
  disposition: ItemDisposition;
}
interface IntervalRow {
  item_id: string;
  seq: number;
  custodian: string;
  from_at: string;
  to_at: string | null;
  transfer_id: string | null;
  handed_over_by: string | null;
  handed_over_seals: string;
  seals_found: string | null;
  counted_quantity: number | null;
  remarks: string | null;
  proofs: string;
  ended_by: IntervalEnd | null;
  end_order_number: string | null;
  end_proof: string | null;
}
interface TransferRow {
  transfer_id: string;
  item_ids: string;
  from_custodian: string;
  to_custodian: string;
  seal_numbers: string;
  reason: string;
  initiated_at: string;
  initiated_by: string;
  initiation_proof: string;
  status: 'open' | 'rejected';
  closed_at: string | null;
  rejection_reason: string | null;
  close_proof: string | null;
}
interface DiscrepancyRow {
  item_id: string;
  kind: DiscrepancyKind;
  reference: string;
  transfer_id: string | null;
  interval_seq: number | null;
  expected: string;
  found: string;
  remarks: string;
  occurred_at: string;
  proof: string;
}
interface TimelineRow {
  revision: number;
  global_position: number;
  event_id: string;
  type: SeizureEventType;
  occurred_at: string;
  actor: string;
  summary: string;
  hash: string;
  corrected_by: string;
  recorded_under_older_rules: string | null;
  personal_data: string | null;
}

const parse = <T>(text: string): T => JSON.parse(text) as T;

const prepareQueries = (db: Database) => ({
  seizure: db.prepare<[string], SeizureRow>(
    'SELECT seizure_id, memo_number, state, district, seized_at FROM custody_history_seizures WHERE seizure_id = ?',
  ),
  items: db.prepare<[string], ItemRow>(
    'SELECT item_id, category, description, quantity, unit, disposition FROM custody_history_items WHERE seizure_id = ? ORDER BY ordinal',
  ),
  intervals: db.prepare<[string], IntervalRow>('SELECT * FROM custody_history_intervals WHERE seizure_id = ? ORDER BY item_id, seq'),
  transfersNeverAccepted: db.prepare<[string], TransferRow>(
    `SELECT * FROM custody_history_transfers WHERE seizure_id = ? AND status IN ('open', 'rejected') ORDER BY initiated_at, transfer_id`,
  ),
  discrepancies: db.prepare<[string], DiscrepancyRow>(
    'SELECT * FROM custody_history_discrepancies WHERE seizure_id = ? ORDER BY global_position, item_id',
  ),
  timeline: db.prepare<[string], TimelineRow>('SELECT * FROM custody_history_timeline WHERE seizure_id = ? ORDER BY revision'),
});

/**
 * Reads the custody history tables for one caller: a seizure outside the caller's scope is
 * refused as a whole (403 `out-of-scope`), one never recorded is 404 `seizure-not-found`.
 */
@Injectable()
export class CustodyHistoryQuery {
  private queries: ReturnType<typeof prepareQueries> | undefined;

  constructor(@Inject(READ_MODEL_DB) private readonly db: Database) {}

  seizureHistory(actor: Actor, seizureId: string): SeizureCustodyHistory {
    const seizure = this.seizureInScope(actor, seizureId);
    const q = this.q();
    const intervals = q.intervals.all(seizure.seizure_id);
    const discrepancies = q.discrepancies.all(seizure.seizure_id);
    const transfers = q.transfersNeverAccepted.all(seizure.seizure_id);
    const items = q.items.all(seizure.seizure_id).map((item) =>
      toItemHistory(
        actor,
        item,
        intervals.filter((i) => i.item_id === item.item_id),
        transfers.filter((t) => parse<string[]>(t.item_ids).includes(item.item_id)),
        discrepancies.filter((d) => d.item_id === item.item_id),
      ),
    );
    return {
      seizureId: seizure.seizure_id,
      memoNumber: seizure.memo_number,
      seizedAt: seizure.seized_at,
      items,
      transfersNeverAccepted: transfers.map((t) => toTransferView(actor, t, discrepancies)),
    };
  }

  itemHistory(actor: Actor, seizureId: string, itemId: string): ItemCustodyHistory & { seizureId: string; memoNumber: string } {
    const history = this.seizureHistory(actor, seizureId);
    const item = history.items.find((i) => i.itemId === itemId);
    if (!item) throw new SeizureRuleViolation('unknown-item', 'not_found', `item ${itemId} is not part of this seizure`);
    return { seizureId: history.seizureId, memoNumber: history.memoNumber, ...item };
  }

  timeline(actor: Actor, seizureId: string): SeizureTimeline {
    const seizure = this.seizureInScope(actor, seizureId);
    const events = this.q()
      .timeline.all(seizure.seizure_id)
      .map((row) => ({
        revision: row.revision,
        globalPosition: row.global_position,
        eventId: row.event_id,
        type: row.type,
        occurredAt: row.occurred_at,
        actor: parse<ActorSummary>(row.actor),
        summary: row.summary,
        personalData: personalDataShownTo(actor, row),
        hash: row.hash,
        correctedBy: parse<string[]>(row.corrected_by),
        recordedUnderOlderRules: row.recorded_under_older_rules === null ? null : parse<OlderRulesMark>(row.recorded_under_older_rules),
      }));
    return { seizureId: seizure.seizure_id, memoNumber: seizure.memo_number, events };
  }

  private seizureInScope(actor: Actor, seizureId: string): SeizureRow {
    return requireVisibleRow(this.q().seizure.get(seizureId), actor, seizureId);
  }

  // Prepared on first use: the projector creates the tables after this provider is built.
  private q(): ReturnType<typeof prepareQueries> {
    this.queries ??= prepareQueries(this.db);
    return this.queries;
  }
}

/** The timeline entry's personal-data fields as the reader may see them. */
function personalDataShownTo(actor: Actor, row: TimelineRow): Record<string, JsonValue | Redacted> | null {
  if (row.personal_data === null) return null;
  return withholdPersonalData(row.type, parse<JsonObject>(row.personal_data), actor).data as Record<string, JsonValue | Redacted>;
}

function toDiscrepancyView(actor: Actor, row: DiscrepancyRow): DiscrepancyView {
  return {
    kind: row.kind,
    reference: row.reference,
    transferId: row.transfer_id,
    intervalSeq: row.interval_seq,
    expected: row.expected,
    found: row.found,
    remarks: shownTo(actor, 'DiscrepancyRecorded', 'remarks', parsePersonalColumn(row.remarks)),
    occurredAt: row.occurred_at,
    proof: parse<Proof>(row.proof),
  };
}

function toTransferView(actor: Actor, row: TransferRow, discrepancies: DiscrepancyRow[]): TransferNeverAccepted {
  // One DiscrepancyRecorded lists several items: show it once per transfer, not once per item.
  const seen = new Set<string>();
  const own = discrepancies.filter((d) => {
    const key = d.proof;
    if (d.transfer_id !== row.transfer_id || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return {
    transferId: row.transfer_id,
    itemIds: parse<string[]>(row.item_ids),
    from: parse<Custodian>(row.from_custodian),
    to: parse<Custodian>(row.to_custodian),
    sealNumbers: parse<string[]>(row.seal_numbers),
    reason: shownTo(actor, 'CustodyTransferInitiated', 'reason', parsePersonalColumn(row.reason)),
    status: row.status,
    initiatedAt: row.initiated_at,
    initiatedBy: parse<ActorSummary>(row.initiated_by),
    rejectedAt: row.status === 'rejected' ? row.closed_at : null,
    rejectionReason:
      row.rejection_reason === null ? null : shownTo(actor, 'CustodyTransferRejected', 'reason', parsePersonalColumn(row.rejection_reason)),
    proofs: [parse<Proof>(row.initiation_proof), ...(row.close_proof ? [parse<Proof>(row.close_proof)] : [])],
    discrepancies: own.map((d) => toDiscrepancyView(actor, d)),
  };
}

function toItemHistory(
  actor: Actor,
  item: ItemRow,
  intervalRows: IntervalRow[],
  transfers: TransferRow[],
  discrepancyRows: DiscrepancyRow[],
): ItemCustodyHistory {
  const discrepancies = discrepancyRows.map((d) => toDiscrepancyView(actor, d));
  const intervals: CustodyInterval[] = intervalRows.map((row) => ({
    seq: row.seq,
    custodian: parse<Custodian>(row.custodian),
    from: row.from_at,
    to: row.to_at,
    transferId: row.transfer_id,
    handedOverBy: row.handed_over_by === null ? null : parse<Custodian>(row.handed_over_by),
    handedOverSeals: parse<string[]>(row.handed_over_seals),
    sealsFound: row.seals_found === null ? null : parse<SealCheck[]>(row.seals_found),
    countedQuantity: row.counted_quantity,
    remarks: row.remarks === null ? null : shownTo(actor, 'CustodyTransferAccepted', 'remarks', parsePersonalColumn(row.remarks)),
    proofs: parse<Proof[]>(row.proofs),
    endedBy: row.ended_by,
    endOrderNumber: row.end_order_number,
    endProof: row.end_proof === null ? null : parse<Proof>(row.end_proof),
    discrepancies: discrepancies.filter((d) => d.intervalSeq === row.seq),
  }));
  const last = intervals.at(-1);
  return {
    itemId: item.item_id,
    category: item.category,
    description: item.description,
    quantity: item.quantity,
    unit: item.unit,
    disposition: item.disposition,
    currentCustodian: last && last.to === null ? last.custodian : null,
    intervals,
    gaps: findGaps(intervals),
    transfersNeverAccepted: transfers.map((t) => toTransferView(actor, t, discrepancyRows)),
    discrepancies,
  };
}

const sameCustodian = (a: Custodian, b: Custodian): boolean => a.kind === b.kind && a.id === b.id;

/**
 * Checks that the intervals tile time and chain custodians: each ends exactly when the next
 * begins, and each handover came from the custodian of the interval before. By construction
 * this finds nothing; it is here so that a history that does break (an imported log, a bug)
 * says so instead of looking whole.
 */
export function findGaps(intervals: readonly CustodyInterval[]): CustodyGap[] {
  const gaps: CustodyGap[] = [];
  for (const interval of intervals) {
    if (interval.to !== null && Date.parse(interval.to) < Date.parse(interval.from)) {
      gaps.push({
        kind: 'time-overlap',
        afterSeq: interval.seq,
        from: interval.from,
        to: interval.to,
        detail: 'the interval ends before it begins',
      });
    }
  }
  for (let i = 0; i + 1 < intervals.length; i += 1) {
    const a = intervals[i];
    const b = intervals[i + 1];
    if (a.endedBy === 'released' || a.endedBy === 'disposed') {
      gaps.push({
        kind: 'moved-after-end',
        afterSeq: a.seq,
        from: a.to,
        to: b.from,
        detail: `custody resumed after the item was ${a.endedBy} under order ${a.endOrderNumber ?? '?'}`,
      });
    } else if (a.to === null || a.to !== b.from) {
      const overlap = a.to === null || Date.parse(a.to) > Date.parse(b.from);
      gaps.push({
        kind: overlap ? 'time-overlap' : 'time-gap',
        afterSeq: a.seq,
        from: a.to,
        to: b.from,
        detail: overlap ? 'the next custodian took over before this interval ended' : 'nobody is recorded as holding the item in between',
      });
    }
    if (b.handedOverBy && !sameCustodian(b.handedOverBy, a.custodian)) {
      gaps.push({
        kind: 'custodian-mismatch',
        afterSeq: a.seq,
        from: a.to,
        to: b.from,
        detail: `handed over by ${b.handedOverBy.kind} ${b.handedOverBy.id}, but held by ${a.custodian.kind} ${a.custodian.id}`,
      });
    }
  }
  return gaps;
}
