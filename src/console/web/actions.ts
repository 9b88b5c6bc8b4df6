import type { SeizureView } from '../../custody/http/seizure-view';
import type { CommandOutcome } from '../../custody/handle-command';
import { CUSTODIAN_KINDS } from '../../custody/values';
import type { Actor } from '../../shared/actor';
import type { AppContext } from './app';
import { bilingual, h, uniqueId, type Child } from './dom';
import { parseList, quantity, rupees, todayIst, uuid } from './format';
import { field, FormReader, group, onSubmit, submitButton, type Option } from './forms';
import { CATEGORY_LABELS, CUSTODIAN_KIND_LABELS } from './labels';
import { actionPath, may, type ActionId } from './permissions';
import { outcomeText } from './transfer-answer';

type Item = SeizureView['items'][number];

/**
 * The commands a user may give on one seizure, each a form, offered only to the roles the API
 * allows (permissions.ts) and only where the seizure gives it something to act on (a deposit to
 * confirm needs a pending deposit). Every other rule is the server's: its answer is shown at the
 * field it concerns.
 */

interface ActionForm {
  action: ActionId;
  title: Child;
  build(): HTMLFormElement;
}

const held = (items: readonly Item[]): Item[] => items.filter((i) => i.disposition === 'held');

/** Checkboxes for items, named `name` (the API's list field), errors for the list shown on the group. */
function itemChoices(legend: string, name: string, items: readonly Item[], checked: (item: Item) => boolean = () => false): HTMLFieldSetElement {
  return group(
    legend,
    name,
    items.length === 0
      ? h('p', null, 'No item qualifies.')
      : items.map((item) => {
          const id = uniqueId('item');
          return h(
            'div',
            { class: 'field field-checkbox' },
            h('input', { type: 'checkbox', id, name, value: item.itemId, checked: checked(item) }),
            h('label', { for: id }, `${item.itemId}: ${item.description} (${CATEGORY_LABELS[item.category].en}, ${quantity(item.quantity, item.unit)})`),
          );
        }),
  );
}

function idDocumentFields(prefix: string, required: boolean): HTMLElement[] {
  return [
    field({ name: `${prefix}.idDocument.type`, label: 'Identity document', hint: 'e.g. aadhaar, voter id, passport', required, spellcheck: false }),
    field({ name: `${prefix}.idDocument.number`, label: 'Document number', required, spellcheck: false }),
  ];
}

function idDocument(reader: FormReader, prefix: string): { type: string; number: string } | undefined {
  const type = reader.optional(`${prefix}.idDocument.type`);
  const number = reader.optional(`${prefix}.idDocument.number`);
  return type === undefined && number === undefined ? undefined : { type: type ?? '', number: number ?? '' };
}

const custodianOptions: Option[] = CUSTODIAN_KINDS.map((kind) => ({ value: kind, label: `${CUSTODIAN_KIND_LABELS[kind].en} · ${CUSTODIAN_KIND_LABELS[kind].hi}` }));

