import { randomBytes } from 'node:crypto';
import { startBareServer } from '../http/bare-server';
import { commandTemplates, type LoadResult } from '../http/command-load';
import { NOT_ON_FASTIFY } from '../http/fastify-app';
import { LedgerServer, sleep } from '../http/ledger-server';
import type { Platform } from '../http/platform-app';
import { TokenMinter } from '../http/tokens';
import { LatencyRecorder } from '../measures/latency';
import type { BenchConsole } from '../report/console';
import type { Measure } from '../report/measure';
import type { Workload } from '../workload/workload';
import { processCpuMicros } from '../support/process-cost';
import { SILENT, probeCommand, runLoad, type LoadSettings } from './server-commands';

/**
 * Issue #19, item 3: is @nestjs/platform-fastify worth a switch? The real application (AppModule,
 * the same configuration, guards, interceptor, filter and pipe) is started on Express and on
 * Fastify in turn, each in a process of its own over the same ledger, and POST /seizures is sent
 * as in the server phase (same bodies, tokens and connections, without and with Idempotency-Key);
 * then each platform's bare NestJS route. Each server is warmed up with the same load, unmeasured,
 * before it is measured: a cold server's first seconds measure the JIT, not the platform. Rounds
 * alternate the order (Express, Fastify, Fastify, Express, …) so that a machine getting busier or a
 * ledger growing favours neither.
 */
export const SWITCH_THRESHOLD = 1.15;

export type PlatformRoute = 'commands' | 'commands-idempotent' | 'bare-route';
export const PLATFORM_ROUTES: ReadonlyArray<{ route: PlatformRoute; title: string }> = [
  { route: 'commands', title: 'POST /seizures' },
  { route: 'commands-idempotent', title: 'POST /seizures, Idempotency-Key' },
  { route: 'bare-route', title: 'bare NestJS route' },
];
export const PLATFORMS: readonly Platform[] = ['express', 'fastify'];
export const platformMeasureId = (platform: Platform, route: PlatformRoute): string => `platform.${platform}.${route}`;
export const PLATFORM_VERDICT_ID = 'platform.fastify-over-express';

export interface PlatformPhaseOptions {
  root: string;
  dataDir: string;
  workload: Workload;
  httpSeconds: number;
  connections: number;
  /** Each round starts each platform once; odd rounds start Fastify first. */
  rounds: number;
  reporter: BenchConsole;
}

/** What the rounds of one platform and route add up to. */
class RouteTally {
  requests = 0;
  seconds = 0;
  cpuMicros: number | null = 0;
  timeouts = 0;
  readonly latency = new LatencyRecorder();

  add(load: LoadResult, latency: LatencyRecorder, cpuMicros: number | null): void {
    this.requests += load.requests;
    this.seconds += load.durationSeconds;
    this.timeouts += load.timeouts;
    this.cpuMicros = this.cpuMicros === null || cpuMicros === null ? null : this.cpuMicros + cpuMicros;
    this.latency.addAll(latency);
  }
}

/** Unmeasured load before each measured one, long enough for the JIT to have compiled the request path. */
const warmUp = (settings: LoadSettings): LoadSettings => ({ ...settings, seconds: Math.max(2, Math.round(settings.seconds / 2)) });

const orderOf = (round: number): readonly Platform[] => (round % 2 === 0 ? PLATFORMS : [...PLATFORMS].reverse());

