import type { SeizureView, TrailEntry } from '../../../custody/http/seizure-view';
import { DISPUTE_OUTCOMES } from '../../../custody/values';
import { bilingual, h } from '../dom';
import { todayIst, uuid } from '../format';
import { field, FormReader, onSubmit, submitButton, type Option } from '../forms';
import { DISPUTE_OUTCOME_LABELS } from '../labels';
import { itemChoices, type ActionForm, type ActionScope } from './common';

// Disputes over the release of items, before the District Grievance Committee: raised, then resolved.

type Case = SeizureView['cases'][number];

const OUTCOMES: Option[] = DISPUTE_OUTCOMES.map((outcome) => ({
  value: outcome,
  label: `${DISPUTE_OUTCOME_LABELS[outcome].en} · ${DISPUTE_OUTCOME_LABELS[outcome].hi}`,
}));

/** A dispute as the committee picks it: the items and day of the event that raised it, and its id. */
export function disputeLabel(dispute: Case, events: readonly TrailEntry[]): string {
  const raised = events.find((e) => e.eventId === dispute.opened.eventId)?.data as { itemIds?: unknown; raisedOn?: unknown } | undefined;
  const items = Array.isArray(raised?.itemIds) ? raised.itemIds.join(', ') : 'items';
  const day = typeof raised?.raisedOn === 'string' ? `, raised on ${raised.raisedOn}` : '';
  return `Over ${items}${day} (dispute ${(dispute.reference ?? '').slice(0, 8)}…)`;
}

function buildRaiseForm({ disputable, post }: ActionScope): HTMLFormElement {
  // Chosen once per form: sending it again after a lost answer cannot record a second dispute.
  const disputeId = uuid();
  const form = h(
    'form',
    null,
    itemChoices('Items whose release is disputed', 'itemIds', disputable),
    field({ name: 'raisedOn', label: 'Raised on', type: 'date', value: todayIst(), required: true }),
    field({ name: 'grounds', label: 'Grounds', hint: 'Who disputes the release, and why.', type: 'textarea', required: true }),
    submitButton(bilingual('Record dispute', 'विवाद दर्ज करें')),
  );
  onSubmit(form, async () => {
    const r = new FormReader(form);
    const body = { disputeId, raisedOn: r.text('raisedOn'), itemIds: r.checkedValues('itemIds'), grounds: r.text('grounds') };
    if (body.itemIds.length === 0) r.problem('itemIds', 'choose the items whose release is disputed');
    if (body.grounds === '') r.problem('grounds', 'say who disputes the release, and why');
    r.done();
    await post('raiseReleaseDispute', body, `Release dispute over ${body.itemIds.join(', ')} recorded`);
  });
  return form;
}

function buildResolveForm({ disputesToResolve, events, post }: ActionScope): HTMLFormElement {
  const form = h(
    'form',
    null,
    field({
      name: 'disputeId',
      label: 'Dispute',
      type: 'select',
      required: true,
      options: disputesToResolve.map((d) => ({ value: d.reference ?? '', label: disputeLabel(d, events) })),
    }),
    field({ name: 'resolvedOn', label: 'Resolved on', type: 'date', value: todayIst(), required: true }),
    field({ name: 'outcome', label: 'Outcome', type: 'select', options: OUTCOMES, required: true }),
    field({
      name: 'reference',
      label: 'Order or minutes',
      hint: 'The committee’s order or minutes that resolved it.',
      required: true,
      spellcheck: false,
    }),
    field({ name: 'remarks', label: 'Remarks', type: 'textarea' }),
    submitButton(bilingual('Record resolution', 'समाधान दर्ज करें')),
  );
  onSubmit(form, async () => {
    const r = new FormReader(form);
    const disputeId = r.text('disputeId');
    const body = {
      resolvedOn: r.text('resolvedOn'),
      outcome: r.text('outcome'),
      reference: r.text('reference'),
      remarks: r.text('remarks'),
    };
    if (disputeId === '') r.problem('disputeId', 'choose the dispute');
    r.done();
    await post('resolveReleaseDispute', body, `Release dispute resolved: ${body.outcome}`, { disputeId });
  });
  return form;
}

export const raiseDisputeAction: ActionForm = {
  action: 'raiseReleaseDispute',
  title: ['Raise a release dispute', 'मुक्ति विवाद दर्ज करें'],
  applies: ({ disputable }) => disputable.length > 0,
  build: buildRaiseForm,
};

export const resolveDisputeAction: ActionForm = {
  action: 'resolveReleaseDispute',
  title: ['Resolve a release dispute', 'मुक्ति विवाद का समाधान'],
  applies: ({ disputesToResolve }) => disputesToResolve.length > 0,
  build: buildResolveForm,
};
