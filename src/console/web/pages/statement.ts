import type { PublishedSeizureStatement } from '../../../read-models/seizure-statement/seizure-statement.tree-head';
import type { StatementFigures, StatementRow } from '../../../read-models/seizure-statement/seizure-statement.query';
import { debounce, type Page } from '../app';
import { stackedBars, type ChartSeries } from '../chart';
import { bilingual, h, replace, table } from '../dom';
import { dateTime, grouped, rupees } from '../format';
import { field, FormErrors, FormReader, submitButton } from '../forms';
import { CATEGORY_LABELS } from '../labels';
import { facts, heading, problemBox, section, shortHash } from '../ui';

const SERIES: readonly ChartSeries[] = [
  { key: 'cash', label: CATEGORY_LABELS.cash.en, tone: 'tone-cash' },
  { key: 'liquor', label: CATEGORY_LABELS.liquor.en, tone: 'tone-liquor' },
  { key: 'drugs', label: CATEGORY_LABELS.drugs.en, tone: 'tone-drugs' },
  { key: 'preciousMetals', label: CATEGORY_LABELS.precious_metals.en, tone: 'tone-metals' },
  { key: 'freebies', label: CATEGORY_LABELS.freebies.en, tone: 'tone-freebies' },
  { key: 'other', label: CATEGORY_LABELS.other.en, tone: 'tone-other' },
];

const QUERY_FIELDS = ['date', 'groupBy', 'state', 'district', 'election', 'period'] as const;

function placeOf(row: StatementRow): string {
  if (row.constituency !== null) return `${row.state} AC ${row.constituency}`;
  return row.district ?? row.state;
}

function valuesOf(f: StatementFigures): Record<string, number> {
  return { cash: f.cash.valuePaise, liquor: f.liquor.valuePaise, drugs: f.drugs.valuePaise, preciousMetals: f.preciousMetals.valuePaise, freebies: f.freebies.valuePaise, other: f.other.valuePaise };
}

function figuresRow(place: string, f: StatementFigures): Array<string> {
  return [
    place,
    grouped(f.seizures),
    rupees(f.cash.valuePaise),
    `${f.liquor.litres} l`,
    rupees(f.liquor.valuePaise),
    `${f.drugs.kg} kg${f.drugs.pieces > 0 ? ` + ${grouped(f.drugs.pieces)} pcs` : ''}`,
    rupees(f.drugs.valuePaise),
    `${f.preciousMetals.kg} kg`,
    rupees(f.preciousMetals.valuePaise),
    rupees(f.freebies.valuePaise),
    rupees(f.other.valuePaise),
    rupees(f.totalValuePaise),
  ];
}

