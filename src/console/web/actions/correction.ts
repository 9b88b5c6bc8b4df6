import type { TrailEntry } from '../../../custody/http/seizure-view';
import { bilingual, h } from '../dom';
import { dateTime } from '../format';
import { field, FormReader, onSubmit, submitButton } from '../forms';
import { EVENT_LABELS } from '../labels';
import type { ActionForm, ActionScope } from './common';

/**
 * Nothing recorded is edited: a mistake is put right by a correction that points at the event,
 * says what was wrong, what is right and why. Offered for the events this user recorded (an
 * administrator's, any), picked from the seizure's trail.
 */

const eventLabel = (e: TrailEntry): string => {
  const occurredAt = (e.metadata as { occurredAt?: unknown } | null)?.occurredAt;
  const when = typeof occurredAt === 'string' ? `, ${dateTime(occurredAt)}` : '';
  return `#${e.revision} ${EVENT_LABELS[e.type as keyof typeof EVENT_LABELS] ?? e.type}${when}`;
};

function buildCorrectionForm({ correctable, post }: ActionScope): HTMLFormElement {
  const form = h(
    'form',
    null,
    field({
      name: 'correctsEventId',
      label: 'Event to correct',
      hint: 'From the event trail below; only events you recorded.',
      type: 'select',
      required: true,
      options: correctable.map((e) => ({ value: e.eventId, label: eventLabel(e) })),
    }),
    field({ name: 'whatWasWrong', label: 'What was wrong', type: 'textarea', required: true }),
    field({ name: 'correction', label: 'The correction', type: 'textarea', required: true }),
    field({ name: 'reason', label: 'Why it was wrong', type: 'textarea', required: true }),
    submitButton(bilingual('Record correction', 'सुधार दर्ज करें')),
  );
  onSubmit(form, async () => {
    const r = new FormReader(form);
    const body = {
      correctsEventId: r.text('correctsEventId'),
      whatWasWrong: r.text('whatWasWrong'),
      correction: r.text('correction'),
      reason: r.text('reason'),
    };
    r.done();
    const corrected = correctable.find((e) => e.eventId === body.correctsEventId);
    await post('recordCorrection', body, `Correction to ${corrected ? eventLabel(corrected) : 'the event'} recorded`);
  });
  return form;
}

export const correctionAction: ActionForm = {
  action: 'recordCorrection',
  title: ['Correct an event', 'सुधार दर्ज करें'],
  applies: ({ correctable }) => correctable.length > 0,
  build: buildCorrectionForm,
};
