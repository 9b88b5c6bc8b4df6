import type { Deadline, DeadlineReport } from '../../../read-models/deadline-watch/deadline-watch.query';
import { debounce, type Page } from '../app';
import { badge, h, replace, table } from '../dom';
import { dateTime, grouped, quantity, rupees } from '../format';
import { DEADLINE_KIND_LABELS } from '../labels';
import { custodianText } from '../timeline';
import { heading, problemBox } from '../ui';

function detail(d: Deadline): string {
  switch (d.kind) {
    case 'held_after_poll':
      return `Poll ${d.election.pollDate}; still held: ${d.items.map((i) => `${i.itemId} (${quantity(i.quantity, i.unit)}) with ${custodianText(i.custodian)}`).join('; ')}`;
    case 'income_tax_referral':
      return `${rupees(d.cashPaise)} cash seized ${dateTime(d.seizedAt)}`;
    case 'transfer_acceptance':
      return `${d.itemIds.join(', ')} from ${custodianText(d.from)} to ${custodianText(d.to)}, started ${dateTime(d.initiatedAt)}`;
    case 'personal_data_erasure':
      return `${d.subject}: kept ${grouped(d.retentionDays)} days after ${dateTime(d.retentionClockStartedAt)}; due on ${d.dueDay}${d.erasedAutomatically ? ', erased automatically' : ''}`;
  }
}

/** The deadline watch: what is overdue (and, on request, falling due), most overdue first, with how overdue. */
export const deadlinesPage = (): Page => {
  let refresh: (() => void) | undefined;
  return {
    title: 'Deadline watch',
    async render(main, context) {
      const includeUpcoming = context.query.get('includeUpcoming') === 'true';
      const output = h('div', { 'aria-live': 'polite' });
      main.replaceChildren(
        heading('Deadline watch ', h('span', { lang: 'hi', class: 'hi' }, 'समय-सीमा निगरानी')),
        h(
          'nav',
          { class: 'tabs', 'aria-label': 'Which deadlines' },
          h('a', { href: '#/deadlines', 'aria-current': includeUpcoming ? null : 'page' }, 'Overdue'),
          h(
            'a',
            { href: '#/deadlines?includeUpcoming=true', 'aria-current': includeUpcoming ? 'page' : null },
            'Overdue and due within 48 hours (erasures: 30 days)',
          ),
        ),
        output,
      );
      const load = async (): Promise<void> => {
        const report = await context.api.query<DeadlineReport>('/deadlines', { includeUpcoming: includeUpcoming ? 'true' : undefined });
        replace(
          output,
          h(
            'p',
            { class: 'muted' },
            `As of ${dateTime(report.asOf)}; ${grouped(report.deadlines.length)} deadline${report.deadlines.length === 1 ? '' : 's'}.`,
          ),
          report.deadlines.length === 0
            ? h(
                'p',
                { class: 'empty' },
                includeUpcoming ? 'Nothing overdue or falling due within 48 hours.' : 'Nothing is overdue within your jurisdiction.',
              )
            : table(
                'Deadlines, most overdue first',
                ['Seizure', 'Deadline', 'Due', 'How overdue', 'Place', 'Details'],
                report.deadlines.map((d) => [
                  h('a', { href: `#/seizures/${d.seizureId}`, class: 'nowrap' }, d.memoNumber),
                  DEADLINE_KIND_LABELS[d.kind],
                  dateTime(d.dueAt),
                  d.status === 'overdue' ? badge(`overdue by ${d.overdueBy.text}`, 'bad') : badge(d.overdueBy.text, 'warn'),
                  `${d.district}, AC ${d.constituency}`,
                  detail(d),
                ]),
              ),
        );
      };
      refresh = debounce(() => void load().catch((error: unknown) => replace(output, problemBox(error))), 1000);
      await load();
    },
    onLiveEvent() {
      refresh?.();
    },
  };
};
