import { h } from '../dom';
import { parseList, todayIst } from '../format';
import { field, FormReader, onSubmit, submitButton } from '../forms';
import { mayClearIncomeTax, mayReferToIncomeTax, mayRegisterFir } from '../eligibility';
import type { ActionForm, ActionScope } from './common';

// What other authorities make of the seizure: the Income Tax department's referral and clearance, and the police's FIR.

function buildReferralForm({ post }: ActionScope): HTMLFormElement {
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
    await post(
      'referToIncomeTax',
      { referenceNumber: r.text('referenceNumber'), office: r.text('office'), remarks: r.text('remarks') },
      'Referral to Income Tax recorded',
    );
  });
  return form;
}

function buildClearanceForm({ post }: ActionScope): HTMLFormElement {
  const form = h(
    'form',
    null,
    field({ name: 'clearanceNumber', label: 'Clearance number', required: true, spellcheck: false }),
    field({ name: 'remarks', label: 'Remarks', type: 'textarea' }),
    submitButton('Record clearance'),
  );
  onSubmit(form, async () => {
    const r = new FormReader(form);
    await post(
      'clearIncomeTax',
      { clearanceNumber: r.text('clearanceNumber'), remarks: r.text('remarks') },
      'Income Tax clearance recorded',
    );
  });
  return form;
}

function buildFirForm({ post }: ActionScope): HTMLFormElement {
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
    await post(
      'registerFir',
      {
        firNumber: r.text('firNumber'),
        policeStation: r.text('policeStation'),
        registeredOn: r.text('registeredOn'),
        sections: parseList(r.text('sections')),
      },
      'FIR recorded',
    );
  });
  return form;
}

export const referralAction: ActionForm = {
  action: 'referToIncomeTax',
  title: ['Refer to Income Tax', 'आयकर को संदर्भित करें'],
  applies: ({ view }) => mayReferToIncomeTax(view),
  build: buildReferralForm,
};

export const clearanceAction: ActionForm = {
  action: 'clearIncomeTax',
  title: ['Income Tax clearance', 'आयकर अनापत्ति'],
  applies: ({ view, actor }) => mayClearIncomeTax(view, actor),
  build: buildClearanceForm,
};

export const firAction: ActionForm = {
  action: 'registerFir',
  title: ['Register an FIR', 'प्राथमिकी दर्ज करें'],
  applies: ({ view }) => mayRegisterFir(view),
  build: buildFirForm,
};
