import { isErasedValue } from '../sealing/seal-fields';
import type { Actor } from '../shared/actor';
import { indianDayOf } from '../shared/indian-day';
import { PLACES_VERSION, checkSeizurePlace, findDistrict, storedDistrictCode, type District } from '../places/places';
import type { CommandContext } from './command-context';
import { violation } from './errors';
import type { ItemsReleased } from './events';
import type { ItemState, RecordedSeizure, ReleaseOrderState, SeizureState, TransferState } from './state';
import type { Custodian, SeizureLocation } from './values';
import { requireVisible } from './visibility';

/**
 * The rule checks several commands share, each written once. Each returns what it checked (the
 * recorded seizure, the items, the custodian) or throws the rule's named violation.
 */

/** Cash above Rs 10 lakh in one seizure must go to the Income Tax nodal officer before release. */
export const INCOME_TAX_THRESHOLD_PAISE = 10_00_000 * 100;

/**
 * Whom a custodian names, as one comparable key: a person by user id, any other kind by its unit
 * id. The prefix keeps a user id from ever matching a unit of the same spelling. The transfer
 * inbox files transfers under this key, so it and the checks below cannot disagree.
 */
export const custodianAddress = (custodian: Pick<Custodian, 'kind' | 'id'>): string =>
  custodian.kind === 'person' ? `person:${custodian.id}` : `unit:${custodian.id}`;

/** The two addresses an actor answers to: themselves (token `sub`) and the unit they act for. */
export const actorAddresses = (actor: Pick<Actor, 'sub' | 'unit'>): readonly [string, string] => [
  `person:${actor.sub}`,
  `unit:${actor.unit}`,
];

const isCustodian = (actor: Actor, custodian: Custodian): boolean => actorAddresses(actor).includes(custodianAddress(custodian));

const describeCustodian = (c: Custodian) => `${c.kind} ${c.id} (${c.name})`;

export const positiveInteger = (n: number) => Number.isSafeInteger(n) && n > 0;

/** Every command but the first acts on a recorded seizure the actor may see: the one visibility check. */
export const requireRecorded = (state: SeizureState, ctx: CommandContext): RecordedSeizure => requireVisible(state, ctx.actor);

export function requireItems(state: RecordedSeizure, itemIds: string[], field = 'itemIds'): ItemState[] {
  if (itemIds.length === 0) throw violation('no-items', 'invalid', 'name at least one item', field);
  if (new Set(itemIds).size !== itemIds.length) throw violation('item-listed-twice', 'invalid', 'an item is listed twice', field);
  return itemIds.map((id) => {
    const item = state.items[id];
    if (!item) throw violation('unknown-item', 'not_found', `item ${id} is not part of this seizure`, field);
    return item;
  });
}

export function requireHeld(items: ItemState[], action: string): void {
  for (const item of items) {
    if (item.disposition !== 'held') {
      throw violation('item-no-longer-held', 'conflict', `item ${item.itemId} was ${item.disposition} and cannot be ${action}`);
    }
  }
}

export function requireNotInTransit(items: ItemState[], action: string): void {
  for (const item of items) {
    if (item.openTransferId) {
      throw violation(
        'item-in-transit',
        'conflict',
        `item ${item.itemId} is in transfer ${item.openTransferId}; it cannot be ${action} until the transfer is accepted or rejected`,
      );
    }
  }
}

export function requireHeldBy(actor: Actor, items: ItemState[]): Custodian {
  const custodian = items[0].custodian;
  for (const item of items) {
    if (!isCustodian(actor, item.custodian)) {
      throw violation(
        'not-current-custodian',
        'forbidden',
        `item ${item.itemId} is held by ${describeCustodian(item.custodian)}, not by you`,
      );
    }
    if (item.custodian.kind !== custodian.kind || item.custodian.id !== custodian.id) {
      throw violation('items-held-by-different-custodians', 'invalid', 'all items of one action must have the same custodian');
    }
  }
  return custodian;
}

