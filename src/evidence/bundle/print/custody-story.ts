/**
 * The custody story a magistrate reads, derived from the bundle's events alone — the part of the
 * bundle its hashes and proofs vouch for — not from the opaque custody-history JSON beside them.
 * One row per event: when (IST), who (name, role, unit, from the event's metadata), what moved,
 * the seals and counts checked, and any discrepancy. PURE: events in, rows out.
 *
 * Each event is read in today's shape (upcast, as the ledger folds it). An event this release
 * cannot read still gets a row naming its type, so the story never leaves an event out.
 */
import type { Custodian, SeizedItem } from '../../../custody/values';
import type { SeizureEvent } from '../../../custody/events';
import { upcastSeizureEvent } from '../../../custody/upcasters';
import { openedData } from './opened-data';
import { formatIstMinute, formatQuantity, formatRupees } from '../../../shared/indian-format';
import type { JsonValue } from '../../../shared/json';
import type { BundledEvent } from '../evidence-bundle.format';
import { describeCaseStep, isCaseStep } from './case-steps';
import { personName, plainText } from './printable';

export interface StoryRow {
  revision: number;
  type: string;
  when: string;
  actor: string;
  what: string;
  /** Seals and counts checked, for the seizure as a whole. */
  checks: string;
  /** The same for one item, where the event says something item by item. */
  checksByItem: Record<string, string>;
  /** A discrepancy or a refusal, in words; null when the step went as it should. */
  highlight: string | null;
  /** The items the step concerns; empty when it concerns the seizure as a whole. */
  itemIds: string[];
}

export interface StoryItem {
  itemId: string;
  /** 1-based, in the order of the seizure memo. */
  number: number;
  description: string;
  category: string;
  quantity: string;
  packages: number;
  seals: string;
  value: string;
}

export interface CustodyStory {
  items: StoryItem[];
  rows: StoryRow[];
}

/** The story of a bundle's events; the items are those of its SeizureRecorded event. */
export function custodyStory(events: readonly BundledEvent[]): CustodyStory {
  const read = events.map((e) => ({ e, event: readEvent(e) }));
  const recorded = read.find((r) => r.event?.type === 'SeizureRecorded')?.event;
  const seized: SeizedItem[] = recorded?.type === 'SeizureRecorded' ? recorded.data.items : [];
  const context: StoryContext = {
    items: new Map(seized.map((item, i) => [item.itemId, { item, number: i + 1 }])),
    challans: new Map(),
  };
  const rows = read.map(({ e, event }) => {
    const base = { revision: e.revision, type: e.type, when: when(e), actor: actorOf(e.metadata.actor) };
    if (event === null) return { ...base, ...unreadable(e) };
    try {
      return { ...base, ...describe(event, context) };
    } catch {
      return { ...base, ...unreadable(e) };
    }
  });
  const items = seized.map((item, i) => ({
    itemId: item.itemId,
    number: i + 1,
    description: item.description,
    category: item.category.replace(/_/g, ' '),
    quantity: formatQuantity(item.quantity, item.unit),
    packages: item.packages,
    seals: item.sealNumbers.join(', ') || 'none',
    value: formatRupees(item.estimatedValuePaise),
  }));
  return { items, rows };
}

/** The rows of one item's table, and (with null) the rows about the seizure as a whole. */
export function rowsFor(story: CustodyStory, itemId: string | null): StoryRow[] {
  return story.rows.filter((r) => (itemId === null ? r.itemIds.length === 0 : r.itemIds.includes(itemId)));
}

type Described = Pick<StoryRow, 'what' | 'checks' | 'checksByItem' | 'highlight' | 'itemIds'>;

interface StoryContext {
  items: Map<string, { item: SeizedItem; number: number }>;
  /** The items of each cash deposit, by challan, for its confirmation. */
  challans: Map<string, string[]>;
}

function readEvent(e: BundledEvent): SeizureEvent | null {
  const version = typeof e.metadata.schemaVersion === 'number' ? e.metadata.schemaVersion : 1;
  try {
    return upcastSeizureEvent(e.type, openedData(e), version);
  } catch {
    return null;
  }
}

function when(e: BundledEvent): string {
  const occurred = e.metadata.occurredAt;
  const instant = typeof occurred === 'string' ? occurred : e.recordedAt;
  try {
    return formatIstMinute(instant);
  } catch {
    return plainText(instant);
  }
}

/** 'Asha Verma (officer, FS-VNS-03)' from the actor the ledger writes into every event's metadata. */
export function actorOf(actor: JsonValue | undefined): string {
  if (actor === null || typeof actor !== 'object' || Array.isArray(actor)) return actor === undefined ? 'not recorded' : plainText(actor);
  const name = personName(actor);
  const roles = Array.isArray(actor.roles) ? actor.roles.map(plainText).join(', ') : '';
  const unit = typeof actor.unit === 'string' ? actor.unit : '';
  const detail = [roles, unit].filter((s) => s !== '').join(', ');
  return detail === '' ? name : `${name} (${detail})`;
}

