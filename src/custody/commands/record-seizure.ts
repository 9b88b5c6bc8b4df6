import { inScope } from '../../shared/actor';
import type { Cmd, CommandContext } from '../command-context';
import { OutOfScope, violation } from '../errors';
import type { SeizureEvent, SeizureRecorded } from '../events';
import { positiveInteger, requireKnownPlace } from '../rules';
import type { SeizureState } from '../state';
import { UNITS_BY_CATEGORY, type SeizedItem } from '../values';

export const MIN_WITNESSES = 2;

/** Everything the event records except what the ledger supplies: the officer and agency (from the token), the first custodian, the places version. */
export type RecordSeizure = Cmd<
  'RecordSeizure',
  Omit<SeizureRecorded['data'], 'seizingOfficer' | 'custodian' | 'agency' | 'placesVersion'>
>;

export function decideRecordSeizure(command: RecordSeizure, state: SeizureState, ctx: CommandContext): SeizureEvent[] {
  const { actor, now } = ctx;
  const d = command.data;
  if (state.status === 'recorded') {
    // A field device retrying the same record gets a no-op; anything else is a clash of ids.
    if (state.memoNumber === d.memoNumber && state.seizingOfficerSub === actor.sub) return [];
    throw violation('seizure-already-recorded', 'conflict', `seizure ${d.seizureId} is already recorded`, 'seizureId');
  }
  const place = requireKnownPlace(d.location);
  if (!inScope(actor.scope, place)) throw OutOfScope();
  if (Date.parse(d.seizedAt) > Date.parse(now))
    throw violation('date-in-future', 'invalid', 'seizedAt cannot be in the future', 'seizedAt');
  if (d.witnesses.length < MIN_WITNESSES) {
    throw violation('too-few-witnesses', 'invalid', `a seizure memo needs at least ${MIN_WITNESSES} witnesses`, 'witnesses');
  }
  requireValidItems(d.items);
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

/** At least one item, each id once, counted in a unit of its category, in whole positive numbers; cash worth its amount. */
function requireValidItems(items: SeizedItem[]): void {
  if (items.length === 0) throw violation('no-items', 'invalid', 'a seizure holds at least one item', 'items');
  if (new Set(items.map((i) => i.itemId)).size !== items.length) {
    throw violation('item-listed-twice', 'invalid', 'item ids must be unique within a seizure', 'items');
  }
  items.forEach((item, i) => {
    const field = `items[${i}]`;
    if (!UNITS_BY_CATEGORY[item.category].includes(item.unit)) {
      throw violation(
        'unit-not-allowed',
        'invalid',
        `${item.category} is counted in ${UNITS_BY_CATEGORY[item.category].join(' or ')}`,
        `${field}.unit`,
      );
    }
    if (!positiveInteger(item.quantity))
      throw violation('not-a-positive-integer', 'invalid', 'quantity must be a positive integer', `${field}.quantity`);
    if (!positiveInteger(item.packages))
      throw violation('not-a-positive-integer', 'invalid', 'packages must be a positive integer', `${field}.packages`);
    if (!positiveInteger(item.estimatedValuePaise)) {
      throw violation(
        'not-a-positive-integer',
        'invalid',
        'estimatedValuePaise must be a positive integer',
        `${field}.estimatedValuePaise`,
      );
    }
    if (item.category === 'cash' && item.estimatedValuePaise !== item.quantity) {
      throw violation(
        'cash-value-differs',
        'invalid',
        'the value of cash is its amount: estimatedValuePaise must equal quantity',
        `${field}.estimatedValuePaise`,
      );
    }
  });
}
