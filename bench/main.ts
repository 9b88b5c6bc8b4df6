import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { ChildServer } from './http/child-server';
import { chooseRuntime } from './http/ledger-server';
import { peerVersion } from './measures/emmett-peer';
import { measureRawReadAndParse } from './measures/sqlite-limits';
import { measureRebuild } from './measures/rebuild';
import { measureSealing } from './measures/sealing';
import { measureCommandSealing } from './measures/command-sealing';
import { USAGE, UsageError, parseOptions, type BenchOptions } from './options';
import { fillLedger, runAchievedBatchLimit, runLimitPhase, runPeerPhase, runStoreConcurrency1 } from './phases/local-phases';
import { runServerPhase } from './phases/server-phase';
import { runPlatformPhase } from './phases/platform-compare';
import { BenchConsole } from './report/console';
import { checkLoadAverage } from './report/load-average';
import { machineInfo } from './report/machine';
import type { Measure } from './report/measure';
import { renderNotes, renderReferenceTable, renderResultsTable } from './report/table';
import { renderSealingCostTable } from './report/sealing-cost-table';
import { renderPlatformTable } from './report/platform-table';
import { evaluateTargets } from './report/targets';
import { DEFAULT_SEIZURES, scaled } from './support/budget';
import { ensurePeerInstalled } from './support/peer-install';
import { withTempDir } from './support/temp-dir';
import { Workload, WorkloadTally, type WorkloadSummary } from './workload/workload';

/**
 * `npm run bench`: the ledger against this machine's limits and a peer store, measured in one run
 * on one seeded workload. See the README's Benchmarks section for what each figure means.
 */

const ROOT = resolve(__dirname, '..');
const RESULTS_SCHEMA = 'seizure-custody-ledger/bench/1';

