import type { CommandTemplate } from '../http/command-load';
import type { LedgerServer } from '../http/ledger-server';
import { OpenLoopSender } from '../http/open-loop-sender';
import { runOpenLoop, type OpenLoopResult } from '../measures/open-loop';
import { searchHighestRate, type RateStep } from '../measures/rate-search';
import { measureValidationCost } from '../measures/validation-cost';
import type { BenchConsole } from '../report/console';
import type { Measure } from '../report/measure';

/** The fixed rate, and the p99 bound of the highest rate searched for (issue #19). */
export const OPEN_LOOP_RATE = 200;
export const OPEN_LOOP_P99_MS = 25;
/** Runs of the search, the one at OPEN_LOOP_RATE included: doubling (or halving), then bisection. */
const SEARCH_STEPS = 8;
/** How long unanswered requests are still waited for after the last one was due. */
const DRAIN_MS = 11_000;

export interface OpenLoopSettings {
  templates: readonly CommandTemplate[];
  /** Length of each run at one rate. */
  seconds: number;
  reporter: BenchConsole;
}

/**
 * POST /seizures at fixed offered rates, latency from each request's due time: 200 requests/s,
 * then the highest rate whose p99 stays under 25 ms. Before each run the read models are let
 * catch up, so a backlog left by an overloaded run does not count against the next one.
 * Then what validation costs of such a request, in process, beside its latency at 200/s.
 */
export async function measureOpenLoop(server: LedgerServer, settings: OpenLoopSettings): Promise<Measure[]> {
  const { reporter, seconds } = settings;
  const sender = new OpenLoopSender(`${server.baseUrl}/seizures`, settings.templates);
  const quiet = { update: () => undefined, finish: () => undefined };
  const runAt = async (rate: number, runSeconds: number, label: string): Promise<OpenLoopRun> => {
    await server.waitUntilCaughtUp(quiet);
    sender.startRun();
    const progress = reporter.phase(label, Math.ceil(runSeconds), 's');
    const result = await runOpenLoop({
      rate,
      seconds: runSeconds,
      send: sender.send,
      drainMs: DRAIN_MS,
      onProgress: (ms) => progress.update(Math.floor(ms / 1000)),
    });
    const answers = { statusCodes: { ...sender.statusCodes }, connectionErrors: sender.errors, errorKinds: { ...sender.errorKinds } };
    progress.finish(
      `p50 ${result.latency.p50Ms.toFixed(1)} ms, p99 ${result.latency.p99Ms.toFixed(1)} ms, ${result.ok}/${result.scheduled} answered 2xx` +
        (result.ok < result.scheduled ? ` (${JSON.stringify(answers)})` : ''),
    );
    return { ...result, ...answers };
  };
  try {
    await runAt(OPEN_LOOP_RATE, Math.max(1, seconds / 10), `open loop warm-up, ${OPEN_LOOP_RATE}/s`);
    const fixed = await runAt(OPEN_LOOP_RATE, seconds, `open loop, ${OPEN_LOOP_RATE} requests/s`);
    if (fixed.ok === 0) throw new Error(`open loop: no request answered 2xx (status codes ${JSON.stringify(sender.statusCodes)})`);
    const runs = new Map<number, OpenLoopRun>([[OPEN_LOOP_RATE, fixed]]);
    const search = await searchHighestRate({
      start: OPEN_LOOP_RATE,
      p99BelowMs: OPEN_LOOP_P99_MS,
      maxSteps: SEARCH_STEPS,
      minRate: 5,
      known: { rate: OPEN_LOOP_RATE, p99Ms: fixed.latency.p99Ms, held: allAnswered(fixed) && fixed.latency.p99Ms < OPEN_LOOP_P99_MS },
      run: async (rate) => {
        const result = await runAt(rate, seconds, `open loop, ${rate} requests/s`);
        runs.set(rate, result);
        return { p99Ms: result.latency.p99Ms, allAnswered: allAnswered(result) };
      },
    });
    const best = search.highestRate === null ? undefined : runs.get(search.highestRate);
    reporter.log(`open loop: highest rate with p99 < ${OPEN_LOOP_P99_MS} ms: ${search.highestRate ?? 'none'} requests/s`);
    const validation = await measureValidationCost(settings.templates, Math.max(0.5, seconds / 10), fixed.latency.p50Ms);
    return [
      openLoopMeasure('ours.http-open-loop-200', `HTTP record seizure, open loop at ${OPEN_LOOP_RATE} requests/s`, fixed, []),
      {
        ...openLoopMeasure(
          'ours.http-open-loop-max-rate',
          `HTTP record seizure, highest open-loop rate with p99 < ${OPEN_LOOP_P99_MS} ms`,
          best,
          [
            ...(search.highestRate === null
              ? [`no rate tried, down to ${Math.min(...search.steps.map((s) => s.rate))}/s, kept p99 under ${OPEN_LOOP_P99_MS} ms`]
              : []),
            `searched: ${search.steps.map(describeStep).join(', ')}`,
            ...(search.bounded ? [`the search stopped after ${search.steps.length} runs, before the bracket closed to 10 %`] : []),
          ],
        ),
        value: search.highestRate ?? NaN,
        detail: { steps: search.steps, lowestFailingRate: search.lowestFailingRate, bounded: search.bounded, run: best ?? null },
      },
      validation,
    ];
  } finally {
    sender.close();
  }
}

/** A run with what the server answered: a refusal or a broken connection is a result too. */
type OpenLoopRun = OpenLoopResult & { statusCodes: Record<string, number>; connectionErrors: number; errorKinds: Record<string, number> };

const allAnswered = (r: OpenLoopResult): boolean => r.ok === r.scheduled;

const describeStep = (s: RateStep): string => `${s.rate}/s p99 ${s.p99Ms.toFixed(1)} ms ${s.held ? 'held' : 'missed'}`;

function openLoopMeasure(id: string, title: string, run: OpenLoopRun | undefined, notes: string[]): Measure {
  return {
    id,
    group: 'ours',
    title,
    value: run ? run.ok / run.durationSeconds : NaN,
    unit: 'requests/s',
    latency: run?.latency,
    operations: run?.scheduled,
    durationSeconds: run?.durationSeconds,
    notes: [
      'latency from each request’s due time, requests sent on schedule with no cap on unanswered ones (no coordinated omission)',
      ...(run
        ? [
            `at most ${run.maxOutstanding} unanswered at once; the client was at most ${run.maxSendLagMs.toFixed(1)} ms late sending`,
            ...(run.ok < run.scheduled
              ? [
                  `${run.scheduled - run.ok} of ${run.scheduled} not answered 2xx: status codes ${JSON.stringify(run.statusCodes)}, ${run.connectionErrors} connection errors or timeouts, ${run.unanswered} unanswered at the end`,
                ]
              : []),
          ]
        : []),
      ...notes,
    ],
    detail: run ? { ...run } : undefined,
  };
}
