import type { FailedReadModel } from '../../projections/read-model-failure';

export type EvidenceNotReadyCode =
  'bundle-read-model-failed' | 'bundle-read-models-stopped' | 'bundle-not-yet-covered' | 'awaiting-witnesses';

/**
 * A bundle cannot be built yet: what it needs does not cover the seizure's latest event. The
 * code says whether retrying helps: soon (not yet covered) or only after a fix (the others).
 */
export class EvidenceNotReadyError extends Error {
  constructor(
    readonly code: EvidenceNotReadyCode,
    message: string,
    /** The failed read models, for bundle-read-model-failed. */
    readonly failed: readonly FailedReadModel[] = [],
  ) {
    super(message);
    this.name = 'EvidenceNotReadyError';
  }

  /** A read model the bundle needs threw on an event before the seizure's latest. */
  static readModelFailed(failed: readonly FailedReadModel[]): EvidenceNotReadyError {
    return new EvidenceNotReadyError('bundle-read-model-failed', `read models failed: ${failed.map((f) => f.name).join(', ')}`, failed);
  }

  /** The read-model database itself failed: nothing moves until the server is restarted. */
  static readModelsStopped(): EvidenceNotReadyError {
    return new EvidenceNotReadyError(
      'bundle-read-models-stopped',
      "The read models stopped before the seizure's latest event; retrying will not help until the cause is fixed and the server restarted.",
    );
  }

  /** Still on its way: `what` (the read models, a signed tree head) will include the event shortly. */
  static notYetCovered(what: string): EvidenceNotReadyError {
    return new EvidenceNotReadyError(
      'bundle-not-yet-covered',
      `The seizure's latest event is not yet included in ${what}; retry in a few seconds.`,
    );
  }

  /** A signed head covers the event, but not yet one that a quorum of the witnesses cosigned. */
  static awaitingWitnesses(quorum: number, waitedMs: number): EvidenceNotReadyError {
    return new EvidenceNotReadyError(
      'awaiting-witnesses',
      `No checkpoint covering the seizure's latest event has been cosigned by ${quorum} witnesses yet (waited ${waitedMs} ms); ` +
        'a witness may be down or slow. Retry shortly.',
    );
  }
}