export function seizureActions(view: SeizureView, actor: Actor, context: AppContext, refresh: () => void): HTMLElement | null {
  const seizureId = view.seizureId;
  const post = async (action: ActionId, body: unknown, done: string, params: Record<string, string> = {}): Promise<void> => {
    const outcome = await context.api.post<CommandOutcome>(actionPath(action, { seizureId, ...params }), body);
    context.notify(outcomeText(outcome, done));
    refresh();
  };
  const movable = held(view.items).filter((i) => i.openTransferId === null);
  const cashToDeposit = movable.filter((i) => i.category === 'cash' && i.depositChallan === null);
  const pendingDeposits = view.deposits.filter((d) => d.status === 'pending' && d.treasury.id === actor.unit);
  const orders = view.releaseOrders.filter((o) => o.itemIds.some((id) => view.items.find((i) => i.itemId === id)?.disposition === 'held'));

  const forms: ActionForm[] = [
    {
      action: 'initiateTransfer',
      title: bilingual('Start a transfer', 'हस्तांतरण शुरू करें'),
      build() {
        const seals = field({ name: 'sealNumbers', label: 'Seals handed over', hint: 'Comma-separated; filled from the chosen items, change if resealed.', spellcheck: false });
        const sealInput = seals.querySelector('input') as HTMLInputElement;
        let sealsEdited = false;
        sealInput.addEventListener('input', () => (sealsEdited = true));
        const choices = itemChoices('Items to hand over', 'itemIds', movable);
        choices.addEventListener('change', () => {
          if (sealsEdited) return;
          const chosen = Array.from(choices.querySelectorAll<HTMLInputElement>('input:checked')).map((box) => box.value);
          sealInput.value = movable.filter((i) => chosen.includes(i.itemId)).flatMap((i) => i.sealNumbers).join(', ');
        });
        const form = h(
          'form',
          null,
          choices,
          group(
            'To whom',
            'to',
            field({ name: 'to.kind', label: 'Kind of custodian', type: 'select', options: custodianOptions, value: 'malkhana', required: true }),
            field({ name: 'to.id', label: 'Unit id (or user id for a person)', hint: 'e.g. TR-VNS, MK-VNS', required: true, spellcheck: false }),
            field({ name: 'to.name', label: 'Name', hint: 'e.g. District Treasury Varanasi', required: true }),
          ),
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
      },
    },
    {
      action: 'valueItems',
      title: bilingual('Value items', 'मूल्यांकन'),
      build() {
        const valuable = held(view.items).filter((i) => i.category !== 'cash');
        const form = h(
          'form',
          null,
          field({ name: 'valuations[0].itemId', label: 'Item', type: 'select', required: true, options: valuable.map((i) => ({ value: i.itemId, label: `${i.itemId}: ${i.description} (now ${rupees(i.valuePaise)})` })) }),
          field({ name: 'valuations[0].valuePaise', label: 'New value (₹)', inputmode: 'decimal', required: true }),
          field({ name: 'basis', label: 'Basis of valuation', hint: 'e.g. MRP, assay report, market rate', required: true }),
          field({ name: 'reason', label: 'Reason for the new value', type: 'textarea', required: true }),
          submitButton('Record valuation'),
        );
        onSubmit(form, async () => {
          const r = new FormReader(form);
          const body = { valuations: [{ itemId: r.text('valuations[0].itemId'), valuePaise: r.rupees('valuations[0].valuePaise') }], basis: r.text('basis'), reason: r.text('reason') };
          r.done();
          await post('valueItems', body, 'Valuation recorded');
        });
        return form;
      },
    },
    {
      action: 'depositCash',
      title: bilingual('Deposit cash', 'नकद जमा करें'),
      build() {
        const amount = field({ name: 'amountPaise', label: 'Amount on the challan (₹)', inputmode: 'decimal', required: true });
        const amountInput = amount.querySelector('input') as HTMLInputElement;
        const choices = itemChoices('Cash items deposited', 'itemIds', cashToDeposit);
        choices.addEventListener('change', () => {
          const chosen = Array.from(choices.querySelectorAll<HTMLInputElement>('input:checked')).map((box) => box.value);
          const paise = cashToDeposit.filter((i) => chosen.includes(i.itemId)).reduce((sum, i) => sum + i.quantity, 0);
          amountInput.value = paise > 0 ? rupees(paise).slice(1) : '';
        });
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
      },
    },
    {
      action: 'confirmDeposit',
      title: bilingual('Confirm a deposit', 'जमा की पुष्टि'),
      build() {
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
          field({ name: 'confirmedAmountPaise', label: 'Amount credited (₹)', hint: 'As counted and credited by the treasury.', inputmode: 'decimal', required: true }),
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
      },
    },
    {
      action: 'referToIncomeTax',
      title: bilingual('Refer to Income Tax', 'आयकर को संदर्भित करें'),
      build() {
        const form = h(
          'form',
          null,
          field({ name: 'referenceNumber', label: 'Reference number', required: true, spellcheck: false }),
          field({ name: 'office', label: 'Income Tax office', hint: 'e.g. Income Tax nodal officer, Varanasi', required: true }),
          field({ name: 'remarks', label: 'Remarks', type: 'textarea' }),
          submitButton('Record referral'),
        );
        onSubmit(form, async () => {
          const r = new FormReader(form);
          await post('referToIncomeTax', { referenceNumber: r.text('referenceNumber'), office: r.text('office'), remarks: r.text('remarks') }, 'Referral to Income Tax recorded');
        });
        return form;
      },
    },
    {
      action: 'clearIncomeTax',
      title: bilingual('Income Tax clearance', 'आयकर अनापत्ति'),
      build() {
        const form = h(
          'form',
          null,
          field({ name: 'clearanceNumber', label: 'Clearance number', required: true, spellcheck: false }),
          field({ name: 'remarks', label: 'Remarks', type: 'textarea' }),
          submitButton('Record clearance'),
        );
        onSubmit(form, async () => {
          const r = new FormReader(form);
          await post('clearIncomeTax', { clearanceNumber: r.text('clearanceNumber'), remarks: r.text('remarks') }, 'Income Tax clearance recorded');
        });
        return form;
      },
    },
    {
      action: 'registerFir',
      title: bilingual('Register an FIR', 'प्राथमिकी दर्ज करें'),
      build() {
        const form = h(
          'form',
          null,
          field({ name: 'firNumber', label: 'FIR number', required: true, spellcheck: false }),
          field({ name: 'policeStation', label: 'Police station', required: true }),
          field({ name: 'registeredOn', label: 'Registered on', type: 'date', value: todayIst(), required: true }),
          field({ name: 'sections', label: 'Sections', hint: 'Comma-separated, e.g. 60 UP Excise Act', required: false }),
          submitButton('Record FIR'),
        );
        onSubmit(form, async () => {
          const r = new FormReader(form);
          await post('registerFir', { firNumber: r.text('firNumber'), policeStation: r.text('policeStation'), registeredOn: r.text('registeredOn'), sections: parseList(r.text('sections')) }, 'FIR recorded');
        });
        return form;
      },
    },
    {
      action: 'orderRelease',
      title: bilingual('Order release', 'मुक्ति आदेश'),
      build() {
        const form = h(
          'form',
          null,
          itemChoices('Items to release', 'itemIds', held(view.items)),
          field({ name: 'orderNumber', label: 'Order number', required: true, spellcheck: false }),
          field({ name: 'orderedOn', label: 'Ordered on', type: 'date', value: todayIst(), required: true }),
          group('Release to', 'releaseTo', field({ name: 'releaseTo.name', label: 'Name', required: true }), idDocumentFields('releaseTo', false)),
          field({ name: 'reasons', label: 'Reasons (a speaking order)', type: 'textarea', rows: 5, hint: 'At least 20 characters: why the seizure is released.', required: true }),
          submitButton(bilingual('Record release order', 'आदेश दर्ज करें')),
        );
        onSubmit(form, async () => {
          const r = new FormReader(form);
          const body = { orderNumber: r.text('orderNumber'), orderedOn: r.text('orderedOn'), itemIds: r.checkedValues('itemIds'), releaseTo: { name: r.text('releaseTo.name'), idDocument: idDocument(r, 'releaseTo') }, reasons: r.text('reasons') };
          if (body.itemIds.length === 0) r.problem('itemIds', 'choose the items to release');
          r.done();
          await post('orderRelease', body, `Release order ${body.orderNumber} recorded`);
        });
        return form;
      },
    },
    {
      action: 'releaseItems',
      title: bilingual('Release items', 'वस्तुएँ मुक्त करें'),
      build() {
        const orderedIds = new Set(orders.flatMap((o) => o.itemIds));
        const form = h(
          'form',
          null,
          field({ name: 'orderNumber', label: 'Under order', type: 'select', required: true, options: orders.map((o) => ({ value: o.orderNumber, label: `${o.orderNumber} (${o.authority === 'court' ? 'court' : 'DGC'}): ${o.itemIds.join(', ')}` })) }),
          itemChoices('Items handed back', 'itemIds', held(view.items).filter((i) => orderedIds.has(i.itemId))),
          group('Released to', 'releasedTo', field({ name: 'releasedTo.name', label: 'Name', required: true }), idDocumentFields('releasedTo', true)),
          field({ name: 'identityChecked', label: 'I checked the recipient’s identity against the document', type: 'checkbox' }),
          field({ name: 'remarks', label: 'Remarks', type: 'textarea' }),
          submitButton(bilingual('Record release', 'मुक्ति दर्ज करें')),
        );
        onSubmit(form, async () => {
          const r = new FormReader(form);
          const body = {
            orderNumber: r.text('orderNumber'),
            itemIds: r.checkedValues('itemIds'),
            releasedTo: { name: r.text('releasedTo.name'), idDocument: idDocument(r, 'releasedTo') ?? { type: '', number: '' } },
            identityChecked: r.checked('identityChecked'),
            remarks: r.text('remarks'),
          };
          if (body.itemIds.length === 0) r.problem('itemIds', 'choose the items handed back');
          r.done();
          await post('releaseItems', body, 'Release recorded');
        });
        return form;
      },
    },
    {
      action: 'disposeItems',
      title: bilingual('Order disposal', 'निस्तारण'),
      build() {
        const form = h(
          'form',
          null,
          itemChoices('Items to dispose of', 'itemIds', held(view.items)),
          field({ name: 'orderNumber', label: 'Order number', required: true, spellcheck: false }),
          field({ name: 'orderedOn', label: 'Ordered on', type: 'date', value: todayIst(), required: true }),
          field({ name: 'method', label: 'Method', type: 'select', required: true, options: [{ value: 'destroyed', label: 'Destroyed' }, { value: 'confiscated', label: 'Confiscated' }, { value: 'auctioned', label: 'Auctioned' }] }),
          field({ name: 'remarks', label: 'Remarks', type: 'textarea' }),
          submitButton(bilingual('Record disposal', 'निस्तारण दर्ज करें')),
        );
        onSubmit(form, async () => {
          const r = new FormReader(form);
          const body = { orderNumber: r.text('orderNumber'), orderedOn: r.text('orderedOn'), method: r.text('method'), itemIds: r.checkedValues('itemIds'), remarks: r.text('remarks') };
          if (body.itemIds.length === 0) r.problem('itemIds', 'choose the items to dispose of');
          r.done();
          await post('disposeItems', body, 'Disposal recorded');
        });
        return form;
      },
    },
  ];

  /** Where the seizure gives the action nothing to act on, it is not offered even to a role that may take it. */
  const applicable: Record<ActionId, boolean> = {
    recordSeizure: false,
    acceptTransfer: false,
    rejectTransfer: false,
    downloadEvidence: false,
    initiateTransfer: movable.length > 0,
    valueItems: held(view.items).some((i) => i.category !== 'cash'),
    depositCash: cashToDeposit.length > 0,
    confirmDeposit: pendingDeposits.length > 0,
    referToIncomeTax: view.incomeTax.referenceNumber === null,
    clearIncomeTax: view.incomeTax.referenceNumber !== null && !view.incomeTax.cleared && actor.agency === 'income_tax',
    registerFir: view.fir === null,
    orderRelease: held(view.items).length > 0,
    releaseItems: orders.length > 0,
    disposeItems: held(view.items).length > 0,
  };

  const offered = forms.filter((f) => may(actor.roles, f.action) && applicable[f.action]);
  if (offered.length === 0) return null;
  return h(
    'div',
    { class: 'action-list' },
    offered.map((f) => {
      const details = h('details', { class: 'action', 'data-action': f.action }, h('summary', null, f.title));
      // Built when opened: forms read the seizure as it is then, and closed ones cost nothing.
      details.addEventListener('toggle', () => {
        if (details.open && details.querySelector('form') === null) details.append(f.build());
      });
      return details;
    }),
  );
}
