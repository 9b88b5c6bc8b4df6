import type { Actor } from '../../src/shared/actor';
import type { LedgerServer } from '../http/ledger-server';
import { measureReadLatency } from '../http/read-latency';
import type { TokenMinter } from '../http/tokens';
import type { BenchConsole } from '../report/console';
import type { Measure } from '../report/measure';
import { scaled } from '../support/budget';
import { LANES, Random } from '../workload/random';
import { planSeizure } from '../workload/seizure-plan';
import type { Workload } from '../workload/workload';

/** Reads as a court makes them: every role may read custody history, a court also evidence. */
const READER: Actor = {
  sub: 'u-bench-court',
  name: 'Bench Court Reader',
  roles: ['court'],
  unit: 'COURT-BENCH',
  agency: 'court',
  scope: { national: true },
};

const READS = [
  { id: 'ours.custody-history', title: 'GET custody history, 1 client', path: 'custody-history', tiny: 300, full: 5000, warmUp: 50 },
  { id: 'ours.evidence-bundle', title: 'GET evidence bundle (JSON), 1 client', path: 'evidence', tiny: 100, full: 2000, warmUp: 20 },
] as const;

/** Custody history and evidence bundles of random seizures of the full ledger, one request at a time. */
export async function measureReads(
  server: LedgerServer,
  workload: Workload,
  tokens: TokenMinter,
  reporter: BenchConsole,
): Promise<Measure[]> {
  const token = await tokens.tokenFor(READER);
  const picks = new Random(workload.seed, 0, LANES.reads);
  const randomSeizureIds = (count: number) =>
    Array.from({ length: count }, () => planSeizure(workload.seed, picks.int(0, workload.seizureCount - 1)).seizureId);
  const measures: Measure[] = [];
  for (const read of READS) {
    const count = Math.round(scaled(workload.seizureCount, read.tiny, read.full));
    const progress = reporter.phase(read.title, count + read.warmUp, 'requests');
    const result = await measureReadLatency({
      urls: randomSeizureIds(count + read.warmUp).map((id) => `${server.baseUrl}/seizures/${id}/${read.path}`),
      warmUp: read.warmUp,
      token,
      progress,
    });
    progress.finish(`p50 ${result.latency.p50Ms.toFixed(2)} ms, p99 ${result.latency.p99Ms.toFixed(2)} ms`);
    measures.push({
      id: read.id,
      group: 'ours',
      title: read.title,
      value: result.requestsPerSecond,
      unit: 'requests/s',
      latency: result.latency,
      operations: result.latency.samples,
      notes: [
        `random seizures of the full ledger, ${read.warmUp} requests of warm-up not counted; mean answer ${Math.round(result.meanBytes).toLocaleString('en-US')} B`,
      ],
    });
  }
  return measures;
}
