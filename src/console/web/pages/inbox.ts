import type { SeizureView } from '../../../custody/http/seizure-view';
import type { InboxTransfer, TransferInboxResult } from '../../../read-models/transfer-inbox/transfer-inbox.query';
import { debounce, type AppContext, type Page } from '../app';
import { badge, bilingual, h, replace } from '../dom';
import { dateTime, shownText } from '../format';
import { may } from '../permissions';
import { custodianText } from '../timeline';
import { acceptForm, rejectForm, type ItemFacts } from '../transfer-answer';
import { heading, problemBox, refreshOrOffer, updateBar } from '../ui';

const STATUSES = [
  { value: 'pending', label: 'Awaiting me' },
  { value: 'accepted', label: 'Accepted' },
  { value: 'rejected', label: 'Rejected' },
] as const;

/**
 * Transfers addressed to the user (in person, or to their unit): the pending ones to accept or
 * reject, and those already answered. Opening "Accept" loads the seizure, to show what was
 * recorded of each item beside the count.
 */
export const inboxPage = (): Page => {
  let refresh: (() => void) | undefined;
  let liveRefresh: (() => void) | undefined;
  return {
    title: 'Inbox',
    async render(main, context) {
      const status = STATUSES.find((s) => s.value === context.query.get('status'))?.value ?? 'pending';
      const cursor = context.query.get('cursor') ?? undefined;
      const list = h('div', { 'aria-live': 'polite' });
      const canAnswer = may(context.session?.actor.roles ?? [], 'acceptTransfer');

      const card = (t: InboxTransfer): HTMLElement => transferCard(t, context, canAnswer, () => refresh?.());

      const load = async (): Promise<void> => {
        const page = await context.api.query<TransferInboxResult>('/transfers/inbox', { status, cursor, limit: 20 });
        // The list now shows everything up to here: an offer to show changes would be stale.
        bar.hidden = true;
        const next = new URLSearchParams({ status });
        if (page.nextCursor) next.set('cursor', page.nextCursor);
        replace(
          list,
          page.items.length === 0
            ? h(
                'p',
                { class: 'empty' },
                status === 'pending' ? 'Nothing awaits you: no transfer is addressed to you or your unit.' : `No ${status} transfers.`,
              )
            : page.items.map(card),
          h(
            'nav',
            { class: 'pager', 'aria-label': 'Pages of transfers' },
            cursor ? h('a', { href: `#/inbox?status=${status}` }, '← First page') : null,
            page.nextCursor ? h('a', { href: `#/inbox?${next.toString()}` }, 'Next page →') : null,
          ),
        );
      };
      refresh = debounce(() => void load().catch((error: unknown) => replace(list, problemBox(error))), 300);
      const bar = updateBar('Your inbox has changed.', () => refresh?.());
      liveRefresh = () => refreshOrOffer(list, bar, () => refresh?.());

      main.replaceChildren(
        heading('Inbox ', h('span', { lang: 'hi', class: 'hi' }, 'आवक हस्तांतरण')),
        h(
          'p',
          null,
          `Transfers addressed to you (${context.session?.actor.sub ?? ''}) or your unit (${context.session?.actor.unit ?? ''}). Custody moves only when you accept, after checking seals and counts.`,
        ),
        h(
          'nav',
          { class: 'tabs', 'aria-label': 'Transfer status' },
          STATUSES.map((s) => h('a', { href: `#/inbox?status=${s.value}`, 'aria-current': s.value === status ? 'page' : null }, s.label)),
        ),
        bar,
        list,
      );
      await load();
    },
    onLiveEvent(event, context) {
      // One's own answers refresh the list when they succeed.
      if (event.type.startsWith('CustodyTransfer') && event.actorSub !== context.session?.actor.sub) liveRefresh?.();
    },
  };
};

/** "Accept": opening it loads the seizure, to show what was recorded of each item beside the count. */
function acceptDetails(t: InboxTransfer, context: AppContext, refresh: () => void): HTMLElement {
  const acceptBox = h('details', { class: 'action' }, h('summary', null, bilingual('Accept', 'स्वीकार करें')));
  acceptBox.addEventListener('toggle', () => {
    if (!acceptBox.open || acceptBox.querySelector('form, .loading')) return;
    const loading = h('p', { class: 'loading' }, 'Loading the seizure…');
    acceptBox.append(loading);
    context.api
      .get<SeizureView>(`/seizures/${t.seizureId}`)
      .then((view) => {
        const items = new Map<string, ItemFacts>(view.items.map((i) => [i.itemId, i]));
        loading.replaceWith(acceptForm(t, items, context, refresh));
        acceptBox.querySelector<HTMLElement>('select, input')?.focus();
      })
      .catch((error: unknown) => loading.replaceWith(problemBox(error)));
  });
  return acceptBox;
}

/** One transfer: where from and to, what and which seals, and (pending, for whoever may answer) accept or reject. */
function transferCard(t: InboxTransfer, context: AppContext, canAnswer: boolean, refresh: () => void): HTMLElement {
  return h(
    'article',
    { class: `transfer-card status-${t.status}`, 'data-transfer': t.transferId },
    h(
      'h2',
      null,
      h('a', { href: `#/seizures/${t.seizureId}` }, `Memo ${t.memoNumber}`),
      ' ',
      badge(t.status, t.status === 'pending' ? 'warn' : t.status === 'accepted' ? 'good' : 'bad'),
    ),
    h(
      'dl',
      { class: 'facts' },
      h('div', null, h('dt', null, 'From'), h('dd', null, custodianText(t.from))),
      h('div', null, h('dt', null, 'To'), h('dd', null, custodianText(t.to))),
      h('div', null, h('dt', null, 'Items'), h('dd', null, t.itemIds.join(', '))),
      h('div', null, h('dt', null, 'Seals handed over'), h('dd', null, t.sealNumbers.join(', ') || 'none listed')),
      h('div', null, h('dt', null, 'Reason'), h('dd', null, shownText(t.reason))),
      h('div', null, h('dt', null, 'Started'), h('dd', null, `${dateTime(t.initiatedAt)} by ${t.initiatedBy.name}`)),
      h('div', null, h('dt', null, 'Place'), h('dd', null, `${t.district}, ${t.state}`)),
      t.closedAt
        ? h(
            'div',
            null,
            h('dt', null, t.status === 'accepted' ? 'Accepted' : 'Rejected'),
            h('dd', null, `${dateTime(t.closedAt)}${t.closedBy ? ` by ${t.closedBy.name}` : ''}`),
          )
        : null,
    ),
    t.status === 'pending' && canAnswer
      ? [
          acceptDetails(t, context, refresh),
          h('details', { class: 'action' }, h('summary', null, bilingual('Reject', 'अस्वीकार करें')), rejectForm(t, context, refresh)),
        ]
      : null,
  );
}
