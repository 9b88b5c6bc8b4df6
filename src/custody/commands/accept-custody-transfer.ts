import type { Cmd, CommandContext } from '../command-context';
import { violation } from '../errors';
import type { SeizureEvent } from '../events';
import { requireOpenTransferTo, requireRecorded } from '../rules';
import type { RecordedSeizure, SeizureState, TransferState } from '../state';
import type { SealCheck } from '../values';

export type AcceptCustodyTransfer = Cmd<
  'AcceptCustodyTransfer',
  { transferId: string; seals: SealCheck[]; countedQuantities: Array<{ itemId: string; quantity: number }>; remarks: string }
>;

/**
 * The named recipient takes custody, saying what it found of every seal and counting every item.
 * Broken seals and differing counts do not stop the handover: they are recorded as discrepancies.
 */
export function decideAcceptCustodyTransfer(command: AcceptCustodyTransfer, state: SeizureState, ctx: CommandContext): SeizureEvent[] {
  const s = requireRecorded(state, ctx);
  const d = command.data;
  const transfer = requireOpenTransferTo(s, d.transferId, ctx.actor, 'accept');
  const counted = new Map(d.countedQuantities.map((c) => [c.itemId, c.quantity]));
  const countedIds = [...counted.keys()].sort();
  if (countedIds.join() !== [...transfer.itemIds].sort().join() || counted.size !== d.countedQuantities.length) {
    throw violation(
      'count-every-item',
      'invalid',
      `count each item of the transfer once: ${transfer.itemIds.join(', ')}`,
      'countedQuantities',
    );
  }
  d.countedQuantities.forEach((c, i) => {
    if (!Number.isSafeInteger(c.quantity) || c.quantity < 0) {
      throw violation(
        'not-a-non-negative-integer',
        'invalid',
        'a counted quantity is a whole number, zero or more',
        `countedQuantities[${i}].quantity`,
      );
    }
  });
  const reported = new Map(d.seals.map((seal) => [seal.number, seal.condition]));
  if (reported.size !== d.seals.length) throw violation('seal-listed-twice', 'invalid', 'report each seal once', 'seals');
  const unreported = transfer.sealNumbers.filter((seal) => !reported.has(seal));
  if (unreported.length > 0) {
    throw violation(
      'report-every-seal',
      'invalid',
      `say what you found of seals ${unreported.join(', ')} (intact, broken or missing)`,
      'seals',
    );
  }
  const accepted: SeizureEvent = {
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
  };
  return [accepted, ...discrepancies(s, transfer, d.seals, counted, d.remarks)];
}

/** What the recipient found that differs from what was handed over: seals not intact or not handed over, counts that differ. */
function discrepancies(
  s: RecordedSeizure,
  transfer: TransferState,
  seals: SealCheck[],
  counted: Map<string, number>,
  remarks: string,
): SeizureEvent[] {
  const events: SeizureEvent[] = [];
  const notIntact = seals.filter((seal) => seal.condition !== 'intact');
  const unexpected = seals.filter((seal) => !transfer.sealNumbers.includes(seal.number));
  if (notIntact.length > 0 || unexpected.length > 0) {
    const found = [
      ...notIntact.map((seal) => `${seal.number} ${seal.condition}`),
      ...unexpected.map((seal) => `${seal.number} found but not handed over`),
    ];
    const expected = `seals ${transfer.sealNumbers.join(', ') || '(none listed)'} intact`;
    events.push({
      type: 'DiscrepancyRecorded',
      data: { kind: 'seals_broken', itemIds: transfer.itemIds, reference: transfer.transferId, expected, found: found.join('; '), remarks },
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
        remarks,
      },
    });
  }
  return events;
}
