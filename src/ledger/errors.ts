import type { ExpectedRevision } from './event-store';

/** Base of every error the event store port throws; adapters translate their own errors to these. */
export abstract class EventStoreError extends Error {
  abstract readonly code: string;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class WrongExpectedRevisionError extends EventStoreError {
  readonly code = 'wrong_expected_revision';
  constructor(
    readonly streamName: string,
    readonly expected: ExpectedRevision,
    /** The stream's last revision, or 'no_stream' when it has no events. */
    readonly actual: number | 'no_stream',
  ) {
    super(`stream ${streamName}: expected revision ${String(expected)}, actual ${String(actual)}`);
  }
}

export class StreamNotFoundError extends EventStoreError {
  readonly code = 'stream_not_found';
  constructor(readonly streamName: string) {
    super(`stream ${streamName} not found`);
  }
}

export class DuplicateEventIdError extends EventStoreError {
  readonly code = 'duplicate_event_id';
  constructor(
    readonly eventId: string,
    readonly reason: string,
  ) {
    super(`event id ${eventId} cannot be appended: ${reason}`);
  }
}

export class EventTooLargeError extends EventStoreError {
  readonly code = 'event_too_large';
  constructor(
    readonly eventId: string,
    readonly bytes: number,
    readonly limit: number,
  ) {
    super(`event ${eventId} is ${bytes} bytes; the limit is ${limit}`);
  }
}

export class InvalidEventError extends EventStoreError {
  readonly code = 'invalid_event';
  constructor(
    readonly eventId: string | undefined,
    readonly reason: string,
  ) {
    super(`event ${eventId ?? '(no id)'} is invalid: ${reason}`);
  }
}

export class StoreUnavailableError extends EventStoreError {
  readonly code = 'store_unavailable';
  constructor(
    reason: string,
    override readonly cause?: unknown,
  ) {
    super(`event store unavailable: ${reason}`);
  }
}