const custodian = (c: Custodian): string => `${c.name} (${c.kind.replace(/_/g, ' ')} ${c.id})`;
const seals = (numbers: string[]): string => (numbers.length === 0 ? 'none listed' : numbers.join(', '));

function itemsText(ids: string[], context: StoryContext): string {
  const names = ids.map((id) => {
    const known = context.items.get(id);
    return known ? `item ${known.number} (${known.item.category.replace(/_/g, ' ')})` : `item ${id}`;
  });
  return names.length === 0 ? 'no items' : names.join(', ');
}

function counted(itemId: string, quantity: number, context: StoryContext): string {
  const known = context.items.get(itemId);
  return formatQuantity(quantity, known?.item.unit ?? 'units');
}

const none: Pick<Described, 'checks' | 'checksByItem' | 'highlight' | 'itemIds'> = {
  checks: '',
  checksByItem: {},
  highlight: null,
  itemIds: [],
};

function describe(event: SeizureEvent, context: StoryContext): Described {
  switch (event.type) {
    case 'SeizureRecorded':
      return seizureRow(event.data);
    case 'ItemsValued': {
      const d = event.data;
      const byItem = Object.fromEntries(
        d.valuations.map((v) => [v.itemId, `Value changed from ${formatRupees(v.previousValuePaise)} to ${formatRupees(v.valuePaise)}`]),
      );
      const itemIds = d.valuations.map((v) => v.itemId);
      return {
        ...none,
        what: `Revalued ${itemsText(itemIds, context)}; basis: ${d.basis}; reason: ${d.reason}`,
        checksByItem: byItem,
        itemIds,
      };
    }
    case 'CustodyTransferInitiated': {
      const d = event.data;
      return {
        ...none,
        what: `Handover started of ${itemsText(d.itemIds, context)} from ${custodian(d.from)} to ${custodian(d.to)}; reason: ${d.reason}`,
        checks: `Seals handed over: ${seals(d.sealNumbers)}`,
        itemIds: d.itemIds,
      };
    }
    case 'CustodyTransferAccepted':
      return acceptedRow(event.data, context);
    case 'CustodyTransferRejected': {
      const d = event.data;
      return {
        ...none,
        what: `Handover of ${itemsText(d.itemIds, context)} from ${custodian(d.from)} refused by ${custodian(d.to)}; custody stays with the sender`,
        highlight: `Handover refused: ${d.reason}`,
        itemIds: d.itemIds,
      };
    }
    case 'DiscrepancyRecorded': {
      const d = event.data;
      return {
        ...none,
        what: `Discrepancy recorded in ${d.reference} for ${itemsText(d.itemIds, context)}${d.remarks ? `; remarks: ${d.remarks}` : ''}`,
        highlight: `Discrepancy (${d.kind.replace(/_/g, ' ')}): expected ${d.expected}; found ${d.found}`,
        itemIds: d.itemIds,
      };
    }
    default:
      return isCaseStep(event) ? { ...none, ...describeCaseStep(event, (ids) => itemsText(ids, context)) } : describeOrders(event, context);
  }
}

function seizureRow(d: Extract<SeizureEvent, { type: 'SeizureRecorded' }>['data']): Described {
  const byItem = Object.fromEntries(
    d.items.map((i) => [
      i.itemId,
      `Recorded ${formatQuantity(i.quantity, i.unit)} in ${i.packages} package(s); sealed ${seals(i.sealNumbers)}`,
    ]),
  );
  const total = d.items.reduce((sum, i) => sum + i.estimatedValuePaise, 0);
  return {
    what:
      `Seized ${d.items.length} item(s) worth ${formatRupees(total)} under memo ${d.memoNumber} at ${d.location.place} ` +
      `by ${d.team} (${d.agency.replace(/_/g, ' ')}); held by ${custodian(d.custodian)}`,
    checks: `Seals put on: ${seals(d.items.flatMap((i) => i.sealNumbers))}`,
    checksByItem: byItem,
    highlight: null,
    itemIds: d.items.map((i) => i.itemId),
  };
}

