/**
 * The highest offered rate a server keeps under a p99 bound, found in a few runs: from a first
 * rate, double while the bound holds (halve while it does not), then bisect between the highest
 * rate that held and the lowest that did not, until they are within `precision` of each other
 * or the runs are spent. Each step is a whole open-loop run, so the number of runs is bounded.
 */
export interface RateStep {
  rate: number;
  p99Ms: number;
  /** p99 under the bound and every request answered with 2xx. */
  held: boolean;
}

export interface RateSearchOptions {
  /** The first rate tried; a step already run at it can be passed as `known`. */
  start: number;
  p99BelowMs: number;
  /** Runs one open-loop step at `rate` and says its p99 and whether every request succeeded. */
  run: (rate: number) => Promise<{ p99Ms: number; allAnswered: boolean }>;
  maxSteps: number;
  /** Stop bisecting when the highest rate that failed is within this factor of the highest that held. */
  precision?: number;
  /** Lowest and highest rates ever tried. */
  minRate?: number;
  maxRate?: number;
  known?: RateStep;
}

export interface RateSearchResult {
  /** The highest rate that held; null if none did, down to minRate. */
  highestRate: number | null;
  /** The lowest rate that did not hold, if any was reached. */
  lowestFailingRate: number | null;
  steps: RateStep[];
  /** True when the search stopped on maxSteps or maxRate rather than on precision. */
  bounded: boolean;
}

export async function searchHighestRate(options: RateSearchOptions): Promise<RateSearchResult> {
  const precision = options.precision ?? 1.1;
  const minRate = options.minRate ?? 1;
  const maxRate = options.maxRate ?? 100_000;
  const steps: RateStep[] = options.known ? [options.known] : [];
  const step = async (rate: number): Promise<RateStep> => {
    const run = await options.run(rate);
    const result = { rate, p99Ms: run.p99Ms, held: run.allAnswered && run.p99Ms < options.p99BelowMs };
    steps.push(result);
    return result;
  };
  const room = () => steps.length < options.maxSteps;

  let held: number | null = null;
  let failed: number | null = null;
  const first = options.known ?? (await step(Math.round(options.start)));
  if (first.held) held = first.rate;
  else failed = first.rate;

  // Bracket: double up while the bound holds, halve down while it does not.
  while (room() && (held === null || failed === null)) {
    const rate = held === null ? Math.floor((failed as number) / 2) : Math.min(maxRate, held * 2);
    if (rate < minRate || (held !== null && rate === held)) break;
    const result = await step(rate);
    if (result.held) held = rate;
    else failed = rate;
  }
  // Bisect, on a geometric middle: the bracket spans a factor of two or more.
  while (room() && held !== null && failed !== null && failed / held > precision) {
    const rate = Math.round(Math.sqrt(held * failed));
    if (rate <= held || rate >= failed) break;
    const result = await step(rate);
    if (result.held) held = rate;
    else failed = rate;
  }
  const precise = held !== null && failed !== null && (failed / held <= precision || failed - held <= 1);
  return { highestRate: held, lowestFailingRate: failed, steps, bounded: !precise };
}
