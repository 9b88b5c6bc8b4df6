/**
 * Building the page from data. Everything goes in through DOM APIs: text as text nodes, attributes
 * with setAttribute. Nothing is ever parsed as HTML, so a memo number, a name or a remark from the
 * ledger cannot become markup or script, whatever it contains.
 */

export type Child = Node | string | number | null | undefined | false | readonly Child[];
type AttributeValue = string | number | boolean | null | undefined;
export type Attributes = Record<string, AttributeValue | ((event: Event) => void)>;

function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (typeof child === 'string' || typeof child === 'number') parent.appendChild(document.createTextNode(String(child)));
    else if (child instanceof Node) parent.appendChild(child);
    else append(parent, child);
  }
}

function applyAttributes(element: Element, attributes: Attributes | null | undefined): void {
  if (!attributes) return;
  for (const [name, value] of Object.entries(attributes)) {
    if (typeof value === 'function') element.addEventListener(name.replace(/^on/, ''), value);
    else if (value === true) element.setAttribute(name, '');
    else if (value !== false && value !== null && value !== undefined) element.setAttribute(name, String(value));
  }
}

/** An HTML element: h('a', { href: '#/inbox' }, 'Inbox'). Event listeners are given as onclick, onsubmit, … */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes?: Attributes | null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  applyAttributes(element, attributes);
  append(element, children);
  return element;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** An SVG element, for charts drawn from data. */
export function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attributes?: Attributes | null,
  ...children: Child[]
): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG_NS, tag);
  applyAttributes(element, attributes);
  append(element, children);
  return element;
}

/** Replaces a node's children. */
export function replace(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

/** English with its Hindi beside it, marked as Hindi so screen readers switch voice. */
export function bilingual(english: string, hindi: string): Child[] {
  return [english, ' ', h('span', { lang: 'hi', class: 'hi' }, hindi)];
}

let idCounter = 0;
/** A unique id for tying labels, hints and errors to their inputs. */
export function uniqueId(prefix: string): string {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}

export function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`the page has no #${id}`);
  return element as T;
}

/** A status word with its class, e.g. held, in transfer, overdue. */
export function badge(text: string, tone: 'neutral' | 'good' | 'warn' | 'bad' = 'neutral'): HTMLElement {
  return h('span', { class: `badge badge-${tone}` }, text);
}

/** An id, memo, challan or seal number, kept on one line (it would otherwise break at its hyphens). */
export function code(text: string): HTMLElement {
  return h('span', { class: 'nowrap' }, text);
}

/** Several codes, wrapping between them but never inside one. */
export function codes(texts: readonly string[], empty = '—'): Child {
  return texts.length === 0 ? empty : texts.map((text, i) => [i > 0 ? ', ' : '', code(text)]);
}

/**
 * A table inside a scrolling box, so a wide table never widens the page. On a phone each row is
 * shown as a card, each value under its column's name; the ARIA roles keep it a table for screen
 * readers, which would otherwise drop the semantics of a table displayed as blocks.
 */
export function table(
  caption: Child,
  headers: readonly Child[],
  rows: readonly (readonly Child[])[],
  options: { numeric?: readonly number[] } = {},
): HTMLElement {
  const numeric = new Set(options.numeric ?? []);
  const labelOf = (i: number): string | null => {
    const header = headers[i];
    return typeof header === 'string' ? header : null;
  };
  return h(
    'div',
    { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': typeof caption === 'string' ? caption : 'table' },
    h(
      'table',
      { class: 'stack', role: 'table' },
      h('caption', null, caption),
      h(
        'thead',
        { role: 'rowgroup' },
        h(
          'tr',
          { role: 'row' },
          headers.map((cell, i) => h('th', { scope: 'col', role: 'columnheader', class: numeric.has(i) ? 'num' : null }, cell)),
        ),
      ),
      h(
        'tbody',
        { role: 'rowgroup' },
        rows.map((row) =>
          h(
            'tr',
            { role: 'row' },
            row.map((cell, i) =>
              i === 0
                ? h('th', { scope: 'row', role: 'rowheader' }, cell)
                : h('td', { role: 'cell', class: numeric.has(i) ? 'num' : null, 'data-label': labelOf(i) }, cell),
            ),
          ),
        ),
      ),
    ),
  );
}