function acceptedRow(d: Extract<SeizureEvent, { type: 'CustodyTransferAccepted' }>['data'], context: StoryContext): Described {
  const found = d.seals.length === 0 ? 'no seals' : d.seals.map((s) => `${s.number} ${s.condition}`).join(', ');
  const countOf = new Map(d.countedQuantities.map((c) => [c.itemId, c.quantity]));
  const problems = d.seals.filter((s) => s.condition !== 'intact').map((s) => `seal ${s.number} ${s.condition}`);
  const byItem: Record<string, string> = {};
  for (const id of d.itemIds) {
    const quantity = countOf.get(id);
    const recorded = context.items.get(id)?.item.quantity;
    byItem[id] = `Seals found: ${found}; counted ${quantity === undefined ? 'nothing' : counted(id, quantity, context)}`;
    if (quantity !== undefined && recorded !== undefined && quantity !== recorded) {
      problems.push(`${itemsText([id], context)} counted ${counted(id, quantity, context)}, recorded ${counted(id, recorded, context)}`);
    }
  }
  const counts = d.countedQuantities.map((c) => `${itemsText([c.itemId], context)} ${counted(c.itemId, c.quantity, context)}`).join(', ');
  return {
    what: `Handover of ${itemsText(d.itemIds, context)} accepted: custody moved from ${custodian(d.from)} to ${custodian(d.to)}${d.remarks ? `; remarks: ${d.remarks}` : ''}`,
    checks: `Seals found: ${found}; counted: ${counts || 'nothing'}`,
    checksByItem: byItem,
    highlight: problems.length > 0 ? `Discrepancy: ${problems.join('; ')}` : null,
    itemIds: d.itemIds,
  };
}

function describeOrders(event: SeizureEvent, context: StoryContext): Described {
  switch (event.type) {
    case 'CashDeposited': {
      const d = event.data;
      context.challans.set(d.challanNumber, d.itemIds);
      return {
        ...none,
        what: `${formatRupees(d.amountPaise)} (${itemsText(d.itemIds, context)}) deposited in ${custodian(d.treasury)} under challan ${d.challanNumber} on ${d.depositedOn}`,
        checks: `Challan amount ${formatRupees(d.amountPaise)}`,
        itemIds: d.itemIds,
      };
    }
    case 'DepositConfirmed': {
      const d = event.data;
      const differs = d.confirmedAmountPaise !== d.depositedAmountPaise;
      return {
        ...none,
        what: `Challan ${d.challanNumber} confirmed by ${custodian(d.treasury)}${d.remarks ? `; remarks: ${d.remarks}` : ''}`,
        checks: `Credited ${formatRupees(d.confirmedAmountPaise)} of ${formatRupees(d.depositedAmountPaise)} deposited`,
        highlight: differs
          ? `Discrepancy: credited ${formatRupees(d.confirmedAmountPaise)}, deposited ${formatRupees(d.depositedAmountPaise)}`
          : null,
        itemIds: context.challans.get(d.challanNumber) ?? [],
      };
    }
    case 'ReferredToIncomeTax':
      return {
        ...none,
        what: `Referred to Income Tax (${event.data.office}) under ${event.data.referenceNumber}; cash ${formatRupees(event.data.cashTotalPaise)}`,
      };
    case 'IncomeTaxCleared':
      return { ...none, what: `Income Tax cleared reference ${event.data.referenceNumber} under ${event.data.clearanceNumber}` };
    case 'FirRegistered': {
      const d = event.data;
      return {
        ...none,
        what: `FIR ${d.firNumber} registered at ${d.policeStation} on ${d.registeredOn}${d.sections.length ? ` under ${d.sections.join(', ')}` : ''}`,
      };
    }
    case 'ReleaseOrdered': {
      const d = event.data;
      const by = d.authority === 'dgc' ? 'the District Grievance Committee' : 'the court';
      return {
        ...none,
        what: `Release of ${itemsText(d.itemIds, context)} to ${personName(d.releaseTo)} ordered by ${by} under order ${d.orderNumber} of ${d.orderedOn}`,
        itemIds: d.itemIds,
      };
    }
    case 'ItemsReleased': {
      const d = event.data;
      return {
        ...none,
        what: `${itemsText(d.itemIds, context)} released by ${custodian(d.releasedBy)} to ${personName(d.releasedTo)} under order ${d.orderNumber}`,
        checks: d.identityChecked ? 'Identity of the recipient checked' : '',
        itemIds: d.itemIds,
      };
    }
    case 'ItemsDisposed': {
      const d = event.data;
      const by = d.authority === 'court' ? 'the court' : 'the drug disposal committee';
      return {
        ...none,
        what: `${itemsText(d.itemIds, context)} ${d.method} under order ${d.orderNumber} of ${by} (${d.orderedOn})`,
        itemIds: d.itemIds,
      };
    }
    case 'AttachmentAdded':
      return { ...none, what: `Attachment ${event.data.fileName} (${attachmentKind(event.data)}) added: ${event.data.description}` };
    case 'CorrectionRecorded': {
      const d = event.data;
      return {
        ...none,
        what: `Correction to the ${d.correctsEventType} step: ${d.whatWasWrong}; corrected to: ${d.correction}; reason: ${d.reason}`,
      };
    }
    default:
      return { ...none, what: `${event.type} step` };
  }
}

function unreadable(e: BundledEvent): Described {
  return { ...none, what: `${e.type}: a step this release does not describe; its data is in the JSON bundle (revision ${e.revision})` };
}

/** The media type, and whose personal data the content is (a closed vocabulary, never a name). */
const attachmentKind = (data: { mediaType: string; personalDataOf?: string }): string =>
  data.personalDataOf === undefined ? data.mediaType : `${data.mediaType}, personal data of ${data.personalDataOf}`;
