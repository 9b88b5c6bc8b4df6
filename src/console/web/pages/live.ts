import type { FeedEventData } from '../../../read-models/live-feed/feed-message';
import type { Page } from '../app';
import { h, replace } from '../dom';
import { dateTime } from '../format';
import { EVENT_LABELS } from '../labels';
import { heading, shortHash } from '../ui';

function entry(event: FeedEventData): HTMLElement {
  return h(
    'li',
    { class: event.type === 'DiscrepancyRecorded' ? 'trail-entry troubled' : 'trail-entry' },
    h(
      'p',
      null,
      h('strong', null, EVENT_LABELS[event.type as keyof typeof EVENT_LABELS] ?? event.type),
      ` — ${dateTime(event.occurredAt)}, by ${event.actorSub}`,
    ),
    h(
      'p',
      null,
      h('a', { href: `#/seizures/${event.seizureId}` }, `Seizure ${event.seizureId}`),
      ` · revision ${event.revision} · position ${event.globalPosition} · `,
      shortHash(event.hash),
    ),
  );
}

/** New events within the user's scope as they are recorded, newest first. */
export const livePage = (): Page => {
  let list: HTMLOListElement | undefined;
  return {
    title: 'Live feed',
    async render(main, context) {
      list = h('ol', { class: 'trail live-list', 'aria-live': 'polite', 'aria-relevant': 'additions' }, context.live.recent.map(entry));
      replace(
        main,
        heading('Live feed ', h('span', { lang: 'hi', class: 'hi' }, 'सजीव घटनाएँ')),
        h('p', null, 'Events within your jurisdiction, as they are recorded. Other pages update themselves from the same feed.'),
        context.live.recent.length === 0 ? h('p', { class: 'empty', id: 'live-empty' }, 'No new events since you signed in.') : null,
        list,
      );
    },
    onLiveEvent(event) {
      if (!list) return;
      document.getElementById('live-empty')?.remove();
      list.prepend(entry(event));
      while (list.children.length > 100) list.lastElementChild?.remove();
    },
  };
};
