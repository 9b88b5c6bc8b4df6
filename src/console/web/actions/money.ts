import { bilingual, h } from '../dom';
import { rupees, todayIst } from '../format';
import { field, FormReader, group, onSubmit, submitButton } from '../forms';
import { checkedIn, itemChoices, type ActionForm, type ActionScope, type Item } from './common';

// The value of what is held, and cash on its way into and through the treasury.

function buildValuationForm({ valuable: items, post }: ActionScope): HTMLFormElement {
  const form = h(
    'form',
    null,
    field({
      name: 'valuations[0].itemId',
      label: 'Item',
      type: 'select',
      required: true,
      options: items.map((i) => ({ value: i.itemId, label: `${i.itemId}: ${i.description} (now ${rupees(i.valuePaise)})` })),
    }),
    field({ name: 'valuations[0].valuePaise', label: 'New value (₹)', inputmode: 'decimal', required: true }),
    field({ name: 'basis', label: 'Basis of valuation', hint: 'e.g. MRP, assay report, market rate', required: true }),
    field({ name: 'reason', label: 'Reason for the new value', type: 'textarea', required: true }),
    submitButton('Record valuation'),
  );
  onSubmit(form, async () => {
    const r = new FormReader(form);
    const body = {
      valuations: [{ itemId: r.text('valuations[0].itemId'), valuePaise: r.rupees('valuations[0].valuePaise') }],
      basis: r.text('basis'),
      reason: r.text('reason'),
    };
    r.done();
    await post('valueItems', body, 'Valuation recorded');
  });
  return form;
}

/** The challan's amount follows the cash items chosen: their sum, in rupees. */
function amountFollowsChoices(amount: HTMLElement, choices: HTMLFieldSetElement, cash: readonly Item[]): void {
  const amountInput = amount.querySelector('input') as HTMLInputElement;
  choices.addEventListener('change', () => {
    const chosen = checkedIn(choices);
    const paise = cash.filter((i) => chosen.includes(i.itemId)).reduce((sum, i) => sum + i.quantity, 0);
    amountInput.value = paise > 0 ? rupees(paise).slice(1) : '';
  });
}

function buildDepositForm({ cashToDeposit, post }: ActionScope): HTMLFormElement {
  const amount = field({ name: 'amountPaise', label: 'Amount on the challan (₹)', inputmode: 'decimal', required: true });
  const choices = itemChoices('Cash items deposited', 'itemIds', cashToDeposit);
  amountFollowsChoices(amount, choices, cashToDeposit);
  const form = h(
    'form',
    null,
    choices,
    field({ name: 'challanNumber', label: 'Challan number', required: true, spellcheck: false }),
    group(
      bilingual('Treasury', 'कोषागार'),
      'treasury',
      field({ name: 'treasury.id', label: 'Treasury id', hint: 'e.g. TR-VNS', required: true, spellcheck: false }),
      field({ name: 'treasury.name', label: 'Treasury name', required: true }),
    ),
    amount,
    field({ name: 'depositedOn', label: 'Deposited on', type: 'date', value: todayIst(), required: true }),
    submitButton(bilingual('Record deposit', 'जमा दर्ज करें')),
  );
  onSubmit(form, async () => {
    const r = new FormReader(form);
    const body = {
      challanNumber: r.text('challanNumber'),
      treasury: { id: r.text('treasury.id'), name: r.text('treasury.name') },
      itemIds: r.checkedValues('itemIds'),
      amountPaise: r.rupees('amountPaise'),
      depositedOn: r.text('depositedOn'),
    };
    if (body.itemIds.length === 0) r.problem('itemIds', 'choose the cash items deposited');
    r.done();
    await post('depositCash', body, `Deposit under challan ${body.challanNumber} recorded; the treasury confirms it`);
  });
  return form;
}

function buildConfirmationForm({ pendingDeposits, post }: ActionScope): HTMLFormElement {
  const form = h(
    'form',
    null,
    field({
      name: 'challanNumber',
      label: 'Challan',
      type: 'select',
      required: true,
      options: pendingDeposits.map((d) => ({ value: d.challanNumber, label: `${d.challanNumber}: ${rupees(d.amountPaise)} deposited` })),
    }),
    field({
      name: 'confirmedAmountPaise',
      label: 'Amount credited (₹)',
      hint: 'As counted and credited by the treasury.',
      inputmode: 'decimal',
      required: true,
    }),
    field({ name: 'remarks', label: 'Remarks', type: 'textarea' }),
    submitButton(bilingual('Confirm deposit', 'पुष्टि करें')),
  );
  onSubmit(form, async () => {
    const r = new FormReader(form);
    const challanNumber = r.text('challanNumber');
    const body = { confirmedAmountPaise: r.rupees('confirmedAmountPaise'), remarks: r.text('remarks') };
    r.done();
    await post('confirmDeposit', body, `Deposit ${challanNumber} confirmed`, { challanNumber });
  });
  return form;
}

export const valuationAction: ActionForm = {
  action: 'valueItems',
  title: ['Value items', 'मूल्यांकन'],
  applies: ({ valuable }) => valuable.length > 0,
  build: buildValuationForm,
};

export const depositAction: ActionForm = {
  action: 'depositCash',
  title: ['Deposit cash', 'नकद जमा करें'],
  applies: ({ cashToDeposit }) => cashToDeposit.length > 0,
  build: buildDepositForm,
};

export const confirmDepositAction: ActionForm = {
  action: 'confirmDeposit',
  title: ['Confirm a deposit', 'जमा की पुष्टि'],
  applies: ({ pendingDeposits }) => pendingDeposits.length > 0,
  build: buildConfirmationForm,
};