async function run(options: BenchOptions, work: string): Promise<void> {
  const reporter = new BenchConsole(options.quiet);
  // Read before the bench itself adds any load.
  const load = checkLoadAverage(options.skipLoadCheck);
  const startedAt = new Date();
  const workload = new Workload(options.seizures, options.seed);
  const size = options.seizures;
  const measures = new Map<string, Measure>();
  const add = (...found: Measure[]) => found.forEach((m) => measures.set(m.id, m));
  const phases = options.phases;
  const needsServer = phases.has('server') || phases.has('open-loop');
  const needsLedger = phases.has('store') || needsServer || phases.has('fastify') || phases.has('rebuild');
  const runtime = needsServer ? chooseRuntime(ROOT, options.server) : null;
  const dataDir = join(work, 'data');
  const tally = new WorkloadTally();
  const skipped: string[] = [];

  if (load.warning) process.stderr.write(`${load.warning}\n`);
  // Said even with --quiet: a first run that installs something should say so.
  if (phases.has('peer')) ensurePeerInstalled((line) => process.stderr.write(`${line}\n`));
  reporter.log(`workload: ${size.toLocaleString('en-US')} seizures, seed ${options.seed}; phases: ${[...phases].join(', ')}`);
  if (phases.has('limits')) add(...(await runLimitPhase(work, workload, scaled(size, 1, 5), reporter)));
  if (phases.has('store')) add(await runStoreConcurrency1(work, workload, scaled(size, 2, 20), reporter));
  const fill = needsLedger ? await fillLedger(workload, dataDir, tally, reporter) : null;
  if (fill) add(fill);
  if (phases.has('limits') && fill) {
    const achieved = await runAchievedBatchLimit(work, workload, fill, scaled(size, 1, 5), reporter);
    if (achieved) add(achieved);
  } else if (phases.has('limits')) {
    skipped.push(
      'raw SQLite at our group commit’s rows per transaction needs the full ledger (run with store, server, open-loop, fastify or rebuild)',
    );
  }
  if (phases.has('peer')) add(...(await runPeerPhase(work, workload, options.peerSeconds ?? scaled(size, 2, 30), reporter)));
  if (phases.has('limits') && needsLedger) {
    add(measureRawReadAndParse(join(dataDir, 'ledger.sqlite'), reporter.phase('raw read + JSON.parse', tally.summary().events, 'rows')));
  } else if (phases.has('limits')) {
    skipped.push('raw read + JSON.parse needs the full ledger (run with store, server, open-loop, fastify or rebuild)');
  }
  if (needsServer && runtime) {
    add(
      ...(await runServerPhase({
        root: ROOT,
        dataDir,
        runtime,
        workload,
        httpSeconds: options.httpSeconds ?? scaled(size, 3, 20),
        connections: options.connections,
        closedLoop: phases.has('server'),
        openLoopSeconds: phases.has('open-loop') ? (options.openLoopSeconds ?? scaled(size, 1, 20)) : 0,
        reporter,
      })),
    );
  }
  if (phases.has('fastify')) {
    add(
      ...(await runPlatformPhase({
        root: ROOT,
        dataDir,
        workload,
        httpSeconds: options.httpSeconds ?? scaled(size, 3, 20),
        connections: options.connections,
        rounds: options.fastifyRounds,
        reporter,
      })),
    );
  }
  if (phases.has('rebuild')) add(await measureRebuild(dataDir, reporter));
  if (phases.has('sealing'))
    add(...(await withTempDir(work, 'sealing', (dir) => measureSealing(dir, options.seed, scaled(size, 1, 5), reporter))));
  if (phases.has('sealing-cost')) {
    const seizures = Math.round(scaled(size, 24, 1000));
    add(...(await withTempDir(work, 'sealing-cost', (dir) => measureCommandSealing({ dir, seed: options.seed, seizures, reporter }))));
  }

  if (!needsLedger) {
    const count = reporter.phase('workload make-up', size, 'seizures');
    let done = 0;
    for (const chunk of workload.chunks(1000)) {
      chunk.forEach((s) => tally.add(s));
      count.update((done += chunk.length));
    }
    count.finish();
  }

  const finishedAt = new Date();
  const summary = tally.summary();
  const targets = evaluateTargets(measures);
  const machine = machineInfo(ROOT, phases.has('peer'));
  const header = [
    ...(load.warning ? [load.warning, ''] : []),
    `Seizure Custody Ledger benchmark, ${finishedAt.toISOString()}`,
    `machine: ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB.toFixed(1)} GiB, ${machine.os}; Node ${machine.node}; SQLite ${machine.sqlite} (better-sqlite3)${machine.peerSqlite ? `, ${machine.peerSqlite} (sqlite3, peer)` : ''}${machine.commit ? `; commit ${machine.commit}` : ''}`,
    describeWorkload(summary, options.seed),
    ...(runtime ? [`server: ${runtime.runtime} (${runtime.reason})`] : []),
    ...(phases.has('peer')
      ? [
          `peer: @event-driven-io/emmett-sqlite ${peerVersion()} (the newest this registry installs; 0.42.x needs @event-driven-io/emmett 0.42.x, which it lacks)`,
        ]
      : []),
  ];
  const met = targets.filter((t) => t.met === true).length;
  const unknown = targets.filter((t) => t.met === null).length;
  const footer = [
    `targets met: ${met} of ${targets.length}${unknown ? ` (${unknown} not measured in this run)` : ''}${size < DEFAULT_SEIZURES ? `; the targets are stated for ${DEFAULT_SEIZURES.toLocaleString('en-US')} seizures on 2 cores, so at ${size.toLocaleString('en-US')} they are only indicative` : ''}`,
    ...skipped.map((s) => `not measured: ${s}`),
    ...(load.warning ? [load.warning] : []),
  ];
  const references = [...measures.values()].some((m) => m.group !== 'ours')
    ? ['Limits of this machine and the peer, measured in the same run:', '', renderReferenceTable(measures), '']
    : [];
  const text = [
    ...header,
    '',
    renderResultsTable(measures, targets),
    '',
    ...references,
    ...renderSealingCostTable(measures),
    ...renderPlatformTable(measures),
    ...renderNotes(measures),
    '',
    ...footer,
  ].join('\n');

  mkdirSync(options.outDir, { recursive: true });
  const file = join(options.outDir, `bench-${startedAt.toISOString().replace(/[:.]/g, '-')}-${size}.json`);
  const results = {
    schema: RESULTS_SCHEMA,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationSeconds: (finishedAt.getTime() - startedAt.getTime()) / 1000,
    options: { ...options, phases: [...phases] },
    machine,
    loadAverage: load,
    server: runtime,
    peer: phases.has('peer') ? { package: '@event-driven-io/emmett-sqlite', version: peerVersion() } : null,
    workload: summary,
    measures: Object.fromEntries(measures),
    targets,
    table: text,
  };
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  const shown = relative(process.cwd(), file);
  process.stdout.write(`${text}\nresults: ${shown.startsWith('..') ? file : shown}\n`);
}

function describeWorkload(s: WorkloadSummary, seed: number): string {
  const share = (n: number) => `${(n * 100).toFixed(1)} %`;
  const v = s.valueShareByCategory;
  return (
    `workload: ${s.seizures.toLocaleString('en-US')} seizures (seed ${seed}), ${s.events.toLocaleString('en-US')} events in ${s.appends.toLocaleString('en-US')} appends, ` +
    `${s.eventsPerSeizure.mean.toFixed(2)} events per seizure (${s.eventsPerSeizure.min}–${s.eventsPerSeizure.max}), ${s.itemsPerSeizure.mean.toFixed(2)} items; ` +
    `value: drugs ${share(v.drugs)}, freebies and other ${share(v.freebies + v.other)}, precious metals ${share(v.precious_metals)}, cash ${share(v.cash)}, liquor ${share(v.liquor)}`
  );
}

async function main(): Promise<number> {
  let options: BenchOptions | 'help';
  try {
    options = parseOptions(process.argv.slice(2), join(ROOT, 'bench', 'results'));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  const work = mkdtempSync(join(tmpdir(), 'ledger-bench-'));
  const interrupted = (signal: NodeJS.Signals) => {
    process.stderr.write(`\n${signal}: stopping the servers and removing ${work}\n`);
    ChildServer.killAll();
    rmSync(work, { recursive: true, force: true });
    process.exit(130);
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    await run(options, work);
    return 0;
  } finally {
    ChildServer.killAll();
    rmSync(work, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
