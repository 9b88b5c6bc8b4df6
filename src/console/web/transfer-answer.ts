import type { CommandOutcome } from '../../custody/handle-command';
import type { Custodian, QuantityUnit } from '../../custody/values';
import type { AppContext } from './app';
import { bilingual, h } from './dom';
import { quantity } from './format';
import { field, FormReader, group, onSubmit, submitButton } from './forms';
import { actionPath } from './permissions';

/** What the recipient needs to answer a transfer. */
export interface TransferToAnswer {
  seizureId: string;
  transferId: string;
  itemIds: readonly string[];
  sealNumbers: readonly string[];
  from: Custodian;
}

export interface ItemFacts {
  description: string;
  quantity: number;
  unit: QuantityUnit;
}

/** A short account of what a command recorded, e.g. a discrepancy found on acceptance. */
export function outcomeText(outcome: CommandOutcome, done: string): string {
  const discrepancies = outcome.events.filter((e) => e.type === 'DiscrepancyRecorded').length;
  return discrepancies > 0 ? `${done}, with ${discrepancies} discrepanc${discrepancies === 1 ? 'y' : 'ies'} recorded.` : `${done}.`;
}

/**
 * Accepting: the recipient says what they found of every seal and counts every item (cash in
 * rupees, the rest in its base unit). The server compares both with what was handed over and
 * records any difference as a discrepancy; custody moves only now.
 */
export function acceptForm(
  transfer: TransferToAnswer,
  items: ReadonlyMap<string, ItemFacts>,
  context: AppContext,
  done: () => void,
): HTMLFormElement {
  const form = h(
    'form',
    { class: 'answer-form', 'aria-label': `Accept transfer ${transfer.transferId}` },
    transfer.sealNumbers.length > 0
      ? group(
          'Seals handed over: what did you find?',
          'seals',
          transfer.sealNumbers.map((seal, i) =>
            field({
              name: `seals[${i}].condition`,
              label: `Seal ${seal}`,
              type: 'select',
              value: '',
              required: true,
              options: [
                { value: '', label: 'Choose…' },
                { value: 'intact', label: 'Intact' },
                { value: 'broken', label: 'Broken' },
                { value: 'missing', label: 'Missing' },
              ],
            }),
          ),
        )
      : h('p', null, 'No seals were listed for this handover.'),
    group(
      'Count what you received',
      'countedQuantities',
      transfer.itemIds.map((itemId, i) => {
        const item = items.get(itemId);
        const cash = item?.unit === 'paise';
        return field({
          name: `countedQuantities[${i}].quantity`,
          label: `${itemId}${item ? `: ${item.description}` : ''} — ${cash ? 'amount (₹)' : `quantity (${item?.unit ?? 'base unit'})`}`,
          hint: item ? `Recorded: ${quantity(item.quantity, item.unit)}` : undefined,
          inputmode: cash ? 'decimal' : 'numeric',
          required: true,
        });
      }),
    ),
    field({ name: 'remarks', label: 'Remarks', type: 'textarea', hint: 'How it was counted, the state of the packages; optional.' }),
    submitButton(bilingual('Accept custody', 'अभिरक्षा स्वीकार करें')),
  );
  onSubmit(form, async () => {
    const reader = new FormReader(form);
    const seals = transfer.sealNumbers.map((number, i) => {
      const condition = reader.text(`seals[${i}].condition`);
      if (condition === '') reader.problem(`seals[${i}].condition`, 'say whether the seal is intact, broken or missing');
      return { number, condition };
    });
    const countedQuantities = transfer.itemIds.map((itemId, i) => {
      const name = `countedQuantities[${i}].quantity`;
      return { itemId, quantity: items.get(itemId)?.unit === 'paise' ? reader.rupees(name) : reader.whole(name) };
    });
    reader.done();
    const outcome = await context.api.post<CommandOutcome>(
      actionPath('acceptTransfer', { seizureId: transfer.seizureId, transferId: transfer.transferId }),
      {
        seals,
        countedQuantities,
        remarks: reader.text('remarks'),
      },
    );
    context.notify(outcomeText(outcome, `Custody accepted from ${transfer.from.name}`));
    done();
  });
  return form;
}

/** Rejecting: the items stay with the sender; the reason is recorded. */
export function rejectForm(transfer: TransferToAnswer, context: AppContext, done: () => void): HTMLFormElement {
  const form = h(
    'form',
    { class: 'answer-form', 'aria-label': `Reject transfer ${transfer.transferId}` },
    field({ name: 'reason', label: 'Why do you refuse it?', type: 'textarea', required: true }),
    submitButton(bilingual('Reject transfer', 'अस्वीकार करें')),
  );
  onSubmit(form, async () => {
    const reader = new FormReader(form);
    await context.api.post<CommandOutcome>(
      actionPath('rejectTransfer', { seizureId: transfer.seizureId, transferId: transfer.transferId }),
      { reason: reader.text('reason') },
    );
    context.notify(`Transfer rejected; the items stay with ${transfer.from.name}.`);
    done();
  });
  return form;
}
