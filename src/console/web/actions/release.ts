import { bilingual, h } from '../dom';
import { todayIst } from '../format';
import { field, FormReader, group, onSubmit, submitButton } from '../forms';
import { idDocument, idDocumentFields, itemChoices, type ActionForm, type ActionScope } from './common';

// How held items leave custody: a release order, the release under it, or disposal.

function buildReleaseOrderForm({ orderable, post }: ActionScope): HTMLFormElement {
  const form = h(
    'form',
    null,
    itemChoices('Items to release', 'itemIds', orderable),
    field({ name: 'orderNumber', label: 'Order number', required: true, spellcheck: false }),
    field({ name: 'orderedOn', label: 'Ordered on', type: 'date', value: todayIst(), required: true }),
    group(
      'Release to',
      'releaseTo',
      field({ name: 'releaseTo.name', label: 'Name', required: true }),
      idDocumentFields('releaseTo', false),
    ),
    field({
      name: 'reasons',
      label: 'Reasons (a speaking order)',
      type: 'textarea',
      rows: 5,
      hint: 'At least 20 characters: why the seizure is released.',
      required: true,
    }),
    submitButton(bilingual('Record release order', 'आदेश दर्ज करें')),
  );
  onSubmit(form, async () => {
    const r = new FormReader(form);
    const body = {
      orderNumber: r.text('orderNumber'),
      orderedOn: r.text('orderedOn'),
      itemIds: r.checkedValues('itemIds'),
      releaseTo: { name: r.text('releaseTo.name'), idDocument: idDocument(r, 'releaseTo') },
      reasons: r.text('reasons'),
    };
    if (body.itemIds.length === 0) r.problem('itemIds', 'choose the items to release');
    r.done();
    await post('orderRelease', body, `Release order ${body.orderNumber} recorded`);
  });
  return form;
}

function buildReleaseForm({ orders, releasable, post }: ActionScope): HTMLFormElement {
  const form = h(
    'form',
    null,
    field({
      name: 'orderNumber',
      label: 'Under order',
      type: 'select',
      required: true,
      options: orders.map((o) => ({
        value: o.orderNumber,
        label: `${o.orderNumber} (${o.authority === 'court' ? 'court' : 'DGC'}): ${o.itemIds.join(', ')}`,
      })),
    }),
    itemChoices('Items handed back', 'itemIds', releasable),
    group(
      'Released to',
      'releasedTo',
      field({ name: 'releasedTo.name', label: 'Name', required: true }),
      idDocumentFields('releasedTo', true),
    ),
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
}

const DISPOSAL_METHODS = [
  { value: 'destroyed', label: 'Destroyed' },
  { value: 'confiscated', label: 'Confiscated' },
  { value: 'auctioned', label: 'Auctioned' },
];

function buildDisposalForm({ disposable, post }: ActionScope): HTMLFormElement {
  const form = h(
    'form',
    null,
    itemChoices('Items to dispose of', 'itemIds', disposable),
    field({ name: 'orderNumber', label: 'Order number', required: true, spellcheck: false }),
    field({ name: 'orderedOn', label: 'Ordered on', type: 'date', value: todayIst(), required: true }),
    field({ name: 'method', label: 'Method', type: 'select', required: true, options: DISPOSAL_METHODS }),
    field({ name: 'remarks', label: 'Remarks', type: 'textarea' }),
    submitButton(bilingual('Record disposal', 'निस्तारण दर्ज करें')),
  );
  onSubmit(form, async () => {
    const r = new FormReader(form);
    const body = {
      orderNumber: r.text('orderNumber'),
      orderedOn: r.text('orderedOn'),
      method: r.text('method'),
      itemIds: r.checkedValues('itemIds'),
      remarks: r.text('remarks'),
    };
    if (body.itemIds.length === 0) r.problem('itemIds', 'choose the items to dispose of');
    r.done();
    await post('disposeItems', body, 'Disposal recorded');
  });
  return form;
}

export const releaseOrderAction: ActionForm = {
  action: 'orderRelease',
  title: ['Order release', 'मुक्ति आदेश'],
  applies: ({ orderable }) => orderable.length > 0,
  build: buildReleaseOrderForm,
};

export const releaseAction: ActionForm = {
  action: 'releaseItems',
  title: ['Release items', 'वस्तुएँ मुक्त करें'],
  applies: ({ releasable }) => releasable.length > 0,
  build: buildReleaseForm,
};

export const disposalAction: ActionForm = {
  action: 'disposeItems',
  title: ['Order disposal', 'निस्तारण'],
  applies: ({ disposable }) => disposable.length > 0,
  build: buildDisposalForm,
};
