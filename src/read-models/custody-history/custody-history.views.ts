import type { Custodian, DiscrepancyKind, QuantityUnit, SealCheck, Category } from '../../custody/values';
import type { SeizureEventType } from '../../custody/events';
import type { ItemDisposition } from '../../custody/state';
import type { OlderRulesMark } from '../../custody/upcasters';
import type { Redacted } from '../../custody/personal-data';
import type { JsonValue } from '../../shared/json';
import type { ActorSummary, IntervalEnd, Proof } from './custody-history.projection';

/**
 * What the custody history answers: an item's intervals of custody, a seizure's history and its
 * timeline. Fields on the personal-data list (reasons, remarks; custody/personal-data.ts) hold the
 * REDACTED marker for readers whose role does not grant personal-data access.
 */

export interface DiscrepancyView {
  kind: DiscrepancyKind;
  /** The transfer id or challan number it was found in. */
  reference: string;
  transferId: string | null;
  /** The interval it belongs to, by `seq`; null when it cannot be placed in one. */
  intervalSeq: number | null;
  expected: string;
  found: string;
  remarks: string | Redacted;
  occurredAt: string;
  proof: Proof;
}

export interface CustodyInterval {
  /** 0 for the seizing team's custody, then one more for each accepted handover. */
  seq: number;
  custodian: Custodian;
  /** `seizedAt` for the first interval, else the acceptance's `occurredAt`. */
  from: string;
  /** null while the custodian still holds the item. */
  to: string | null;
  /** The handover that started the interval; null for the first. */
  transferId: string | null;
  /** Who the handover named as handing over; it should be the previous interval's custodian. */
  handedOverBy: Custodian | null;
  /** The seals the handover listed (for the first interval: the seals put on at seizure). */
  handedOverSeals: string[];
  /** What the recipient found of each seal; null for the first interval, where nobody checked. */
  sealsFound: SealCheck[] | null;
  /** Quantity counted at the start of the interval, in the item's unit. */
  countedQuantity: number | null;
  /** The recipient's remarks on accepting; null for the first interval. */
  remarks: string | Redacted | null;
  /** The events that prove the interval began: the initiation and the acceptance (or the seizure). */
  proofs: Proof[];
  endedBy: IntervalEnd | null;
  /** The release or disposal order that ended custody. */
  endOrderNumber: string | null;
  /** The event that ended custody by release or disposal. */
  endProof: Proof | null;
  discrepancies: DiscrepancyView[];
}

export type GapKind = 'time-gap' | 'time-overlap' | 'custodian-mismatch' | 'moved-after-end';

/** A break in the chain between interval `afterSeq` and the next; none should ever exist. */
export interface CustodyGap {
  kind: GapKind;
  afterSeq: number;
  from: string | null;
  to: string;
  detail: string;
}

export interface TransferNeverAccepted {
  transferId: string;
  itemIds: string[];
  from: Custodian;
  to: Custodian;
  sealNumbers: string[];
  reason: string | Redacted;
  status: 'open' | 'rejected';
  /** The basis of its age: how long it has been open (or was, until rejected). */
  initiatedAt: string;
  initiatedBy: ActorSummary;
  rejectedAt: string | null;
  rejectionReason: string | Redacted | null;
  proofs: Proof[];
  discrepancies: DiscrepancyView[];
}

export interface ItemCustodyHistory {
  itemId: string;
  category: Category;
  description: string;
  quantity: number;
  unit: QuantityUnit;
  disposition: ItemDisposition;
  /** Who holds the item now; null once released or disposed of. */
  currentCustodian: Custodian | null;
  intervals: CustodyInterval[];
  gaps: CustodyGap[];
  transfersNeverAccepted: TransferNeverAccepted[];
  /** Every discrepancy about the item, each linked to its interval and transfer. */
  discrepancies: DiscrepancyView[];
}

export interface SeizureCustodyHistory {
  seizureId: string;
  memoNumber: string;
  seizedAt: string;
  items: ItemCustodyHistory[];
  transfersNeverAccepted: TransferNeverAccepted[];
}

export interface TimelineEntry {
  revision: number;
  globalPosition: number;
  eventId: string;
  type: SeizureEventType;
  occurredAt: string;
  actor: ActorSummary;
  /** One line, the same for every reader: it quotes no field of the personal-data list. */
  summary: string;
  /**
   * The event's fields on the personal-data list (a rejection's reason, a correction's text, a
   * file name...), each REDACTED for a reader without personal-data access; null for an event
   * without any.
   */
  personalData: Record<string, JsonValue | Redacted> | null;
  hash: string;
  /** Ids of the CorrectionRecorded events that correct this one. */
  correctedBy: string[];
  /** Set when the event was stored under older rules: what reading it in today's shape changed. */
  recordedUnderOlderRules: OlderRulesMark | null;
}

export interface SeizureTimeline {
  seizureId: string;
  memoNumber: string;
  events: TimelineEntry[];
}
