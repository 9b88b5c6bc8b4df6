import type { LatencySummary } from '../measures/latency';
import { SEALING_COST_ROWS, sealingCostMeasureId } from '../measures/command-sealing';
import type { Measure } from './measure';
import { formatNumber, renderTable } from './table';

/** The one line that says what the sealing-cost table is. */
export const SEALING_COST_EXPLANATION =
  'Cost of sealing personal data per command: the same seizures through the command handler into a ledger in clear and one that ' +
  'seals (key store beside it), one command at a time, in process (no HTTP, no projection); rate = 1 / mean time; cost = with − without.';

interface CostDetail {
  withoutSealing: { value: number; latency: LatencySummary };
  costMs: { p50: number; mean: number };
  costPercent: { p50: number; mean: number };
}

const percentiles = (l: LatencySummary | undefined): string =>
  l && l.samples > 0 ? `${formatNumber(l.p50Ms)} / ${formatNumber(l.p95Ms)} / ${formatNumber(l.p99Ms)}` : '–';

const signed = (n: number, text: string): string => (n >= 0 ? `+${text}` : text);

function costCell(ms: number, percent: number): string {
  if (!Number.isFinite(ms)) return '–';
  const pct = Number.isFinite(percent) ? ` (${signed(percent, `${percent.toFixed(0)} %`)})` : '';
  return `${signed(ms, `${ms.toFixed(2)} ms`)}${pct}`;
}

/** The table with its explanation, or nothing when the phase did not run. */
export function renderSealingCostTable(measures: ReadonlyMap<string, Measure>): string[] {
  const rows: string[][] = [];
  for (const row of SEALING_COST_ROWS) {
    const measure = measures.get(sealingCostMeasureId(row.key));
    if (!measure) continue;
    const detail = measure.detail as unknown as CostDetail;
    rows.push([
      measure.title,
      String(measure.latency?.samples ?? 0),
      percentiles(detail.withoutSealing.latency),
      percentiles(measure.latency),
      formatNumber(detail.withoutSealing.value),
      formatNumber(measure.value),
      measure.unit,
      costCell(detail.costMs.p50, detail.costPercent.p50),
      costCell(detail.costMs.mean, detail.costPercent.mean),
    ]);
  }
  if (rows.length === 0) return [];
  const table = renderTable(
    [
      'operation',
      'samples',
      'without: p50 / p95 / p99 ms',
      'with: p50 / p95 / p99 ms',
      'without',
      'with',
      'unit',
      'cost at p50',
      'cost (mean)',
    ],
    ['left', 'right', 'right', 'right', 'right', 'right', 'left', 'right', 'right'],
    rows,
  );
  return [SEALING_COST_EXPLANATION, '', table, ''];
}
