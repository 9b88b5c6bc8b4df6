import { CATEGORIES } from '../../../custody/values';
import type { SeizureSearchResult } from '../../../read-models/seizure-search/seizure-search.query';
import { AGENCIES } from '../../../shared/actor';
import { debounce, type AppContext, type Page } from '../app';
import { badge, bilingual, h, replace, table } from '../dom';
import { dateTime, grouped, parseRupees, rupees } from '../format';
import { field, FormErrors, FormReader, submitButton, type Option } from '../forms';
import { CATEGORY_LABELS, STATUS_LABELS } from '../labels';
import { may } from '../permissions';
import { heading, problemBox } from '../ui';

/** The search read model's filters, by their query parameter names. */
const FILTERS = [
  'state',
  'district',
  'assemblyConstituency',
  'agency',
  'category',
  'status',
  'seizedAtFrom',
  'seizedAtTo',
  'minValuePaise',
  'maxValuePaise',
  'memoNumber',
  'vehicleNumber',
  'sort',
  'order',
  'limit',
] as const;

const any: Option = { value: '', label: 'Any' };
const STATUS_TONE: Record<string, 'neutral' | 'good' | 'warn' | 'bad'> = {
  held: 'neutral',
  in_transfer: 'warn',
  partly_released: 'good',
  released: 'good',
  disposed: 'neutral',
};

function statusBadge(status: string): HTMLElement {
  const labelled = STATUS_LABELS[status as keyof typeof STATUS_LABELS];
  return badge(labelled ? `${labelled.en} · ${labelled.hi}` : status, STATUS_TONE[status] ?? 'neutral');
}

/** The filter form, filled from the URL; submitting puts the filters in the URL, so back and reload keep them. */
function filterForm(query: URLSearchParams, context: AppContext): { form: HTMLFormElement; errors: FormErrors } {
  const form = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': 'Filter seizures' },
    h('div', { class: 'grid' }, filterFields(query)),
    h('div', { class: 'actions' }, submitButton('Search'), h('a', { href: '#/seizures', class: 'button secondary' }, 'Clear filters')),
  );
  const errors = new FormErrors(form);
  form.noValidate = true;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const params = filtersFrom(form, errors);
    if (params) context.navigate(`#/seizures?${params.toString()}`);
  });
  return { form, errors };
}

export const seizuresPage = (): Page => {
  let refresh: (() => void) | undefined;
  return {
    title: 'Seizures',
    async render(main, context) {
      const { form, errors } = filterForm(context.query, context);
      const results = h('div', { class: 'results', 'aria-live': 'polite' });
      const roles = context.session?.actor.roles ?? [];
      replace(
        main,
        heading('Seizures ', h('span', { lang: 'hi', class: 'hi' }, 'जब्ती')),
        may(roles, 'recordSeizure')
          ? h('p', null, h('a', { href: '#/record', class: 'button primary' }, bilingual('Record a seizure', 'जब्ती दर्ज करें')))
          : null,
        h(
          'details',
          {
            class: 'filter-box',
            open: window.matchMedia('(min-width: 48rem)').matches || [...context.query.keys()].some((k) => k !== 'cursor'),
          },
          h('summary', null, 'Filters'),
          form,
        ),
        results,
      );
      const load = async (): Promise<void> => {
        const query: Record<string, string> = {};
        for (const [key, value] of context.query) query[key] = value;
        let page: SeizureSearchResult;
        try {
          page = await context.api.query<SeizureSearchResult>('/seizures', query);
        } catch (error) {
          errors.show(error);
          replace(results, problemBox(error));
          return;
        }
        const rows = page.items.map((s) => [
          h('a', { href: `#/seizures/${s.seizureId}`, class: 'nowrap' }, s.memoNumber),
          dateTime(s.seizedAt),
          `${s.location.district}, AC ${s.location.assemblyConstituency}`,
          s.categories.map((c) => CATEGORY_LABELS[c].en).join(', '),
          rupees(s.totalValuePaise),
          statusBadge(s.status),
        ]);
        const next = new URLSearchParams(context.query);
        if (page.nextCursor) next.set('cursor', page.nextCursor);
        const first = new URLSearchParams(context.query);
        first.delete('cursor');
        replace(
          results,
          page.items.length === 0
            ? h('p', { class: 'empty' }, 'No seizures match these filters within your jurisdiction.')
            : table(
                `${grouped(page.items.length)} seizure${page.items.length === 1 ? '' : 's'}${context.query.has('cursor') ? ' (later page)' : ''}`,
                ['Memo', 'Seized at', 'Place', 'Categories', 'Value', 'Status'],
                rows,
                { numeric: [4] },
              ),
          h(
            'nav',
            { class: 'pager', 'aria-label': 'Pages of results' },
            context.query.has('cursor') ? h('a', { href: `#/seizures?${first.toString()}` }, '← First page') : null,
            page.nextCursor ? h('a', { href: `#/seizures?${next.toString()}`, rel: 'next' }, 'Next page →') : null,
          ),
        );
      };
      refresh = debounce(() => void load(), 500);
      await load();
    },
    onLiveEvent(event) {
      // A new seizure or a change of status may change what matches.
      if (event.type !== 'AttachmentAdded') refresh?.();
    },
  };
};