/** Only the recipient a transfer names answers it, and only while it is open. */
export function requireOpenTransferTo(
  state: RecordedSeizure,
  transferId: string,
  actor: Actor,
  action: 'accept' | 'reject',
): TransferState {
  const transfer = state.transfers[transferId];
  if (!transfer) throw violation('unknown-transfer', 'not_found', `transfer ${transferId} does not exist`);
  if (transfer.status !== 'open') throw violation('transfer-not-open', 'conflict', `transfer ${transferId} was already ${transfer.status}`);
  if (!isCustodian(actor, transfer.to)) {
    throw violation('not-the-recipient', 'forbidden', `only ${describeCustodian(transfer.to)} may ${action} this transfer`);
  }
  return transfer;
}

export const cashTotalPaise = (state: RecordedSeizure): number =>
  Object.values(state.items)
    .filter((i) => i.category === 'cash')
    .reduce((sum, i) => sum + i.quantity, 0);

export function requireIncomeTaxClearanceForCash(state: RecordedSeizure, items: ItemState[]): void {
  if (!items.some((i) => i.category === 'cash')) return;
  const total = cashTotalPaise(state);
  if (total > INCOME_TAX_THRESHOLD_PAISE && !(state.incomeTax.referenceNumber && state.incomeTax.cleared)) {
    throw violation(
      'income-tax-clearance-required',
      'conflict',
      `this seizure holds ${total} paise of cash, above Rs 10 lakh: it must be referred to and cleared by Income Tax before release`,
    );
  }
}

/**
 * The place must exist in the reference data of today's version: the district in its state, the
 * assembly constituency in the district, the parliamentary constituency containing it. The
 * district is stored under its canonical code, and the version checked against is recorded, so a
 * later change of the data never makes this event invalid.
 */
export function requireKnownPlace(location: SeizureLocation): { state: string; district: string; version: string } {
  const problems = checkSeizurePlace(location);
  if (problems.length > 0) {
    const [first] = problems;
    throw violation('unknown-place', 'invalid', first.reason, `location.${first.field}`);
  }
  const district = findDistrict(location.district) as District;
  return { state: district.state, district: storedDistrictCode(district), version: PLACES_VERSION };
}

/** Names and document numbers as people write them: case, spacing and (for numbers) hyphens do not matter. */
const sameName = (a: string, b: string) => foldName(a) === foldName(b);
const foldName = (name: string) => name.normalize('NFC').toLocaleLowerCase('en-IN').replace(/\s+/g, ' ').trim();
const foldDocumentNumber = (number: string) => number.toUpperCase().replace(/[\s-]/g, '');

/** A release goes only to the person the order names, showing the document it names (if it names one). */
export function requireNamedRecipient(order: ReleaseOrderState, releasedTo: ItemsReleased['data']['releasedTo']): void {
  // The person the order names was erased (under a court order, while the items were held): nobody can be checked against it.
  if (isErasedValue(order.releaseTo)) {
    throw violation(
      'named-recipient-erased',
      'conflict',
      `the identity of the person order ${order.orderNumber} names was erased; a release needs a new order`,
      'orderNumber',
    );
  }
  if (!sameName(order.releaseTo.name, releasedTo.name)) {
    throw violation(
      'not-the-named-recipient',
      'invalid',
      `order ${order.orderNumber} releases to the person it names, not to someone else`,
      'releasedTo.name',
    );
  }
  const named = order.releaseTo.idDocument;
  if (!named) return;
  if (named.type.toLowerCase() !== releasedTo.idDocument.type.toLowerCase()) {
    throw violation(
      'not-the-named-document',
      'invalid',
      `order ${order.orderNumber} names a ${named.type} as the identity document to check`,
      'releasedTo.idDocument.type',
    );
  }
  if (foldDocumentNumber(named.number) !== foldDocumentNumber(releasedTo.idDocument.number)) {
    throw violation(
      'not-the-named-document',
      'invalid',
      `the document number differs from the one order ${order.orderNumber} names`,
      'releasedTo.idDocument.number',
    );
  }
}

/** Dates officers enter are Indian days: "today" is today in IST, whatever the server's zone. */
export function requireDateNotAfter(day: string, now: string, field: string): void {
  const today = indianDayOf(now);
  if (day > today) throw violation('date-in-future', 'invalid', `${field} cannot be after today (${today} in India)`, field);
}

/** A case cannot end before it began: a closing date is not before the opening one. */
export function requireDateNotBefore(day: string, earliest: string, field: string, what: string): void {
  if (day < earliest) throw violation('date-before-opening', 'invalid', `${field} cannot be before ${earliest}, when ${what}`, field);
}
