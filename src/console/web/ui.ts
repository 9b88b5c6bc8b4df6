import { ApiProblem } from './api';
import { h, type Child } from './dom';

/** A failed request, shown in place of what could not be loaded. */
export function problemBox(error: unknown): HTMLElement {
  const text =
    error instanceof ApiProblem
      ? `${error.title}${error.status ? ` (${error.status})` : ''}${error.detail ? `: ${error.detail}` : ''}`
      : error instanceof Error
        ? error.message
        : String(error);
  return h('div', { class: 'problem', role: 'alert' }, h('p', null, text));
}

/** The page's heading; focus moves here when the page opens. */
export function heading(...text: Child[]): HTMLHeadingElement {
  return h('h1', { tabindex: -1 }, text);
}

/** Label–value pairs, e.g. the particulars of a seizure. */
export function facts(pairs: ReadonlyArray<readonly [Child, Child] | null | false>): HTMLDListElement {
  return h(
    'dl',
    { class: 'facts' },
    pairs
      .filter((pair): pair is readonly [Child, Child] => Boolean(pair))
      .map(([term, value]) => h('div', null, h('dt', null, term), h('dd', null, value))),
  );
}

/** A section with a heading, for the parts of a page. */
export function section(title: Child, ...children: Child[]): HTMLElement {
  return h('section', { class: 'panel' }, h('h2', null, title), children);
}

/** Shortens a hash for display; the full value stays in the title (tooltip) and for copying. */
export function shortHash(hash: string): HTMLElement {
  return h('code', { class: 'hash', title: hash }, hash.length > 20 ? `${hash.slice(0, 12)}…${hash.slice(-6)}` : hash);
}

/**
 * A bar offering to show changes that arrived on the live feed. Pages refresh by themselves,
 * except while the user is filling in one of their forms: then this appears instead, so an
 * update never wipes what they typed.
 */
export function updateBar(text: string, refresh: () => void): HTMLElement {
  const bar: HTMLElement = h(
    'div',
    { class: 'update-bar', role: 'status', hidden: true },
    h('p', null, text),
    h(
      'button',
      {
        type: 'button',
        class: 'secondary',
        onclick: () => {
          bar.hidden = true;
          refresh();
        },
      },
      'Show the changes',
    ),
  );
  return bar;
}

/** Refreshes now, or shows the bar when a form in `container` is open. */
export function refreshOrOffer(container: HTMLElement, bar: HTMLElement, refresh: () => void): void {
  if (container.querySelector('details[open] form') !== null) {
    bar.hidden = false;
    return;
  }
  bar.hidden = true;
  refresh();
}
