import { bilingual, h } from '../dom';
import { parseList, uuid } from '../format';
import { field, FormReader, group, onSubmit, submitButton } from '../forms';
import { checkedIn, custodianOptions, itemChoices, type ActionForm, type ActionScope, type Item } from './common';

/** Until the user edits the seals, they follow the chosen items: the seals those items bear. */
function sealsFollowChoices(seals: HTMLElement, choices: HTMLFieldSetElement, movable: readonly Item[]): void {
  const sealInput = seals.querySelector('input') as HTMLInputElement;
  let sealsEdited = false;
  sealInput.addEventListener('input', () => (sealsEdited = true));
  choices.addEventListener('change', () => {
    if (sealsEdited) return;
    const chosen = checkedIn(choices);
    sealInput.value = movable
      .filter((i) => chosen.includes(i.itemId))
      .flatMap((i) => i.sealNumbers)
      .join(', ');
  });
}

function recipientGroup(): HTMLFieldSetElement {
  return group(
    'To whom',
    'to',
    field({ name: 'to.kind', label: 'Kind of custodian', type: 'select', options: custodianOptions, value: 'malkhana', required: true }),
    field({ name: 'to.id', label: 'Unit id (or user id for a person)', hint: 'e.g. TR-VNS, MK-VNS', required: true, spellcheck: false }),
    field({ name: 'to.name', label: 'Name', hint: 'e.g. District Treasury Varanasi', required: true }),
  );
}

function buildTransferForm({ movable, post }: ActionScope): HTMLFormElement {
  const seals = field({
    name: 'sealNumbers',
    label: 'Seals handed over',
    hint: 'Comma-separated; filled from the chosen items, change if resealed.',
    spellcheck: false,
  });
  const choices = itemChoices('Items to hand over', 'itemIds', movable);
  sealsFollowChoices(seals, choices, movable);
  const form = h(
    'form',
    null,
    choices,
    recipientGroup(),
    seals,
    field({ name: 'reason', label: 'Reason', type: 'textarea', required: true }),
    submitButton(bilingual('Start transfer', 'हस्तांतरण शुरू करें')),
  );
  onSubmit(form, async () => {
    const r = new FormReader(form);
    const body = {
      transferId: uuid(),
      itemIds: r.checkedValues('itemIds'),
      to: { kind: r.text('to.kind'), id: r.text('to.id'), name: r.text('to.name') },
      sealNumbers: parseList(r.text('sealNumbers')),
      reason: r.text('reason'),
    };
    if (body.itemIds.length === 0) r.problem('itemIds', 'choose at least one item');
    r.done();
    await post('initiateTransfer', body, `Transfer to ${body.to.name} started; it waits for their acceptance`);
  });
  return form;
}

export const transferAction: ActionForm = {
  action: 'initiateTransfer',
  title: ['Start a transfer', 'हस्तांतरण शुरू करें'],
  applies: ({ movable }) => movable.length > 0,
  build: buildTransferForm,
};
