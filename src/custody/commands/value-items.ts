import type { Cmd, CommandContext } from '../command-context';
import { violation } from '../errors';
import type { SeizureEvent } from '../events';
import { positiveInteger, requireHeld, requireHeldBy, requireItems, requireRecorded } from '../rules';
import type { SeizureState } from '../state';

export type ValueItems = Cmd<'ValueItems', { valuations: Array<{ itemId: string; valuePaise: number }>; basis: string; reason: string }>;

/** A new value supersedes the estimate; the event keeps the previous value beside it. */
export function decideValueItems(command: ValueItems, state: SeizureState, ctx: CommandContext): SeizureEvent[] {
  const s = requireRecorded(state, ctx);
  const d = command.data;
  const items = requireItems(
    s,
    d.valuations.map((v) => v.itemId),
    'valuations',
  );
  requireHeld(items, 'valued');
  // A value is vouched for by whoever holds the item and can see it, nobody else.
  requireHeldBy(ctx.actor, items);
  d.valuations.forEach((v, i) => {
    if (!positiveInteger(v.valuePaise)) {
      throw violation('not-a-positive-integer', 'invalid', 'valuePaise must be a positive integer', `valuations[${i}].valuePaise`);
    }
    if (items[i].category === 'cash' && v.valuePaise !== items[i].quantity) {
      throw violation(
        'cash-value-differs',
        'invalid',
        'the value of cash is its amount and cannot be revalued',
        `valuations[${i}].valuePaise`,
      );
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
