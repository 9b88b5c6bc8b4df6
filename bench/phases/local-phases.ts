import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { measureEmmettAppends } from '../measures/emmett-peer';
import { measureFdatasyncLimit } from '../measures/fdatasync-limit';
import { measureRawInserts, sampleEvents } from '../measures/sqlite-limits';
import { measureStoreAppends } from '../measures/store-appends';
import type { BenchConsole } from '../report/console';
import type { Measure } from '../report/measure';
import { withTempDir } from '../support/temp-dir';
import type { Workload, WorkloadTally } from '../workload/workload';

/** The phases that need no server: the machine's limits, our store, the peer. */

export async function runLimitPhase(work: string, workload: Workload, seconds: number, reporter: BenchConsole): Promise<Measure[]> {
  return withTempDir(work, 'limits', async (dir) => {
    const fsync = reporter.phase('fdatasync per 256 B record', 1, 'runs');
    const fdatasync = measureFdatasyncLimit(dir, seconds);
    fsync.finish(`${Math.round(fdatasync.value).toLocaleString('en-US')} records/s`);
    const sample = sampleEvents(workload);
    const measures = [fdatasync];
    for (const rows of [1, 100]) {
      const phase = reporter.phase(`raw SQLite insert, ${rows} row(s)/txn`, 1, 'runs');
      const measure = measureRawInserts(dir, rows, seconds, sample);
      phase.finish(`${Math.round(measure.value).toLocaleString('en-US')} rows/s`);
      measures.push(measure);
    }
    return measures;
  });
}

export async function runStoreConcurrency1(work: string, workload: Workload, seconds: number, reporter: BenchConsole): Promise<Measure> {
  return withTempDir(work, 'store-c1', (dir) =>
    measureStoreAppends({ filename: join(dir, 'ledger.sqlite'), workload, concurrency: 1, budgetSeconds: seconds, reporter }),
  );
}

/** Appends the whole workload at concurrency 64 into `dataDir/ledger.sqlite`: the ledger every later phase reads. */
export async function fillLedger(workload: Workload, dataDir: string, tally: WorkloadTally, reporter: BenchConsole): Promise<Measure> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  return measureStoreAppends({ filename: join(dataDir, 'ledger.sqlite'), workload, concurrency: 64, budgetSeconds: null, reporter, tally });
}

export async function runPeerPhase(work: string, workload: Workload, seconds: number, reporter: BenchConsole): Promise<Measure[]> {
  return withTempDir(work, 'peer', async (dir) => [
    await measureEmmettAppends({ dir, workload, concurrency: 1, budgetSeconds: seconds, reporter }),
    await measureEmmettAppends({ dir, workload, concurrency: 64, budgetSeconds: seconds, reporter }),
  ]);
}

/**
 * Raw SQLite at the rows per transaction our group commit achieved while filling the ledger, to
 * set beside the 100-row figure: the limit our appends could reach with the batches they get.
 */
export async function runAchievedBatchLimit(
  work: string,
  workload: Workload,
  fill: Measure,
  seconds: number,
  reporter: BenchConsole,
): Promise<Measure | null> {
  const achieved = Number(fill.detail?.rowsPerTransaction);
  if (!Number.isFinite(achieved) || achieved <= 0) return null;
  const rows = Math.max(1, Math.round(achieved));
  return withTempDir(work, 'limits-achieved', async (dir) => {
    const phase = reporter.phase(`raw SQLite insert, ${rows} row(s)/txn (ours)`, 1, 'runs');
    const measure = measureRawInserts(dir, rows, seconds, sampleEvents(workload), {
      id: 'limit.sqlite-insert-achieved',
      title: `raw SQLite insert, ${rows} rows per transaction (our group commit’s)`,
      notes: [`${achieved.toFixed(1)} rows per transaction on average in ${fill.title}, rounded`],
    });
    phase.finish(`${Math.round(measure.value).toLocaleString('en-US')} rows/s`);
    return measure;
  });
}
