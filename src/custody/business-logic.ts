import { inScope, type Actor } from '../shared/actor';
import { indianDayOf } from '../shared/indian-day';
import { PLACES_VERSION, checkSeizurePlace, findDistrict, storedDistrictCode, type District } from '../places/places';
import {
  UNITS_BY_CATEGORY,
  type Custodian,
  type DisposalAuthority,
  type DisposalMethod,
  type ItemState,
  type RecordedSeizure,
  type ReleaseAuthority,
  type ReleaseOrderState,
  type SealCheck,
  type SeizureEvent,
  type SeizureLocation,
  type SeizureRecorded,
  type SeizureState,
} from './seizure';

/**
 * Commands and decide for the seizure aggregate. decide is pure: it gets the state folded from the
 * stream, the command and who is acting at what time, and returns the events to append or throws
 * a named rule violation. Roles are checked at the edge; who-may-do-what-to-this-seizure here.
 */

/** Cash above Rs 10 lakh in one seizure must go to the Income Tax nodal officer before release. */
export const INCOME_TAX_THRESHOLD_PAISE = 10_00_000 * 100;
export const MIN_WITNESSES = 2;

export interface CommandContext {
  actor: Actor;
  /** ISO-8601 UTC, from the injected clock. */
  now: string;
}

type Cmd<T extends string, D> = { type: T; data: D };

/** Everything the event records except what the ledger supplies: the officer and agency (from the token), the first custodian, the places version. */
export type RecordSeizure = Cmd<'RecordSeizure', Omit<SeizureRecorded['data'], 'seizingOfficer' | 'custodian' | 'agency' | 'placesVersion'>>;
export type ValueItems = Cmd<'ValueItems', { valuations: Array<{ itemId: string; valuePaise: number }>; basis: string; reason: string }>;
export type InitiateCustodyTransfer = Cmd<
  'InitiateCustodyTransfer',
  { transferId: string; itemIds: string[]; to: Custodian; sealNumbers: string[]; reason: string }
>;
export type AcceptCustodyTransfer = Cmd<
  'AcceptCustodyTransfer',
  { transferId: string; seals: SealCheck[]; countedQuantities: Array<{ itemId: string; quantity: number }>; remarks: string }
>;
export type RejectCustodyTransfer = Cmd<'RejectCustodyTransfer', { transferId: string; reason: string }>;
export type DepositCash = Cmd<
  'DepositCash',
  { challanNumber: string; treasury: { id: string; name: string }; itemIds: string[]; amountPaise: number; depositedOn: string }
>;
export type ConfirmDeposit = Cmd<'ConfirmDeposit', { challanNumber: string; confirmedAmountPaise: number; remarks: string }>;
export type ReferToIncomeTax = Cmd<'ReferToIncomeTax', { referenceNumber: string; office: string; remarks: string }>;
export type ClearIncomeTax = Cmd<'ClearIncomeTax', { clearanceNumber: string; remarks: string }>;
export type RegisterFir = Cmd<'RegisterFir', { firNumber: string; policeStation: string; registeredOn: string; sections: string[] }>;
export type OrderRelease = Cmd<
  'OrderRelease',
  {
    orderNumber: string;
    orderedOn: string;
    itemIds: string[];
    releaseTo: { name: string; idDocument: { type: string; number: string } | null };
    reasons: string;
  }
>;
export type ReleaseItems = Cmd<
  'ReleaseItems',
  { orderNumber: string; itemIds: string[]; releasedTo: { name: string; idDocument: { type: string; number: string } }; identityChecked: boolean; remarks: string }
>;
export type DisposeItems = Cmd<
  'DisposeItems',
  { orderNumber: string; orderedOn: string; method: DisposalMethod; itemIds: string[]; remarks: string }
>;
export type AddAttachment = Cmd<'AddAttachment', { sha256: string; sizeBytes: number; mediaType: string; fileName: string; description: string }>;
export type RecordCorrection = Cmd<'RecordCorrection', { correctsEventId: string; whatWasWrong: string; correction: string; reason: string }>;

export type SeizureCommand =
  | RecordSeizure
  | ValueItems
  | InitiateCustodyTransfer
  | AcceptCustodyTransfer
  | RejectCustodyTransfer
  | DepositCash
  | ConfirmDeposit
  | ReferToIncomeTax
  | ClearIncomeTax
  | RegisterFir
  | OrderRelease
  | ReleaseItems
  | DisposeItems
  | AddAttachment
  | RecordCorrection;

