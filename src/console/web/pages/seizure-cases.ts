import type { SeizureView } from '../../../custody/http/seizure-view';
import { badge, bilingual, code, h } from '../dom';
import { dateTime } from '../format';
import { CASE_KIND_LABELS, EVENT_LABELS } from '../labels';
import { section } from '../ui';

/**
 * The proceedings the seizure is part of (src/custody/cases.ts): each case with the event that
 * opened it and the one that closed it, when, in IST. While any is open, or an item is still held,
 * the seizure's personal data is still needed; the server says when its retention may start.
 */

type Case = SeizureView['cases'][number];
type CaseEvent = Case['opened'];

const eventText = (ref: CaseEvent): string => `${EVENT_LABELS[ref.type]}, ${dateTime(ref.at)}`;

function caseCard(c: Case): HTMLElement {
  const label = CASE_KIND_LABELS[c.kind];
  return h(
    'li',
    { class: 'case', 'data-case': c.kind, 'data-state': c.closed ? 'closed' : 'open' },
    h(
      'p',
      null,
      h('strong', null, bilingual(label.en, label.hi)),
      c.reference ? [' ', code(c.reference)] : null,
      ' ',
      c.closed ? badge('closed · बंद', 'good') : badge('open · खुला', 'warn'),
    ),
    h('p', null, 'Opened by ', eventText(c.opened)),
    c.closed ? h('p', null, 'Closed by ', eventText(c.closed)) : null,
  );
}

/** What the cases mean for the personal data: still needed, or when its retention period may start. */
function retentionLine(view: SeizureView): string {
  if (view.retentionClockStartsAt !== null)
    return `Personal data no longer needed for a case; its retention period starts ${dateTime(view.retentionClockStartsAt)}.`;
  if (view.cases.some((c) => c.closed === null)) return 'A case is open: the personal data of the seizure is still needed.';
  return 'Items are still held: the personal data of the seizure is still needed.';
}

export function casesSection(view: SeizureView): HTMLElement {
  return section(
    bilingual('Cases', 'प्रकरण'),
    view.cases.length === 0
      ? h('p', null, 'No case has opened on this seizure: no FIR, court order, referral to Income Tax or release dispute.')
      : h('ul', { class: 'cases' }, view.cases.map(caseCard)),
    view.allCasesClosedSince ? h('p', null, `All cases closed since ${dateTime(view.allCasesClosedSince)}.`) : null,
    h('p', { class: 'muted' }, retentionLine(view)),
  );
}
