import { FIR_CLOSURE_WAYS } from '../../../custody/values';
import { bilingual, h } from '../dom';
import { todayIst } from '../format';
import { field, FormReader, onSubmit, submitButton, type Option } from '../forms';
import { mayCloseFir, mayCloseIncomeTaxProceedings, mayDisposeOfCourtProceedings } from '../eligibility';
import { FIR_CLOSURE_WAY_LABELS } from '../labels';
import type { ActionForm, ActionScope } from './common';

// The end of the proceedings a seizure is part of, each recorded by whoever knows it: the FIR by an
// officer, the court's proceedings by the court, Income Tax's by an Income Tax officer. Each closes
// a case (src/custody/cases.ts), and the personal data is kept only while one is open.

const CLOSURE_WAYS: Option[] = FIR_CLOSURE_WAYS.map((way) => ({
  value: way,
  label: `${FIR_CLOSURE_WAY_LABELS[way].en} · ${FIR_CLOSURE_WAY_LABELS[way].hi}`,
}));

function buildFirClosureForm({ view, post }: ActionScope): HTMLFormElement {
  const fir = view.fir;
  const form = h(
    'form',
    null,
    fir ? h('p', null, `FIR ${fir.firNumber}, ${fir.policeStation} police station, registered on ${fir.registeredOn}.`) : null,
    field({ name: 'how', label: 'How it ended', type: 'select', options: CLOSURE_WAYS, required: true }),
    field({
      name: 'closedOn',
      label: 'Closed on',
      hint: 'The day of the order or judgment.',
      type: 'date',
      value: todayIst(),
      required: true,
    }),
    field({ name: 'court', label: 'Court', hint: 'e.g. CJM Varanasi', required: true }),
    field({ name: 'reference', label: 'Order or judgment number', required: true, spellcheck: false }),
    field({ name: 'remarks', label: 'Remarks', type: 'textarea' }),
    submitButton(bilingual('Record FIR closed', 'प्राथमिकी बंद दर्ज करें')),
  );
  onSubmit(form, async () => {
    const r = new FormReader(form);
    const body = {
      how: r.text('how'),
      closedOn: r.text('closedOn'),
      court: r.text('court'),
      reference: r.text('reference'),
      remarks: r.text('remarks'),
    };
    await post('closeFir', body, `FIR ${fir?.firNumber ?? ''} recorded as closed`);
  });
  return form;
}

function buildCourtDisposalForm({ post }: ActionScope): HTMLFormElement {
  const form = h(
    'form',
    null,
    field({ name: 'disposedOn', label: 'Disposed of on', type: 'date', value: todayIst(), required: true }),
    field({ name: 'court', label: 'Court', hint: 'e.g. CJM Varanasi', required: true }),
    field({ name: 'caseNumber', label: 'Case number', hint: 'e.g. CC 412/2024', required: true, spellcheck: false }),
    field({ name: 'remarks', label: 'Remarks', type: 'textarea' }),
    submitButton(bilingual('Record proceedings disposed of', 'निस्तारण दर्ज करें')),
  );
  onSubmit(form, async () => {
    const r = new FormReader(form);
    const body = { disposedOn: r.text('disposedOn'), court: r.text('court'), caseNumber: r.text('caseNumber'), remarks: r.text('remarks') };
    await post('disposeOfCourtProceedings', body, `Court proceedings ${body.caseNumber} recorded as disposed of`);
  });
  return form;
}

function buildIncomeTaxClosureForm({ view, post }: ActionScope): HTMLFormElement {
  const form = h(
    'form',
    null,
    h('p', null, `Referred to Income Tax under ${view.incomeTax.referenceNumber ?? '—'}.`),
    field({ name: 'closedOn', label: 'Closed on', type: 'date', value: todayIst(), required: true }),
    field({ name: 'orderNumber', label: 'Order number', required: true, spellcheck: false }),
    field({ name: 'remarks', label: 'Remarks', type: 'textarea' }),
    submitButton(bilingual('Record proceedings closed', 'कार्यवाही बंद दर्ज करें')),
  );
  onSubmit(form, async () => {
    const r = new FormReader(form);
    const body = { closedOn: r.text('closedOn'), orderNumber: r.text('orderNumber'), remarks: r.text('remarks') };
    await post('closeIncomeTaxProceedings', body, 'Income Tax proceedings recorded as closed');
  });
  return form;
}

export const firClosureAction: ActionForm = {
  action: 'closeFir',
  title: ['Record the FIR closed', 'प्राथमिकी बंद'],
  applies: ({ view, actor }) => mayCloseFir(view, actor),
  build: buildFirClosureForm,
};

export const courtDisposalAction: ActionForm = {
  action: 'disposeOfCourtProceedings',
  title: ['Court proceedings disposed of', 'न्यायालय की कार्यवाही निस्तारित'],
  applies: ({ view, actor }) => mayDisposeOfCourtProceedings(view, actor),
  build: buildCourtDisposalForm,
};

export const incomeTaxClosureAction: ActionForm = {
  action: 'closeIncomeTaxProceedings',
  title: ['Income Tax proceedings closed', 'आयकर कार्यवाही बंद'],
  applies: ({ view, actor }) => mayCloseIncomeTaxProceedings(view, actor),
  build: buildIncomeTaxClosureForm,
};