// ------------------------------------------------------------------------------------------
// Named rule violations. `code` names the rule; the HTTP edge turns it into a problem type.

export type RuleKind = 'not_found' | 'forbidden' | 'conflict' | 'invalid';

export class SeizureRuleViolation extends Error {
  constructor(
    readonly code: string,
    readonly kind: RuleKind,
    message: string,
    /** The command field the rule is about, when there is one. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'SeizureRuleViolation';
  }
}

const violation = (code: string, kind: RuleKind, message: string, field?: string) => new SeizureRuleViolation(code, kind, message, field);

export const SeizureNotFound = (id?: string) => violation('seizure-not-found', 'not_found', `seizure ${id ?? ''} has not been recorded`.replace('  ', ' '));
export const OutOfScope = () => violation('out-of-scope', 'forbidden', 'this seizure is outside your jurisdiction');

// ------------------------------------------------------------------------------------------

/**
 * Whom a custodian names, as one comparable key: a person by user id, any other kind by its unit
 * id. The prefix keeps a user id from ever matching a unit of the same spelling. The transfer
 * inbox files transfers under this key, so it and the checks below cannot disagree.
 */
export const custodianAddress = (custodian: Pick<Custodian, 'kind' | 'id'>): string =>
  custodian.kind === 'person' ? `person:${custodian.id}` : `unit:${custodian.id}`;

/** The two addresses an actor answers to: themselves (token `sub`) and the unit they act for. */
export const actorAddresses = (actor: Pick<Actor, 'sub' | 'unit'>): readonly [string, string] => [`person:${actor.sub}`, `unit:${actor.unit}`];

const isCustodian = (actor: Actor, custodian: Custodian): boolean => actorAddresses(actor).includes(custodianAddress(custodian));

const describe = (c: Custodian) => `${c.kind} ${c.id} (${c.name})`;

function requireRecorded(state: SeizureState, ctx: CommandContext): RecordedSeizure {
  if (state.status !== 'recorded') throw SeizureNotFound();
  if (!inScope(ctx.actor.scope, state.location)) throw OutOfScope();
  return state;
}

function requireItems(state: RecordedSeizure, itemIds: string[], field = 'itemIds'): ItemState[] {
  if (itemIds.length === 0) throw violation('no-items', 'invalid', 'name at least one item', field);
  if (new Set(itemIds).size !== itemIds.length) throw violation('item-listed-twice', 'invalid', 'an item is listed twice', field);
  return itemIds.map((id) => {
    const item = state.items[id];
    if (!item) throw violation('unknown-item', 'not_found', `item ${id} is not part of this seizure`, field);
    return item;
  });
}

function requireHeld(items: ItemState[], action: string): void {
  for (const item of items) {
    if (item.disposition !== 'held') {
      throw violation('item-no-longer-held', 'conflict', `item ${item.itemId} was ${item.disposition} and cannot be ${action}`);
    }
  }
}

function requireNotInTransit(items: ItemState[], action: string): void {
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

function requireHeldBy(actor: Actor, items: ItemState[]): Custodian {
  const custodian = items[0].custodian;
  for (const item of items) {
    if (!isCustodian(actor, item.custodian)) {
      throw violation('not-current-custodian', 'forbidden', `item ${item.itemId} is held by ${describe(item.custodian)}, not by you`);
    }
    if (item.custodian.kind !== custodian.kind || item.custodian.id !== custodian.id) {
      throw violation('items-held-by-different-custodians', 'invalid', 'all items of one action must have the same custodian');
    }
  }
  return custodian;
}

const cashTotalPaise = (state: RecordedSeizure): number =>
  Object.values(state.items)
    .filter((i) => i.category === 'cash')
    .reduce((sum, i) => sum + i.quantity, 0);

function requireIncomeTaxClearanceForCash(state: RecordedSeizure, items: ItemState[]): void {
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

const positiveInteger = (n: number) => Number.isSafeInteger(n) && n > 0;

/**
 * The place must exist in the reference data of today's version: the district in its state, the
 * assembly constituency in the district, the parliamentary constituency containing it. The
 * district is stored under its canonical code, and the version checked against is recorded, so a
 * later change of the data never makes this event invalid.
 */
function requireKnownPlace(location: SeizureLocation): { state: string; district: string; version: string } {
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
function requireNamedRecipient(order: ReleaseOrderState, releasedTo: ReleaseItems['data']['releasedTo']): void {
  if (!sameName(order.releaseTo.name, releasedTo.name)) {
    throw violation('not-the-named-recipient', 'invalid', `order ${order.orderNumber} releases to the person it names, not to someone else`, 'releasedTo.name');
  }
  const named = order.releaseTo.idDocument;
  if (!named) return;
  if (named.type.toLowerCase() !== releasedTo.idDocument.type.toLowerCase()) {
    throw violation('not-the-named-document', 'invalid', `order ${order.orderNumber} names a ${named.type} as the identity document to check`, 'releasedTo.idDocument.type');
  }
  if (foldDocumentNumber(named.number) !== foldDocumentNumber(releasedTo.idDocument.number)) {
    throw violation('not-the-named-document', 'invalid', `the document number differs from the one order ${order.orderNumber} names`, 'releasedTo.idDocument.number');
  }
}

/** Dates officers enter are Indian days: "today" is today in IST, whatever the server's zone. */
function requireDateNotAfter(day: string, now: string, field: string): void {
  const today = indianDayOf(now);
  if (day > today) throw violation('date-in-future', 'invalid', `${field} cannot be after today (${today} in India)`, field);
}

// ------------------------------------------------------------------------------------------

export function decide(command: SeizureCommand, state: SeizureState, ctx: CommandContext): SeizureEvent[] {
  const { actor, now } = ctx;
  switch (command.type) {
    case 'RecordSeizure': {
      const d = command.data;
      if (state.status === 'recorded') {
        // A field device retrying the same record gets a no-op; anything else is a clash of ids.
        if (state.memoNumber === d.memoNumber && state.seizingOfficerSub === actor.sub) return [];
        throw violation('seizure-already-recorded', 'conflict', `seizure ${d.seizureId} is already recorded`, 'seizureId');
      }
      const place = requireKnownPlace(d.location);
      if (!inScope(actor.scope, place)) throw OutOfScope();
      if (Date.parse(d.seizedAt) > Date.parse(now)) throw violation('date-in-future', 'invalid', 'seizedAt cannot be in the future', 'seizedAt');
      if (d.witnesses.length < MIN_WITNESSES) {
        throw violation('too-few-witnesses', 'invalid', `a seizure memo needs at least ${MIN_WITNESSES} witnesses`, 'witnesses');
      }
      if (d.items.length === 0) throw violation('no-items', 'invalid', 'a seizure holds at least one item', 'items');
      if (new Set(d.items.map((i) => i.itemId)).size !== d.items.length) {
        throw violation('item-listed-twice', 'invalid', 'item ids must be unique within a seizure', 'items');
      }
      d.items.forEach((item, i) => {
        const field = `items[${i}]`;
        if (!UNITS_BY_CATEGORY[item.category].includes(item.unit)) {
          throw violation('unit-not-allowed', 'invalid', `${item.category} is counted in ${UNITS_BY_CATEGORY[item.category].join(' or ')}`, `${field}.unit`);
        }
        if (!positiveInteger(item.quantity)) throw violation('not-a-positive-integer', 'invalid', 'quantity must be a positive integer', `${field}.quantity`);
        if (!positiveInteger(item.packages)) throw violation('not-a-positive-integer', 'invalid', 'packages must be a positive integer', `${field}.packages`);
        if (!positiveInteger(item.estimatedValuePaise)) {
          throw violation('not-a-positive-integer', 'invalid', 'estimatedValuePaise must be a positive integer', `${field}.estimatedValuePaise`);
        }
        if (item.category === 'cash' && item.estimatedValuePaise !== item.quantity) {
          throw violation('cash-value-differs', 'invalid', 'the value of cash is its amount: estimatedValuePaise must equal quantity', `${field}.estimatedValuePaise`);
        }
      });
      return [
        {
          type: 'SeizureRecorded',
          data: {
            ...d,
            location: { ...d.location, state: place.state, district: place.district },
            // The seizure is recorded in the name of the officer's agency, as the token says.
            agency: actor.agency,
            placesVersion: place.version,
            seizingOfficer: { sub: actor.sub, name: actor.name, unit: actor.unit },
            custodian: { kind: 'team', id: actor.unit, name: d.team },
          },
        },
      ];
    }

    case 'ValueItems': {
      const s = requireRecorded(state, ctx);
      const d = command.data;
      const items = requireItems(s, d.valuations.map((v) => v.itemId), 'valuations');
      requireHeld(items, 'valued');
      // A value is vouched for by whoever holds the item and can see it, nobody else.
      requireHeldBy(actor, items);
      d.valuations.forEach((v, i) => {
        if (!positiveInteger(v.valuePaise)) {
          throw violation('not-a-positive-integer', 'invalid', 'valuePaise must be a positive integer', `valuations[${i}].valuePaise`);
        }
        if (items[i].category === 'cash' && v.valuePaise !== items[i].quantity) {
          throw violation('cash-value-differs', 'invalid', 'the value of cash is its amount and cannot be revalued', `valuations[${i}].valuePaise`);
        }
      });
      return [
        {
          type: 'ItemsValued',
          data: {
            valuations: d.valuations.map((v, i) => ({ itemId: v.itemId, valuePaise: v.valuePaise, previousValuePaise: items[i].valuePaise })),
            basis: d.basis,
            reason: d.reason,
          },
        },
      ];
    }

    case 'InitiateCustodyTransfer': {
      const s = requireRecorded(state, ctx);
      const d = command.data;
      if (s.transfers[d.transferId]) throw violation('transfer-id-in-use', 'conflict', `transfer ${d.transferId} already exists`, 'transferId');
      const items = requireItems(s, d.itemIds);
      requireHeld(items, 'moved');
      for (const item of items) {
        if (item.openTransferId) {
          throw violation('transfer-already-open', 'conflict', `item ${item.itemId} is already in open transfer ${item.openTransferId}`, 'itemIds');
        }
      }
      const from = requireHeldBy(actor, items);
      if (from.kind === d.to.kind && from.id === d.to.id) {
        throw violation('transfer-to-self', 'invalid', 'the recipient already holds these items', 'to');
      }
      return [{ type: 'CustodyTransferInitiated', data: { transferId: d.transferId, itemIds: d.itemIds, from, to: d.to, sealNumbers: d.sealNumbers, reason: d.reason } }];
    }

    case 'AcceptCustodyTransfer': {
      const s = requireRecorded(state, ctx);
      const d = command.data;
      const transfer = s.transfers[d.transferId];
      if (!transfer) throw violation('unknown-transfer', 'not_found', `transfer ${d.transferId} does not exist`);
      if (transfer.status !== 'open') throw violation('transfer-not-open', 'conflict', `transfer ${d.transferId} was already ${transfer.status}`);
      if (!isCustodian(actor, transfer.to)) {
        throw violation('not-the-recipient', 'forbidden', `only ${describe(transfer.to)} may accept this transfer`);
      }
      const counted = new Map(d.countedQuantities.map((c) => [c.itemId, c.quantity]));
      const countedIds = [...counted.keys()].sort();
      if (countedIds.join() !== [...transfer.itemIds].sort().join() || counted.size !== d.countedQuantities.length) {
        throw violation('count-every-item', 'invalid', `count each item of the transfer once: ${transfer.itemIds.join(', ')}`, 'countedQuantities');
      }
      d.countedQuantities.forEach((c, i) => {
        if (!Number.isSafeInteger(c.quantity) || c.quantity < 0) {
          throw violation('not-a-non-negative-integer', 'invalid', 'a counted quantity is a whole number, zero or more', `countedQuantities[${i}].quantity`);
        }
      });
      const reported = new Map(d.seals.map((seal) => [seal.number, seal.condition]));
      if (reported.size !== d.seals.length) throw violation('seal-listed-twice', 'invalid', 'report each seal once', 'seals');
      const unreported = transfer.sealNumbers.filter((seal) => !reported.has(seal));
      if (unreported.length > 0) {
        throw violation('report-every-seal', 'invalid', `say what you found of seals ${unreported.join(', ')} (intact, broken or missing)`, 'seals');
      }
      const events: SeizureEvent[] = [
        {
          type: 'CustodyTransferAccepted',
          data: {
            transferId: transfer.transferId,
            itemIds: transfer.itemIds,
            from: transfer.from,
            to: transfer.to,
            seals: d.seals,
            countedQuantities: transfer.itemIds.map((itemId) => ({ itemId, quantity: counted.get(itemId) as number })),
            remarks: d.remarks,
          },
        },
      ];
      const notIntact = d.seals.filter((seal) => seal.condition !== 'intact');
      const unexpected = d.seals.filter((seal) => !transfer.sealNumbers.includes(seal.number));
      if (notIntact.length > 0 || unexpected.length > 0) {
        events.push({
          type: 'DiscrepancyRecorded',
          data: {
            kind: 'seals_broken',
            itemIds: transfer.itemIds,
            reference: transfer.transferId,
            expected: `seals ${transfer.sealNumbers.join(', ') || '(none listed)'} intact`,
            found: [
              ...notIntact.map((seal) => `${seal.number} ${seal.condition}`),
              ...unexpected.map((seal) => `${seal.number} found but not handed over`),
            ].join('; '),
            remarks: d.remarks,
          },
        });
      }
      const differing = transfer.itemIds.filter((id) => counted.get(id) !== s.items[id].quantity);
      if (differing.length > 0) {
        events.push({
          type: 'DiscrepancyRecorded',
          data: {
            kind: 'count_differs',
            itemIds: differing,
            reference: transfer.transferId,
            expected: differing.map((id) => `${id}: ${s.items[id].quantity} ${s.items[id].unit}`).join('; '),
            found: differing.map((id) => `${id}: ${counted.get(id)} ${s.items[id].unit}`).join('; '),
            remarks: d.remarks,
          },
        });
      }
      return events;
    }

    case 'RejectCustodyTransfer': {
      const s = requireRecorded(state, ctx);
      const d = command.data;
      const transfer = s.transfers[d.transferId];
      if (!transfer) throw violation('unknown-transfer', 'not_found', `transfer ${d.transferId} does not exist`);
      if (transfer.status !== 'open') throw violation('transfer-not-open', 'conflict', `transfer ${d.transferId} was already ${transfer.status}`);
      if (!isCustodian(actor, transfer.to)) {
        throw violation('not-the-recipient', 'forbidden', `only ${describe(transfer.to)} may reject this transfer`);
      }
      return [{ type: 'CustodyTransferRejected', data: { transferId: transfer.transferId, itemIds: transfer.itemIds, from: transfer.from, to: transfer.to, reason: d.reason } }];
    }

    case 'DepositCash': {
      const s = requireRecorded(state, ctx);
      const d = command.data;
      if (s.deposits[d.challanNumber]) throw violation('challan-already-recorded', 'conflict', `challan ${d.challanNumber} is already recorded`, 'challanNumber');
      const items = requireItems(s, d.itemIds);
      requireHeld(items, 'deposited');
      for (const item of items) {
        if (item.category !== 'cash') throw violation('only-cash-can-be-deposited', 'conflict', `item ${item.itemId} is ${item.category}, not cash`, 'itemIds');
        if (item.depositChallan) {
          throw violation('cash-already-deposited', 'conflict', `item ${item.itemId} was already deposited under challan ${item.depositChallan}`, 'itemIds');
        }
      }
      requireNotInTransit(items, 'deposited');
      requireHeldBy(actor, items);
      if (!positiveInteger(d.amountPaise)) throw violation('not-a-positive-integer', 'invalid', 'amountPaise must be a positive integer', 'amountPaise');
      requireDateNotAfter(d.depositedOn, now, 'depositedOn');
      const treasury: Custodian = { kind: 'treasury', id: d.treasury.id, name: d.treasury.name };
      const events: SeizureEvent[] = [
        { type: 'CashDeposited', data: { challanNumber: d.challanNumber, treasury, itemIds: d.itemIds, amountPaise: d.amountPaise, depositedOn: d.depositedOn } },
      ];
      const held = items.reduce((sum, i) => sum + i.quantity, 0);
      if (held !== d.amountPaise) {
        events.push({
          type: 'DiscrepancyRecorded',
          data: {
            kind: 'deposit_amount_differs',
            itemIds: d.itemIds,
            reference: d.challanNumber,
            expected: `${held} paise seized`,
            found: `${d.amountPaise} paise deposited`,
            remarks: 'the challan amount differs from the cash recorded in these items',
          },
        });
      }
      return events;
    }

    case 'ConfirmDeposit': {
      const s = requireRecorded(state, ctx);
      const d = command.data;
      const deposit = s.deposits[d.challanNumber];
      if (!deposit) throw violation('unknown-deposit', 'not_found', `no deposit under challan ${d.challanNumber}`);
      if (deposit.status === 'confirmed') throw violation('deposit-already-confirmed', 'conflict', `challan ${d.challanNumber} is already confirmed`);
      if (actor.unit !== deposit.treasury.id) {
        throw violation('not-the-receiving-treasury', 'forbidden', `only treasury ${deposit.treasury.id} may confirm this deposit`);
      }
      if (actor.sub === deposit.depositedBy) {
        throw violation('confirmer-made-the-deposit', 'forbidden', 'a deposit is confirmed by someone other than the person who made it');
      }
      if (!Number.isSafeInteger(d.confirmedAmountPaise) || d.confirmedAmountPaise < 0) {
        throw violation('not-a-non-negative-integer', 'invalid', 'confirmedAmountPaise must be a whole number of paise', 'confirmedAmountPaise');
      }
      const events: SeizureEvent[] = [
        {
          type: 'DepositConfirmed',
          data: { challanNumber: d.challanNumber, treasury: deposit.treasury, depositedAmountPaise: deposit.amountPaise, confirmedAmountPaise: d.confirmedAmountPaise, remarks: d.remarks },
        },
      ];
      if (d.confirmedAmountPaise !== deposit.amountPaise) {
        events.push({
          type: 'DiscrepancyRecorded',
          data: {
            kind: 'deposit_amount_differs',
            itemIds: deposit.itemIds,
            reference: d.challanNumber,
            expected: `${deposit.amountPaise} paise deposited`,
            found: `${d.confirmedAmountPaise} paise confirmed by the treasury`,
            remarks: d.remarks,
          },
        });
      }
      return events;
    }

    case 'ReferToIncomeTax': {
      const s = requireRecorded(state, ctx);
      if (s.incomeTax.referenceNumber) {
        throw violation('already-referred-to-income-tax', 'conflict', `already referred under ${s.incomeTax.referenceNumber}`);
      }
      const d = command.data;
      return [{ type: 'ReferredToIncomeTax', data: { referenceNumber: d.referenceNumber, office: d.office, cashTotalPaise: cashTotalPaise(s), remarks: d.remarks } }];
    }

    case 'ClearIncomeTax': {
      const s = requireRecorded(state, ctx);
      if (!s.incomeTax.referenceNumber) throw violation('not-referred-to-income-tax', 'conflict', 'the seizure has not been referred to Income Tax');
      if (s.incomeTax.cleared) throw violation('income-tax-already-cleared', 'conflict', 'Income Tax has already cleared this seizure');
      if (actor.agency !== 'income_tax') {
        throw violation('not-income-tax', 'forbidden', 'only an Income Tax officer may record an Income Tax clearance');
      }
      const d = command.data;
      return [{ type: 'IncomeTaxCleared', data: { referenceNumber: s.incomeTax.referenceNumber, clearanceNumber: d.clearanceNumber, remarks: d.remarks } }];
    }

    case 'RegisterFir': {
      const s = requireRecorded(state, ctx);
      if (s.fir) throw violation('fir-already-registered', 'conflict', `FIR ${s.fir.firNumber} is already registered`);
      requireDateNotAfter(command.data.registeredOn, now, 'registeredOn');
      return [{ type: 'FirRegistered', data: command.data }];
    }

    case 'OrderRelease': {
      const s = requireRecorded(state, ctx);
      const d = command.data;
      const authority: ReleaseAuthority | null = actor.roles.includes('court') ? 'court' : actor.roles.includes('committee') ? 'dgc' : null;
      if (!authority) throw violation('not-a-release-authority', 'forbidden', 'only the District Grievance Committee or a court orders a release');
      if (s.fir && authority !== 'court') {
        throw violation('court-order-required', 'conflict', `FIR ${s.fir.firNumber} is registered: only a court may order release`);
      }
      if (s.releaseOrders[d.orderNumber]) throw violation('order-already-recorded', 'conflict', `order ${d.orderNumber} is already recorded`, 'orderNumber');
      const items = requireItems(s, d.itemIds);
      requireHeld(items, 'released');
      requireIncomeTaxClearanceForCash(s, items);
      requireDateNotAfter(d.orderedOn, now, 'orderedOn');
      return [{ type: 'ReleaseOrdered', data: { ...d, authority } }];
    }

    case 'ReleaseItems': {
      const s = requireRecorded(state, ctx);
      const d = command.data;
      const order = s.releaseOrders[d.orderNumber];
      if (!order) throw violation('release-order-required', 'conflict', `no release order ${d.orderNumber} is recorded for this seizure`, 'orderNumber');
      const items = requireItems(s, d.itemIds);
      const notOrdered = d.itemIds.filter((id) => !order.itemIds.includes(id));
      if (notOrdered.length > 0) throw violation('item-not-in-order', 'conflict', `order ${d.orderNumber} does not release ${notOrdered.join(', ')}`, 'itemIds');
      requireHeld(items, 'released');
      requireNotInTransit(items, 'released');
      if (s.fir && order.authority !== 'court') {
        throw violation('court-order-required', 'conflict', `FIR ${s.fir.firNumber} is registered: only a court order releases`);
      }
      requireIncomeTaxClearanceForCash(s, items);
      if (!d.identityChecked) throw violation('identity-not-checked', 'invalid', "the recipient's identity must be checked before release", 'identityChecked');
      requireNamedRecipient(order, d.releasedTo);
      const releasedBy = requireHeldBy(actor, items);
      return [
        {
          type: 'ItemsReleased',
          data: { orderNumber: d.orderNumber, itemIds: d.itemIds, releasedTo: d.releasedTo, identityChecked: true, releasedBy, remarks: d.remarks },
        },
      ];
    }

    case 'DisposeItems': {
      const s = requireRecorded(state, ctx);
      const d = command.data;
      const authority: DisposalAuthority | null = actor.roles.includes('court')
        ? 'court'
        : actor.roles.includes('committee')
          ? 'drug_disposal_committee'
          : null;
      if (!authority) throw violation('disposal-order-required', 'forbidden', 'disposal needs an order of a court or the drug disposal committee');
      if (d.orderNumber.trim() === '') throw violation('disposal-order-required', 'invalid', 'disposal needs the number of its order', 'orderNumber');
      if (s.fir && authority !== 'court') {
        throw violation('court-order-required', 'conflict', `FIR ${s.fir.firNumber} is registered: only a court may order disposal`);
      }
      const items = requireItems(s, d.itemIds);
      if (authority === 'drug_disposal_committee') {
        const notDrugs = items.filter((i) => i.category !== 'drugs');
        if (notDrugs.length > 0) {
          throw violation('court-order-required', 'conflict', `the drug disposal committee disposes of drugs only; ${notDrugs.map((i) => i.itemId).join(', ')} need a court order`);
        }
      }
      requireHeld(items, 'disposed of');
      requireNotInTransit(items, 'disposed of');
      requireDateNotAfter(d.orderedOn, now, 'orderedOn');
      return [{ type: 'ItemsDisposed', data: { ...d, authority } }];
    }

    case 'AddAttachment': {
      requireRecorded(state, ctx);
      return [{ type: 'AttachmentAdded', data: command.data }];
    }

    case 'RecordCorrection': {
      const s = requireRecorded(state, ctx);
      const d = command.data;
      const target = s.events[d.correctsEventId];
      if (!target) throw violation('unknown-event', 'not_found', `event ${d.correctsEventId} is not part of this seizure`, 'correctsEventId');
      if (target.type === 'CorrectionRecorded') throw violation('correct-the-original', 'invalid', 'correct the original event, not a correction', 'correctsEventId');
      if (target.actorSub !== actor.sub && !actor.roles.includes('admin')) {
        throw violation('not-the-author', 'forbidden', 'only the person who recorded an event, or an administrator, may record a correction to it');
      }
      return [{ type: 'CorrectionRecorded', data: { ...d, correctsEventType: target.type } }];
    }

    default: {
      const unknown: never = command;
      throw violation('unknown-command', 'invalid', `unknown command ${(unknown as { type: string }).type}`);
    }
  }
}