export async function runPlatformPhase(options: PlatformPhaseOptions): Promise<Measure[]> {
  const jwtSecret = randomBytes(32).toString('hex');
  const tokens = new TokenMinter(jwtSecret, options.root);
  const settings: LoadSettings = {
    templates: await commandTemplates(options.workload.seed, tokens),
    connections: options.connections,
    seconds: options.httpSeconds,
    reporter: options.reporter,
  };
  const tallies = new Map<string, RouteTally>();
  const tally = (platform: Platform, route: PlatformRoute): RouteTally => {
    const id = platformMeasureId(platform, route);
    if (!tallies.has(id)) tallies.set(id, new RouteTally());
    return tallies.get(id) as RouteTally;
  };
  for (let round = 0; round < options.rounds; round++) {
    for (const platform of orderOf(round)) await measureFullPath(platform, { ...options, jwtSecret }, settings, tally);
  }
  for (let round = 0; round < options.rounds; round++) {
    for (const platform of orderOf(round)) await measureBareRoute(platform, options.root, settings, tally(platform, 'bare-route'));
  }
  const measures = PLATFORMS.flatMap((platform) =>
    PLATFORM_ROUTES.map(({ route, title }) => routeMeasure(platform, route, title, tally(platform, route), options)),
  );
  return [...measures, verdict(measures, options.rounds)];
}

async function measureFullPath(
  platform: Platform,
  options: PlatformPhaseOptions & { jwtSecret: string },
  settings: LoadSettings,
  tally: (platform: Platform, route: PlatformRoute) => RouteTally,
): Promise<void> {
  const server = await LedgerServer.start({
    root: options.root,
    runtime: 'source',
    dataDir: options.dataDir,
    jwtSecret: options.jwtSecret,
    platform,
  });
  let failed = true;
  try {
    await untilListeningItself(server, platform);
    await server.waitUntilListening();
    await server.waitUntilCaughtUp(SILENT);
    await probeCommand(server.baseUrl, settings.templates[0]);
    await runLoad(`${platform}: warm-up`, server.baseUrl, '/seizures', true, warmUp(settings), () => server.process.output());
    await server.waitUntilCaughtUp(SILENT);
    for (const route of ['commands', 'commands-idempotent'] as const) {
      const label = `${platform}: POST /seizures, ${settings.connections} connections${route === 'commands' ? '' : ', Idempotency-Key'}`;
      const latency = new LatencyRecorder();
      const cpuBefore = processCpuMicros(server.process.pid);
      const load = await runLoad(
        label,
        server.baseUrl,
        '/seizures',
        route !== 'commands',
        settings,
        () => server.process.output(),
        latency,
      );
      // As in the server phase: projecting the load's events is the requests' work too.
      await server.waitUntilCaughtUp(SILENT);
      const cpuAfter = processCpuMicros(server.process.pid);
      tally(platform, route).add(load, latency, cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore);
    }
    failed = false;
  } finally {
    await server.stop().catch((error: unknown) => {
      if (!failed) throw error;
    });
  }
}

/**
 * Until the child says it listens. Its port was free when chosen, seconds before it binds it: on
 * a shared machine another process may take it first, and /health would then be someone else's.
 */
async function untilListeningItself(server: LedgerServer, platform: Platform, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!server.process.output().includes(`listening on ${platform}`)) {
    if (!server.process.running || Date.now() > deadline)
      throw new Error(`the server on ${platform} did not start listening (its port taken meanwhile?):\n${server.process.output()}`);
    await sleep(100);
  }
}

async function measureBareRoute(platform: Platform, root: string, settings: LoadSettings, tally: RouteTally): Promise<void> {
  const bare = await startBareServer(root, platform);
  try {
    await runLoad(`${platform}: bare route warm-up`, bare.baseUrl, '/bare', false, warmUp(settings), () => bare.process.output());
    const latency = new LatencyRecorder();
    const cpuBefore = processCpuMicros(bare.process.pid);
    const label = `${platform}: bare NestJS route, ${settings.connections} connections`;
    const load = await runLoad(label, bare.baseUrl, '/bare', false, settings, () => bare.process.output(), latency);
    const cpuAfter = processCpuMicros(bare.process.pid);
    tally.add(load, latency, cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore);
  } finally {
    await bare.process.stop();
  }
}

