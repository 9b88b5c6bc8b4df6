import { h, svg } from './dom';
import { rupees } from './format';

export interface ChartSeries {
  key: string;
  label: string;
  /** A class giving its colour (styles.css), each with at least 3:1 contrast against white. */
  tone: string;
}

export interface ChartRow {
  label: string;
  values: Readonly<Record<string, number>>;
}

const WIDTH = 640;
const LABEL_WIDTH = 150;
const BAR_HEIGHT = 22;
const GAP = 10;

/**
 * A horizontal stacked bar per row (a state, district or constituency), one segment per series
 * (category), scaled to the largest total. Drawn in SVG from data; screen readers get the
 * summary in its title, and the figures in the table beside it.
 */
export function stackedBars(title: string, series: readonly ChartSeries[], rows: readonly ChartRow[]): HTMLElement {
  const totals = rows.map((row) => series.reduce((sum, s) => sum + (row.values[s.key] ?? 0), 0));
  const max = Math.max(1, ...totals);
  const height = rows.length * (BAR_HEIGHT + GAP) + GAP;
  const scale = (WIDTH - LABEL_WIDTH - 10) / max;
  const chart = svg(
    'svg',
    { viewBox: `0 0 ${WIDTH} ${height}`, role: 'img', class: 'chart', preserveAspectRatio: 'xMinYMin meet' },
    svg('title', null, `${title}: ${rows.map((row, i) => `${row.label} ${rupees(totals[i])}`).join('; ')}`),
    rows.map((row, i) => {
      const y = GAP + i * (BAR_HEIGHT + GAP);
      let x = LABEL_WIDTH;
      return svg(
        'g',
        null,
        svg(
          'text',
          { x: LABEL_WIDTH - 8, y: y + BAR_HEIGHT / 2, 'text-anchor': 'end', 'dominant-baseline': 'middle', class: 'chart-label' },
          row.label,
        ),
        series.map((s) => {
          const width = (row.values[s.key] ?? 0) * scale;
          const rect =
            width > 0
              ? svg(
                  'rect',
                  { x, y, width: Math.max(width, 1), height: BAR_HEIGHT, class: s.tone },
                  svg('title', null, `${row.label}, ${s.label}: ${rupees(row.values[s.key] ?? 0)}`),
                )
              : null;
          x += width;
          return rect;
        }),
      );
    }),
  );
  const legend = h(
    'ul',
    { class: 'legend', 'aria-hidden': 'true' },
    series.map((s) =>
      h('li', null, svg('svg', { viewBox: '0 0 10 10', class: 'swatch' }, svg('rect', { width: 10, height: 10, class: s.tone })), s.label),
    ),
  );
  return h(
    'figure',
    { class: 'chart-figure' },
    chart,
    legend,
    h('figcaption', { class: 'muted' }, `${title}. Bars are scaled to the largest total, ${rupees(max)}.`),
  );
}