/** The Election Commission's seizure statement: rows by state, district or constituency, each category's quantity and value. */
export const statementPage = (): Page => {
  let refresh: (() => void) | undefined;
  return {
    title: 'Seizure statement',
    async render(main, context) {
      const q = context.query;
      const period = q.get('period') === 'day' ? 'day' : 'cumulative';
      const form = h(
        'form',
        { class: 'filters', 'aria-label': 'Statement options' },
        h(
          'div',
          { class: 'grid' },
          field({ name: 'date', label: 'Date (IST)', type: 'date', value: q.get('date') ?? '', hint: 'Today when empty.' }),
          field({ name: 'groupBy', label: 'Rows by', type: 'select', value: q.get('groupBy') ?? 'state', options: [{ value: 'state', label: 'State' }, { value: 'district', label: 'District' }, { value: 'constituency', label: 'Assembly constituency' }] }),
          field({ name: 'period', label: 'Figures', type: 'select', value: period, options: [{ value: 'cumulative', label: 'Cumulative up to the date' }, { value: 'day', label: 'On the date only' }] }),
          field({ name: 'state', label: 'State code', value: q.get('state') ?? '', spellcheck: false }),
          field({ name: 'district', label: 'District code', value: q.get('district') ?? '', spellcheck: false }),
          field({ name: 'election', label: 'Election id', value: q.get('election') ?? '', spellcheck: false }),
        ),
        h('div', { class: 'actions' }, submitButton('Show statement')),
      );
      const errors = new FormErrors(form);
      form.noValidate = true;
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        const reader = new FormReader(form);
        const params = new URLSearchParams();
        for (const name of QUERY_FIELDS) if (reader.text(name) !== '') params.set(name, reader.text(name));
        context.navigate(`#/statement?${params.toString()}`);
      });
      const apiQuery = (): Record<string, string> => {
        const out: Record<string, string> = {};
        for (const name of QUERY_FIELDS) if (name !== 'period' && q.get(name)) out[name] = q.get(name) ?? '';
        return out;
      };
      const csvStatus = h('p', { role: 'status', class: 'muted' });
      const csvButton = h('button', { type: 'button', class: 'secondary', id: 'download-csv' }, 'Download CSV');
      csvButton.addEventListener('click', () => {
        csvButton.disabled = true;
        context.api
          .download('/statements/seizures', { ...apiQuery(), format: 'csv' }, 'seizure-statement.csv', 'text/csv')
          .then(() => (csvStatus.textContent = 'CSV downloaded (UTF-8, every amount in rupees and paise, with the signed tree head at the end).'))
          .catch((error: unknown) => (csvStatus.textContent = `Could not download: ${(error as Error).message}`))
          .finally(() => (csvButton.disabled = false));
      });
      const output = h('div', { 'aria-live': 'polite' });
      main.replaceChildren(heading('Seizure statement ', h('span', { lang: 'hi', class: 'hi' }, 'जब्ती विवरण')), form, h('div', { class: 'actions' }, csvButton), csvStatus, output);

      const load = async (): Promise<void> => {
        let statement: PublishedSeizureStatement;
        try {
          statement = await context.api.query<PublishedSeizureStatement>('/statements/seizures', apiQuery());
        } catch (error) {
          errors.show(error);
          replace(output, problemBox(error));
          return;
        }
        const pick = (row: { day: StatementFigures; cumulative: StatementFigures }): StatementFigures => (period === 'day' ? row.day : row.cumulative);
        const head = statement.treeHead;
        const heads = ['Place', 'Seizures', 'Cash', 'Liquor', 'Liquor value', 'Drugs', 'Drugs value', 'Precious metals', 'Metals value', 'Freebies', 'Other', 'Total'];
        replace(
          output,
          h('p', { class: 'lead' }, `${period === 'day' ? 'Seized on' : 'Seized up to and including'} ${statement.date} (IST), by ${statement.groupBy}. Total: `, h('strong', { id: 'statement-total' }, rupees(pick(statement.total).totalValuePaise)), ` in ${grouped(pick(statement.total).seizures)} seizure${pick(statement.total).seizures === 1 ? '' : 's'}.`),
          statement.rows.length === 0
            ? h('p', { class: 'empty' }, 'No seizures within your jurisdiction for these options.')
            : [
                stackedBars('Value seized by category', SERIES, statement.rows.map((row) => ({ label: placeOf(row), values: valuesOf(pick(row)) }))),
                table(
                  `Statement ${period === 'day' ? 'for' : 'up to'} ${statement.date}`,
                  heads,
                  [...statement.rows.map((row) => figuresRow(placeOf(row), pick(row))), figuresRow('Total', pick(statement.total))],
                  { numeric: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] },
                ),
              ],
          section(
            bilingual('Checkpoint of the ledger', 'खाता जाँच-बिंदु'),
            head
              ? facts([
                  ['Ledger position', grouped(statement.ledgerPosition)],
                  ['Signed tree head', `size ${grouped(head.treeSize)}, signed ${dateTime(head.timestamp)}`],
                  ['Root hash', shortHash(head.rootHash)],
                  ['Log id', shortHash(head.logId)],
                ])
              : h('p', null, statement.treeHeadNote ?? 'No signed tree head covers this statement yet.'),
          ),
        );
      };
      refresh = debounce(() => void load(), 1000);
      await load();
    },
    onLiveEvent() {
      refresh?.();
    },
  };
};
