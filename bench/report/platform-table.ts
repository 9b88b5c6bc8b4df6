import type { Platform } from '../http/platform-app';
import { PLATFORM_ROUTES, PLATFORM_VERDICT_ID, SWITCH_THRESHOLD, platformMeasureId, type PlatformRoute } from '../phases/platform-compare';
import type { Measure } from './measure';
import { formatNumber, renderTable } from './table';

export const PLATFORM_EXPLANATION =
  'Express against Fastify (issue #19): the real application on each platform in turn, in a process of its own from the sources, over the ' +
  'same ledger; the same bodies, tokens and connections as the server phase; rates over all rounds; CPU = the server process per request.';

interface VerdictDetail {
  throughputRatio: Record<PlatformRoute, number | null>;
  serverCpuPerRequestExpressOverFastify: Record<PlatformRoute, number | null>;
  clearsThreshold: boolean | null;
  cpuCeiling: number | null;
  rounds: number;
  notRunOnFastify: string[];
}

const times = (r: number | null | undefined): string => (r === null || r === undefined || !Number.isFinite(r) ? '–' : `${r.toFixed(2)}×`);
const cpu = (m: Measure | undefined): string => {
  const micros = m?.detail?.serverCpuMicrosPerRequest;
  return typeof micros === 'number' ? `${Math.round(micros).toLocaleString('en-US')} µs` : '–';
};

/** The comparison, its verdict and what could not run on Fastify; nothing when the phase did not run. */
export function renderPlatformTable(measures: ReadonlyMap<string, Measure>): string[] {
  const verdict = measures.get(PLATFORM_VERDICT_ID);
  if (!verdict) return [];
  const detail = verdict.detail as unknown as VerdictDetail;
  const of = (platform: Platform, route: PlatformRoute) => measures.get(platformMeasureId(platform, route));
  const rows = PLATFORM_ROUTES.map(({ route, title }) => {
    const express = of('express', route);
    const fastify = of('fastify', route);
    return [
      title,
      formatNumber(express?.value),
      `${formatNumber(express?.latency?.p50Ms)} / ${formatNumber(express?.latency?.p99Ms)}`,
      cpu(express),
      formatNumber(fastify?.value),
      `${formatNumber(fastify?.latency?.p50Ms)} / ${formatNumber(fastify?.latency?.p99Ms)}`,
      cpu(fastify),
      times(detail.throughputRatio[route]),
      times(detail.serverCpuPerRequestExpressOverFastify[route]),
    ];
  });
  const table = renderTable(
    ['route', 'Express req/s', 'p50 / p99 ms', 'CPU', 'Fastify req/s', 'p50 / p99 ms', 'CPU', 'req/s F÷E', 'CPU E÷F'],
    ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
    rows,
  );
  const timeouts = (platform: Platform) =>
    PLATFORM_ROUTES.reduce((sum, { route }) => sum + Number(of(platform, route)?.detail?.timeouts ?? 0), 0);
  const unanswered =
    timeouts('express') + timeouts('fastify') > 0
      ? [`requests unanswered after 10 s, counted as 10 s: Express ${timeouts('express')}, Fastify ${timeouts('fastify')}`]
      : [];
  const threshold = `+${Math.round((SWITCH_THRESHOLD - 1) * 100)} %`;
  // A gain the framework's own CPU cannot account for is the machine's noise, not Fastify's.
  const unexplained = detail.cpuCeiling !== null && detail.cpuCeiling < SWITCH_THRESHOLD;
  const answer =
    detail.clearsThreshold === null
      ? 'not judged (a figure is missing)'
      : detail.clearsThreshold && unexplained
        ? `clears the ${threshold} in requests/s, more than the CPU ceiling below allows: noise, not a reason to switch; run again on a quiet machine`
        : detail.clearsThreshold
          ? `clears the ${threshold} a switch needs`
          : `below the ${threshold} a switch needs: stay on Express`;
  return [
    PLATFORM_EXPLANATION,
    '',
    table,
    '',
    `verdict (${detail.rounds} round${detail.rounds === 1 ? '' : 's'}): Fastify ÷ Express on the full path, the lower of the two: ${times(verdict.value)}, ${answer}`,
    ...unanswered,
    `ceiling from CPU: if all Fastify saves per request on the bare route were saved on the full path too, at most ${times(detail.cpuCeiling)}`,
    ...detail.notRunOnFastify.map((what) => `not on Fastify: ${what}`),
    '',
  ];
}
