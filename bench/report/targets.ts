import type { Measure } from './measure';

/**
 * The targets of issue #19, stated for one run at the default size (100,000 seizures) on 2 cores.
 * A ratio target compares one of ours with a limit measured in the same run; a duration target
 * is the time the measure took (its operations at its rate).
 */
export type Target =
  | { kind: 'ratio'; measure: string; against: string; atLeast: number; text: string }
  | { kind: 'p99-below'; measure: string; ms: number; text: string }
  | { kind: 'value-below'; measure: string; value: number; text: string }
  | { kind: 'value-at-least'; measure: string; value: number; text: string }
  | { kind: 'duration-below'; measure: string; seconds: number; text: string };

export const TARGETS: readonly Target[] = [
  { kind: 'value-at-least', measure: 'ours.http-commands', value: 1000, text: '≥ 1,000 req/s' },
  { kind: 'ratio', measure: 'ours.http-commands', against: 'limit.http-bare-route', atLeast: 0.4, text: '≥ 0.4× bare route' },
  { kind: 'p99-below', measure: 'ours.http-open-loop-200', ms: 25, text: 'p99 < 25 ms' },
  { kind: 'value-at-least', measure: 'ours.store-append-c64', value: 20_000, text: '≥ 20,000 events/s' },
  {
    kind: 'ratio',
    measure: 'ours.store-append-c64',
    against: 'limit.sqlite-insert-achieved',
    atLeast: 0.5,
    text: '≥ 0.5× raw at the achieved rows/txn',
  },
  { kind: 'duration-below', measure: 'ours.rebuild', seconds: 60, text: 'under 60 s' },
  { kind: 'duration-below', measure: 'ours.server-catch-up', seconds: 60, text: 'under 60 s' },
  { kind: 'p99-below', measure: 'ours.custody-history', ms: 3, text: 'p99 < 3 ms' },
  { kind: 'p99-below', measure: 'ours.evidence-bundle', ms: 10, text: 'p99 < 10 ms' },
  { kind: 'value-below', measure: 'ours.server-rss', value: 200, text: '< 200 MB' },
];

export interface TargetResult {
  text: string;
  measure: string;
  against?: string;
  /** The ratio, p99 or value compared. */
  actual: number | null;
  /** null when a measure it needs was not run. */
  met: boolean | null;
}

export const ratio = (ours: Measure | undefined, reference: Measure | undefined): number | null =>
  ours && reference && reference.value > 0 ? ours.value / reference.value : null;

export function evaluateTargets(measures: ReadonlyMap<string, Measure>): TargetResult[] {
  return TARGETS.map((target) => {
    const measure = measures.get(target.measure);
    switch (target.kind) {
      case 'ratio': {
        const actual = ratio(measure, measures.get(target.against));
        return {
          text: target.text,
          measure: target.measure,
          against: target.against,
          actual,
          met: actual === null ? null : actual >= target.atLeast,
        };
      }
      case 'p99-below': {
        const actual = measure?.latency?.p99Ms ?? null;
        return { text: target.text, measure: target.measure, actual, met: actual === null ? null : actual < target.ms };
      }
      case 'value-below': {
        const actual = measure?.value ?? null;
        return { text: target.text, measure: target.measure, actual, met: actual === null ? null : actual < target.value };
      }
      case 'value-at-least': {
        const actual = measure?.value ?? null;
        return { text: target.text, measure: target.measure, actual, met: actual === null ? null : actual >= target.value };
      }
      case 'duration-below': {
        const actual = measure?.durationSeconds ?? null;
        return { text: target.text, measure: target.measure, actual, met: actual === null ? null : actual < target.seconds };
      }
    }
  });
}
