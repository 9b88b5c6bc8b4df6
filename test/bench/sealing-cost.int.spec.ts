import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SEALING_COST_ROWS, measureCommandSealing, sealingCostMeasureId } from '../../bench/measures/command-sealing';
import type { LatencySummary } from '../../bench/measures/latency';
import { BenchConsole } from '../../bench/report/console';
import type { Measure } from '../../bench/report/measure';
import { SEALING_COST_EXPLANATION, renderSealingCostTable } from '../../bench/report/sealing-cost-table';
import { planSeizure } from '../../bench/workload/seizure-plan';

/**
 * The bench's sealing-cost phase at a tiny size: it runs, fills every row of its table, and
 * really seals in one ledger and not in the other. How fast anything is belongs to the bench.
 */
const SEED = 2024;
// The measured seizures of seed 2024 (after two of warm-up) hold every command type the table has a row for.
const SEIZURES = 3;

const ledgerBytes = (dir: string): Buffer =>
  Buffer.concat(
    readdirSync(dir)
      .filter((f) => f.startsWith('ledger.sqlite'))
      .map((f) => readFileSync(join(dir, f))),
  );

describe('bench: the cost of sealing per command', () => {
  let dir: string;
  let measures: Map<string, Measure>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-bench-sealing-cost-'));
    const found = await measureCommandSealing({ dir, seed: SEED, seizures: SEIZURES, reporter: new BenchConsole(true) });
    measures = new Map(found.map((m) => [m.id, m]));
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('measures every row with and without sealing, over the same commands', () => {
    expect([...measures.keys()]).toEqual(SEALING_COST_ROWS.map((row) => sealingCostMeasureId(row.key)));
    for (const measure of measures.values()) {
      const without = (measure.detail as { withoutSealing: { latency: LatencySummary } }).withoutSealing.latency;
      const samples = measure.latency?.samples ?? 0;
      expect({ id: measure.id, samples: samples > 0, same: without.samples === samples }).toEqual({
        id: measure.id,
        samples: true,
        same: true,
      });
      expect(Number.isFinite(measure.latency?.p95Ms)).toBe(true);
    }
    // One record, correction, load and erasure per seizure.
    for (const key of ['record-seizure', 'record-correction', 'load-seizure', 'erase-personal-data'] as const)
      expect(measures.get(sealingCostMeasureId(key))?.latency?.samples).toBe(SEIZURES);
  });

  it('renders a table with its explanation and one line per row', () => {
    const lines = renderSealingCostTable(measures);
    expect(lines[0]).toBe(SEALING_COST_EXPLANATION);
    const table = lines.join('\n');
    for (const measure of measures.values()) expect(table).toContain(`| ${measure.title}`);
    expect(table).toContain('cost at p50');
    expect(renderSealingCostTable(new Map())).toEqual([]);
  });

  it('writes personal data in clear into one ledger and sealed into the other', () => {
    const name = Buffer.from(planSeizure(SEED, 2).record.data.seizedFrom.name);
    expect(ledgerBytes(join(dir, 'clear')).includes(name)).toBe(true);
    expect(ledgerBytes(join(dir, 'sealed')).includes(name)).toBe(false);
  });
});
