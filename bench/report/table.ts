import type { Measure } from './measure';
import { ratio, type TargetResult } from './targets';

/** Plain-text tables for the terminal and for pasting into the README. */

type Align = 'left' | 'right';

export function renderTable(headers: readonly string[], align: readonly Align[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const cell = (text: string, i: number) => (align[i] === 'right' ? text.padStart(widths[i]) : text.padEnd(widths[i]));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => cell(c ?? '', i)).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (align[i] === 'right' ? `${'-'.repeat(w + 1)}:` : `:${'-'.repeat(w + 1)}`)).join('|')}|`;
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

export function formatNumber(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '–';
  const abs = Math.abs(n);
  if (abs >= 100) return Math.round(n).toLocaleString('en-US');
  if (abs >= 10) return n.toFixed(1);
  return n.toFixed(2);
}

const formatRatio = (r: number | null): string => (r === null ? '–' : `${r >= 10 ? r.toFixed(0) : r.toFixed(2)}×`);

/** What each of ours is compared with. */
const ROWS: ReadonlyArray<{ measure: string; limits: readonly string[]; peer?: string }> = [
  { measure: 'ours.store-append-c1', limits: ['limit.fdatasync', 'limit.sqlite-insert-1'], peer: 'peer.emmett-append-c1' },
  {
    measure: 'ours.store-append-c64',
    limits: ['limit.fdatasync', 'limit.sqlite-insert-100', 'limit.sqlite-insert-achieved'],
    peer: 'peer.emmett-append-c64',
  },
  { measure: 'ours.http-commands', limits: ['limit.http-bare-route'] },
  { measure: 'ours.http-commands-idempotent', limits: ['limit.http-bare-route'] },
  { measure: 'ours.http-open-loop-200', limits: [] },
  { measure: 'ours.http-open-loop-max-rate', limits: [] },
  { measure: 'ours.validation-cost', limits: [] },
  { measure: 'ours.server-catch-up', limits: ['limit.sqlite-read-parse'] },
  { measure: 'ours.rebuild', limits: ['limit.sqlite-read-parse'] },
  { measure: 'ours.custody-history', limits: [] },
  { measure: 'ours.evidence-bundle', limits: [] },
  { measure: 'ours.server-rss', limits: [] },
  { measure: 'ours.seal-4-fields', limits: [] },
  { measure: 'ours.reveal-4-fields', limits: [] },
  { measure: 'ours.key-create', limits: ['limit.fdatasync'] },
];

const SHORT_NAMES: Readonly<Record<string, string>> = {
  'limit.fdatasync': 'fdatasync',
  'limit.sqlite-insert-1': 'raw 1/txn',
  'limit.sqlite-insert-100': 'raw 100/txn',
  'limit.sqlite-insert-achieved': 'raw ours/txn',
  'limit.sqlite-read-parse': 'raw read+parse',
  'limit.http-bare-route': 'bare route',
  'peer.emmett-append-c1': 'Emmett c1',
  'peer.emmett-append-c64': 'Emmett c64',
};

/** The achieved batch's name says its size, which only the run knows. */
const shortName = (m: Measure | undefined, id: string): string =>
  id === 'limit.sqlite-insert-achieved' && m?.detail?.rowsPerTransaction !== undefined
    ? `raw ${Number(m.detail.rowsPerTransaction)}/txn (ours)`
    : (SHORT_NAMES[id] ?? id);

const referenceCell = (m: Measure | undefined, id: string) =>
  m ? `${shortName(m, id)} ${formatNumber(m.value)}/s` : `${shortName(m, id)} –`;
const metCell = (met: boolean | null) => (met === null ? '–' : met ? 'yes' : 'NO');

/** Ours against the limits and the peer, one line per comparison or target. */
export function renderResultsTable(measures: ReadonlyMap<string, Measure>, targets: readonly TargetResult[]): string {
  const rows: string[][] = [];
  for (const row of ROWS) {
    const ours = measures.get(row.measure);
    if (!ours) continue;
    const rowTargets = targets.filter((t) => t.measure === row.measure);
    const lines = Math.max(1, row.limits.length, rowTargets.length);
    for (let i = 0; i < lines; i++) {
      const limitId = row.limits[i];
      const limit = limitId ? measures.get(limitId) : undefined;
      const peer = i === 0 && row.peer ? measures.get(row.peer) : undefined;
      const target = rowTargets[i];
      rows.push([
        i === 0 ? ours.title : '',
        i === 0 ? formatNumber(ours.value) : '',
        i === 0 ? ours.unit : '',
        i === 0 ? formatNumber(ours.latency?.p50Ms) : '',
        i === 0 ? formatNumber(ours.latency?.p99Ms) : '',
        limitId ? referenceCell(limit, limitId) : '',
        limitId ? formatRatio(ratio(ours, limit)) : '',
        i === 0 && row.peer ? referenceCell(peer, row.peer) : '',
        i === 0 && row.peer ? formatRatio(ratio(ours, peer)) : '',
        target?.text ?? '',
        target ? metCell(target.met) : '',
      ]);
    }
  }
  return renderTable(
    ['measure (ours)', 'ours', 'unit', 'p50 ms', 'p99 ms', 'limit', '×limit', 'peer', '×peer', 'target', 'met?'],
    ['left', 'right', 'left', 'right', 'right', 'left', 'right', 'left', 'right', 'left', 'left'],
    rows,
  );
}

/** The limits and the peer themselves, with the notes that qualify every figure. */
export function renderReferenceTable(measures: ReadonlyMap<string, Measure>): string {
  const rows = [...measures.values()]
    .filter((m) => m.group !== 'ours')
    .map((m) => [
      m.group,
      m.title,
      formatNumber(m.value),
      m.unit,
      formatNumber(m.latency?.p50Ms),
      formatNumber(m.latency?.p99Ms),
      (m.notes ?? []).join('; '),
    ]);
  return renderTable(
    ['kind', 'measure', 'value', 'unit', 'p50 ms', 'p99 ms', 'notes'],
    ['left', 'left', 'right', 'left', 'right', 'right', 'left'],
    rows,
  );
}

export function renderNotes(measures: ReadonlyMap<string, Measure>): string[] {
  return [...measures.values()]
    .filter((m) => m.group === 'ours' && m.notes?.length)
    .map((m) => `- ${m.title}: ${(m.notes ?? []).join('; ')}`);
}
