import { randomUUID } from 'node:crypto';
import { startBareServer } from '../http/bare-server';
import { TIMEOUT_SECONDS, bodyOf, runCommandLoad, type CommandTemplate, type LoadResult } from '../http/command-load';
import { httpPost } from '../http/http-get';
import type { LedgerServer } from '../http/ledger-server';
import type { LatencyRecorder } from '../measures/latency';
import type { BenchConsole, PhaseProgress } from '../report/console';
import type { Measure } from '../report/measure';
import { processCpuMicros } from '../support/process-cost';

export interface LoadSettings {
  templates: readonly CommandTemplate[];
  connections: number;
  seconds: number;
  reporter: BenchConsole;
}

/** POST /seizures under load through the whole pipeline, without and with an Idempotency-Key. */
export async function measureCommands(server: LedgerServer, settings: LoadSettings): Promise<Measure[]> {
  await probeCommand(server.baseUrl, settings.templates[0]);
  const measures: Measure[] = [];
  for (const idempotencyKeys of [false, true]) {
    const label = `POST /seizures, ${settings.connections} connections${idempotencyKeys ? ', Idempotency-Key' : ''}`;
    const cpuBefore = processCpuMicros(server.process.pid);
    const load = await runLoad(label, server.baseUrl, '/seizures', idempotencyKeys, settings, () => server.process.output());
    // After the read models have projected the load's events: that work is the requests' too.
    await server.waitUntilCaughtUp(SILENT);
    const cpuAfter = processCpuMicros(server.process.pid);
    const serverCpu = cpuBefore === null || cpuAfter === null ? null : (cpuAfter - cpuBefore) / load.requests;
    measures.push(
      loadMeasure(
        idempotencyKeys ? 'ours.http-commands-idempotent' : 'ours.http-commands',
        `HTTP record seizure, ${settings.connections} connections${idempotencyKeys ? ', with Idempotency-Key' : ''}`,
        load,
        'ours',
        [
          'auth, validation, decide, append, projection in the server',
          ...(idempotencyKeys ? ['each request with its own Idempotency-Key (claimed and stored in idempotency.sqlite)'] : []),
          serverCpu === null
            ? 'server CPU per request: not measured (no /proc on this system)'
            : `${Math.round(serverCpu).toLocaleString('en-US')} µs of server CPU per request (its threads and the projection of its events included)`,
        ],
        { serverCpuMicrosPerRequest: serverCpu },
      ),
    );
  }
  return measures;
}

export const SILENT: PhaseProgress = { update: () => undefined, finish: () => undefined };

/** The same bodies to the bare NestJS app, alone on the machine: the framework's own ceiling. */
export async function measureBareRoute(root: string, settings: LoadSettings): Promise<Measure> {
  const bare = await startBareServer(root);
  try {
    const load = await runLoad(`bare NestJS route, ${settings.connections} connections`, bare.baseUrl, '/bare', false, settings, () =>
      bare.process.output(),
    );
    return loadMeasure('limit.http-bare-route', `bare NestJS route, ${settings.connections} connections`, load, 'limit', [
      'a separate NestJS app: Express, JSON body parser, one POST route; the same bodies',
    ]);
  } finally {
    await bare.process.stop();
  }
}

export async function runLoad(
  label: string,
  baseUrl: string,
  path: string,
  idempotencyKeys: boolean,
  settings: LoadSettings,
  serverOutput: () => string,
  latency?: LatencyRecorder,
): Promise<LoadResult> {
  const progress = settings.reporter.phase(label, settings.seconds, 's');
  const load = await runCommandLoad({
    baseUrl,
    path,
    templates: settings.templates,
    connections: settings.connections,
    seconds: settings.seconds,
    idempotencyKeys,
    progress,
    latency,
  });
  // A refused request means the bench sends something wrong; a slow one is a result.
  if (load.non2xx > 0 || load.errors > 0) {
    throw new Error(
      `${label}: ${load.non2xx} answers were not 2xx and ${load.errors} connections failed (status codes ${JSON.stringify(load.statusCodes)})\n--- server output ---\n${serverOutput()}`,
    );
  }
  progress.finish(`${Math.round(load.requestsPerSecond).toLocaleString('en-US')} requests/s, p99 ${load.latency.p99Ms.toFixed(1)} ms`);
  return load;
}

/** One request before the load, so a refused body shows the server's reason rather than a count. */
export async function probeCommand(baseUrl: string, template: CommandTemplate): Promise<void> {
  const answer = await httpPost(`${baseUrl}/seizures`, template.headers, bodyOf(template, randomUUID()));
  if (answer.status !== 201) throw new Error(`POST /seizures answered ${answer.status}: ${answer.body.slice(0, 1000)}`);
}

function loadMeasure(
  id: string,
  title: string,
  load: LoadResult,
  group: 'ours' | 'limit',
  notes: string[],
  detail: Record<string, number | null> = {},
): Measure {
  return {
    id,
    group,
    title,
    value: load.requestsPerSecond,
    unit: 'requests/s',
    latency: load.latency,
    operations: load.requests,
    durationSeconds: load.durationSeconds,
    notes: [
      ...notes,
      ...(load.timeouts > 0 ? [`${load.timeouts} requests unanswered after ${TIMEOUT_SECONDS} s, counted as ${TIMEOUT_SECONDS} s`] : []),
    ],
    detail: { statusCodes: load.statusCodes, timeouts: load.timeouts, ...detail },
  };
}