/** One field per filter, each showing the value the URL holds (amounts in rupees). */
function filterFields(query: URLSearchParams): HTMLElement[] {
  const value = (name: string): string => query.get(name) ?? '';
  const rupeesOf = (name: string): string => {
    const paise = Number(value(name));
    return value(name) === '' || !Number.isSafeInteger(paise) ? value(name) : String(paise / 100);
  };
  return [
    field({ name: 'memoNumber', label: 'Memo number', value: value('memoNumber'), spellcheck: false }),
    field({ name: 'vehicleNumber', label: 'Vehicle number', value: value('vehicleNumber'), spellcheck: false }),
    field({ name: 'state', label: 'State code', hint: 'e.g. UP', value: value('state'), spellcheck: false }),
    field({ name: 'district', label: 'District code', hint: 'e.g. UP-VNS', value: value('district'), spellcheck: false }),
    field({
      name: 'assemblyConstituency',
      label: 'Assembly constituency no.',
      value: value('assemblyConstituency'),
      inputmode: 'numeric',
    }),
    field({
      name: 'agency',
      label: 'Agency',
      type: 'select',
      value: value('agency'),
      options: [any, ...AGENCIES.map((a) => ({ value: a, label: a.replace(/_/g, ' ') }))],
    }),
    field({
      name: 'category',
      label: 'Category',
      type: 'select',
      value: value('category'),
      options: [any, ...CATEGORIES.map((c) => ({ value: c, label: `${CATEGORY_LABELS[c].en} · ${CATEGORY_LABELS[c].hi}` }))],
    }),
    field({
      name: 'status',
      label: 'Status',
      type: 'select',
      value: value('status'),
      options: [any, ...Object.entries(STATUS_LABELS).map(([v, l]) => ({ value: v, label: `${l.en} · ${l.hi}` }))],
    }),
    field({ name: 'seizedAtFrom', label: 'Seized from (date, IST)', type: 'date', value: value('seizedAtFrom') }),
    field({ name: 'seizedAtTo', label: 'Seized up to (date, IST)', type: 'date', value: value('seizedAtTo') }),
    field({ name: 'minValuePaise', label: 'Value at least (₹)', value: rupeesOf('minValuePaise'), inputmode: 'decimal' }),
    field({ name: 'maxValuePaise', label: 'Value at most (₹)', value: rupeesOf('maxValuePaise'), inputmode: 'decimal' }),
    field({
      name: 'sort',
      label: 'Sort by',
      type: 'select',
      value: value('sort'),
      options: [
        { value: 'seizedAt', label: 'Time of seizure' },
        { value: 'value', label: 'Value' },
      ],
    }),
    field({
      name: 'order',
      label: 'Order',
      type: 'select',
      value: value('order'),
      options: [
        { value: 'desc', label: 'Newest or largest first' },
        { value: 'asc', label: 'Oldest or smallest first' },
      ],
    }),
    field({
      name: 'limit',
      label: 'Per page',
      type: 'select',
      value: value('limit') || '50',
      options: ['20', '50', '100', '200'].map((n) => ({ value: n, label: n })),
    }),
  ];
}

/** The filters as URL parameters (amounts in paise), or undefined after showing what is wrong. */
function filtersFrom(form: HTMLFormElement, errors: FormErrors): URLSearchParams | undefined {
  const reader = new FormReader(form);
  const params = new URLSearchParams();
  for (const name of FILTERS) {
    const text = reader.text(name);
    if (text === '') continue;
    if (name === 'minValuePaise' || name === 'maxValuePaise') {
      const paise = parseRupees(text);
      if (paise === undefined) reader.problem(name, 'enter an amount in rupees, e.g. 50,000');
      else params.set(name, String(paise));
    } else {
      params.set(name, text);
    }
  }
  try {
    reader.done();
  } catch (error) {
    errors.show(error);
    return undefined;
  }
  return params;
}
