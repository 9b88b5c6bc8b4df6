import { randomBytes } from 'node:crypto';
import { commandTemplates } from '../http/command-load';
import { LedgerServer, type ServerRuntime } from '../http/ledger-server';
import { TokenMinter } from '../http/tokens';
import { nowMs } from '../measures/latency';
import type { BenchConsole } from '../report/console';
import { rate, type Measure } from '../report/measure';
import type { Workload } from '../workload/workload';
import { measureBareRoute, measureCommands } from './server-commands';
import { measureOpenLoop } from './server-open-loop';
import { measureReads } from './server-reads';

export interface ServerPhaseOptions {
  root: string;
  dataDir: string;
  runtime: { runtime: ServerRuntime; reason: string };
  workload: Workload;
  httpSeconds: number;
  connections: number;
  /** Reads, closed-loop commands and the bare route (the `server` phase). */
  closedLoop: boolean;
  /** Commands at fixed offered rates and what validation costs (the `open-loop` phase); 0 s: not run. */
  openLoopSeconds: number;
  reporter: BenchConsole;
}

/**
 * Everything measured through HTTP, on the server holding the full ledger: its catch-up on start,
 * custody history and evidence latency, commands under load (closed loop at a fixed number of
 * connections, then open loop at fixed offered rates), its memory at the end; then the bare
 * NestJS route on the same machine, with the ledger's server stopped, for the framework's ceiling.
 */
export async function runServerPhase(options: ServerPhaseOptions): Promise<Measure[]> {
  const { reporter, workload } = options;
  const jwtSecret = randomBytes(32).toString('hex');
  const tokens = new TokenMinter(jwtSecret, options.root);
  const templates = await commandTemplates(workload.seed, tokens);
  const load = { templates, connections: options.connections, seconds: options.httpSeconds, reporter };
  const measures: Measure[] = [];

  reporter.log(`server: ${options.runtime.runtime} (${options.runtime.reason})`);
  const started = nowMs();
  const server = await LedgerServer.start({ root: options.root, runtime: options.runtime.runtime, dataDir: options.dataDir, jwtSecret });
  let failed = true;
  try {
    const first = await server.waitUntilListening();
    const head = first.store.lastGlobalPosition ?? 0;
    const catchUp = reporter.phase('server start + read-model catch-up', head, 'events');
    await server.waitUntilCaughtUp(catchUp);
    const caughtUpMs = nowMs() - started;
    catchUp.finish(`${head.toLocaleString('en-US')} events`);
    measures.push({
      id: 'ours.server-catch-up',
      group: 'ours',
      title: 'server start + read-model catch-up',
      value: rate(head, caughtUpMs),
      unit: 'events/s',
      operations: head,
      durationSeconds: caughtUpMs / 1000,
      notes: ['from process start to projector lag 0, start-up included'],
    });
    // Evidence waits for a signed tree head covering the seizure: let the signer catch up first.
    await server.waitForTreeHead(head);

    if (options.closedLoop) {
      measures.push(...(await measureReads(server, workload, tokens, reporter)));
      measures.push(...(await measureCommands(server, load)));
    }
    if (options.openLoopSeconds > 0)
      measures.push(...(await measureOpenLoop(server, { templates, seconds: options.openLoopSeconds, reporter })));
    const memory = residentMemory(server, options.runtime.runtime);
    if (memory) measures.push(memory);
    else reporter.log('server memory: /proc is not available on this system; not measured');
    failed = false;
  } finally {
    // Stopping a server that already failed must not hide why it failed.
    await server.stop().catch((error: unknown) => {
      if (!failed) throw error;
    });
  }
  if (options.closedLoop) measures.push(await measureBareRoute(options.root, load));
  return measures;
}

function residentMemory(server: LedgerServer, runtime: ServerRuntime): Measure | null {
  const memory = server.process.memory();
  if (!memory) return null;
  return {
    id: 'ours.server-rss',
    group: 'ours',
    title: 'server resident memory at the end',
    value: memory.rssMb,
    unit: 'MB',
    notes: [
      `the server and every process it started (${memory.processes} process${memory.processes === 1 ? '' : 'es'}, ${memory.threads} threads, worker threads inside their process)`,
      `peak ${memory.peakRssMb.toFixed(0)} MB (each process's own peak, summed); MB = MiB`,
      ...(runtime === 'source'
        ? ['run from the sources: ts-node’s TypeScript compiler is counted too; `npm run build` first to measure the build']
        : []),
    ],
    detail: { ...memory },
  };
}