function routeMeasure(platform: Platform, route: PlatformRoute, title: string, tally: RouteTally, options: PlatformPhaseOptions): Measure {
  const cpuPerRequest = tally.cpuMicros === null || tally.requests === 0 ? null : tally.cpuMicros / tally.requests;
  return {
    id: platformMeasureId(platform, route),
    group: 'ours',
    title: `${title} on ${platform === 'express' ? 'Express' : 'Fastify'}, ${options.connections} connections`,
    value: tally.requests / tally.seconds,
    unit: 'requests/s',
    latency: tally.latency.summary(),
    operations: tally.requests,
    durationSeconds: tally.seconds,
    detail: { platform, route, rounds: options.rounds, serverCpuMicrosPerRequest: cpuPerRequest, timeouts: tally.timeouts },
  };
}

const ratioOf = (measures: readonly Measure[], route: PlatformRoute, of: (m: Measure) => number | null): number | null => {
  const find = (platform: Platform) => measures.find((m) => m.id === platformMeasureId(platform, route));
  const express = find('express');
  const fastify = find('fastify');
  const a = express ? of(express) : null;
  const b = fastify ? of(fastify) : null;
  return a === null || b === null || a === 0 ? null : b / a;
};

const cpuOf = (m: Measure): number | null => (m.detail?.serverCpuMicrosPerRequest as number | null | undefined) ?? null;

/**
 * The most Fastify could gain on the full path if the whole difference in CPU per request were the
 * framework's: Express's full-path CPU over the same less what Fastify saves on the bare route.
 * CPU time is far less skewed by a busy machine than requests per second; the lower of the two
 * full-path variants (without and with Idempotency-Key) is taken.
 */
function gainCeiling(measures: readonly Measure[]): number | null {
  const cpu = (platform: Platform, route: PlatformRoute) => {
    const m = measures.find((x) => x.id === platformMeasureId(platform, route));
    return m ? cpuOf(m) : null;
  };
  const saved = [cpu('express', 'bare-route'), cpu('fastify', 'bare-route')];
  const full = [cpu('express', 'commands'), cpu('express', 'commands-idempotent')];
  if (saved.includes(null) || full.includes(null)) return null;
  const perRequest = (saved[0] as number) - (saved[1] as number);
  return Math.min(...(full as number[]).map((c) => c / (c - perRequest)));
}

/**
 * Fastify's requests per second over Express's, per route, and the verdict: a switch is worth it
 * only if the full path, without and with Idempotency-Key, gains at least SWITCH_THRESHOLD.
 */
function verdict(measures: readonly Measure[], rounds: number): Measure {
  const throughput = Object.fromEntries(PLATFORM_ROUTES.map(({ route }) => [route, ratioOf(measures, route, (m) => m.value)]));
  // Express's CPU per request over Fastify's: above 1, Fastify spends less per request.
  const cpuSaving = Object.fromEntries(
    PLATFORM_ROUTES.map(({ route }) => {
      const inverse = ratioOf(measures, route, cpuOf);
      return [route, inverse === null || inverse === 0 ? null : 1 / inverse];
    }),
  );
  const ceiling = gainCeiling(measures);
  const fullPath = [throughput.commands, throughput['commands-idempotent']].filter((r): r is number => r !== null);
  const known = fullPath.length === 2;
  const lowest = known ? Math.min(...fullPath) : NaN;
  return {
    id: PLATFORM_VERDICT_ID,
    group: 'ours',
    title: 'Fastify over Express, full POST /seizures path',
    value: lowest,
    unit: '× Express',
    detail: {
      throughputRatio: throughput,
      serverCpuPerRequestExpressOverFastify: cpuSaving,
      cpuCeiling: ceiling,
      threshold: SWITCH_THRESHOLD,
      clearsThreshold: known ? lowest >= SWITCH_THRESHOLD : null,
      rounds,
      notRunOnFastify: [...NOT_ON_FASTIFY],
    },
  };
}
