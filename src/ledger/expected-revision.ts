import { InvalidEventError, WrongExpectedRevisionError } from './errors';
import type { ExpectedRevision } from './event-store';

/**
 * What an append's expected revision means, written once for every adapter. A stream's current
 * revision is the revision of its last event, or null when it has no events yet.
 *
 * - 'no_stream': append only if the stream has no events; the batch starts at revision 0.
 * - 'stream_exists': append only if the stream has at least one event.
 * - 'any': append whatever the stream holds (the default).
 * - an exact revision n: append only if the stream's last revision is n; the batch starts at n + 1.
 *
 * A refused append raises WrongExpectedRevisionError naming the stream's actual revision, or
 * 'no_stream' when it has no events.
 */

/** A stream's last revision as WrongExpectedRevisionError reports it. */
export type ActualRevision = number | 'no_stream';

/** Throws InvalidEventError unless `expected` is one of the four forms above (an exact revision is a non-negative safe integer). */
export function assertExpectedRevision(expected: unknown): asserts expected is ExpectedRevision {
  if (expected === 'any' || expected === 'no_stream' || expected === 'stream_exists') return;
  if (typeof expected !== 'number' || !Number.isSafeInteger(expected) || expected < 0) {
    throw new InvalidEventError(undefined, 'expectedRevision must be a non-negative integer');
  }
}

/** Whether `expected` allows an append to a stream whose current revision is `current` (null: no events). */
export function allowsAppend(expected: ExpectedRevision, current: number | null): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return current === null;
    case 'stream_exists':
      return current !== null;
    default:
      return current === expected;
  }
}

/** Throws WrongExpectedRevisionError unless `expected` allows an append at `current`. */
export function assertAppendAllowed(streamName: string, expected: ExpectedRevision, current: number | null): void {
  if (!allowsAppend(expected, current)) throw new WrongExpectedRevisionError(streamName, expected, actualRevision(current));
}

/** The revision at which a caller with this expectation means to write its first event, when it says ('no_stream', exact). */
export function expectedFirstRevision(expected: ExpectedRevision): number | null {
  if (expected === 'no_stream') return 0;
  if (typeof expected === 'number') return expected + 1;
  return null;
}

/** A current revision (null: no events) as the error reports it. */
export function actualRevision(current: number | null): ActualRevision {
  return current ?? 'no_stream';
}
