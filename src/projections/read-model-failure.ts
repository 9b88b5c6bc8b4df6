import type { RecordedEvent } from '../ledger/event-store';

/**
 * Where and why a read model stopped: the event its `apply` threw on, named by its envelope only
 * (never its data, which may hold personal data), and the error's message. Persisted in the
 * read model's checkpoint row; every other read model keeps going.
 */
export interface ReadModelFailure {
  /** Global position of the event the read model could not apply. */
  position: number;
  eventId: string;
  eventType: string;
  streamName: string;
  /** The error's message, cut to MAX_ERROR_LENGTH characters. */
  error: string;
}

/** A read model as the query side sees it: how far it is, and whether it stopped. */
export interface ReadModelState {
  name: string;
  /** Every event up to here is applied (its checkpoint). */
  position: number;
  failure?: ReadModelFailure;
}

export type FailedReadModel = ReadModelState & { failure: ReadModelFailure };

/** Long enough for any real message, short enough that a stack or a dump cannot ride along. */
export const MAX_ERROR_LENGTH = 500;

export function errorMessageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.length <= MAX_ERROR_LENGTH ? message : `${message.slice(0, MAX_ERROR_LENGTH - 1)}…`;
}

export function failureAt(event: RecordedEvent, error: unknown): ReadModelFailure {
  return {
    position: event.globalPosition,
    eventId: event.id,
    eventType: event.type,
    streamName: event.streamName,
    error: errorMessageOf(error),
  };
}

/** One line for logs and /health's `detail`: the read model and the event, not the event's data. */
export function describeFailure(name: string, failure: ReadModelFailure): string {
  return `read model "${name}" failed on event #${failure.position} (${failure.eventType}, id ${failure.eventId})`;
}
