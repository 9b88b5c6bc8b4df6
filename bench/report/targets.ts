import type { Measure } from './measure';

/**
 * The targets, stated for one run at the default size (100,000 seizures) on 2 cores.
 * A ratio target compares one of ours with a limit or the peer measured in the same run.
 */
export type Target =
  | { kind: 'ratio'; measure: string; against: string; atLeast: number; text: string }
  | { kind: 'p99-below'; measure: string; ms: number; text: string }
  | { kind: 'value-below'; measure: string; value: number; text: string };

export const TARGETS: readonly Target[] = [
  { kind: 'ratio', measure: 'ours.store-append-c64', against: 'limit.fdatasync', atLeast: 7, text: '≥ 7× fdatasync' },
  { kind: 'ratio', measure: 'ours.store-append-c64', against: 'limit.sqlite-insert-100', atLeast: 0.5, text: '≥ 0.5× raw 100/txn' },
  { kind: 'ratio', measure: 'ours.store-append-c64', against: 'peer.emmett-append-c64', atLeast: 30, text: '≥ 30× peer' },
  { kind: 'ratio', measure: 'ours.http-commands', against: 'limit.http-bare-route', atLeast: 0.4, text: '≥ 0.4× bare route' },
  { kind: 'p99-below', measure: 'ours.http-commands', ms: 50, text: 'p99 < 50 ms' },
  { kind: 'ratio', measure: 'ours.rebuild', against: 'limit.sqlite-read-parse', atLeast: 0.5, text: '≥ 0.5× raw read+parse' },
  { kind: 'p99-below', measure: 'ours.custody-history', ms: 5, text: 'p99 < 5 ms' },
  { kind: 'p99-below', measure: 'ours.evidence-bundle', ms: 50, text: 'p99 < 50 ms' },
  { kind: 'value-below', measure: 'ours.server-rss', value: 300, text: '< 300 MB' },
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
    }
  });
}
