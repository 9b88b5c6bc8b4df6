import type { RecordedEvent } from '../ledger/event-store';
import { upcastSeizureEvent } from '../custody/upcasters';
import { seizureStreamName, type SeizureEvent } from '../custody/events';
import type { JsonValue } from '../shared/json';
import type { ProjectedEvent } from './projection';

/** Turns a stored event of any schema version into the current shape; throws on unknown types. */
export type Upcaster = (type: string, data: JsonValue, schemaVersion: number) => SeizureEvent;

export const SEIZURE_STREAM_PREFIX = seizureStreamName('');

/** Events written before versioning carried no schemaVersion: they are version 1. */
const FIRST_SCHEMA_VERSION = 1;

/** The event's position, stream and type, for error messages that let an operator find it. */
export const describeEvent = (e: RecordedEvent): string => `#${e.globalPosition} (${e.type} in ${e.streamName} at revision ${e.revision})`;

export class UnreadableEventError extends Error {
  constructor(
    readonly event: RecordedEvent,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`event ${describeEvent(event)} cannot be projected: ${reason}`, options);
    this.name = 'UnreadableEventError';
  }
}

/**
 * The event as projections see it, or null when it does not belong to a seizure (other streams
 * only move checkpoints). Upcast to the current shape and deeply frozen, so that one projection
 * cannot change what the next one sees.
 */
export function toProjectedEvent(e: RecordedEvent, upcast: Upcaster = upcastSeizureEvent): ProjectedEvent | null {
  if (!e.streamName.startsWith(SEIZURE_STREAM_PREFIX)) return null;
  const { actor, occurredAt, schemaVersion } = e.metadata;
  if (typeof actor !== 'object' || actor === null || Array.isArray(actor) || typeof actor.sub !== 'string') {
    throw new UnreadableEventError(e, 'its metadata names no actor');
  }
  if (typeof occurredAt !== 'string') throw new UnreadableEventError(e, 'its metadata has no occurredAt');
  let event: SeizureEvent;
  try {
    event = upcast(e.type, e.data, typeof schemaVersion === 'number' ? schemaVersion : FIRST_SCHEMA_VERSION);
  } catch (error) {
    throw new UnreadableEventError(e, error instanceof Error ? error.message : String(error), { cause: error });
  }
  return deepFreeze({ ...event, ...storedPlaceOf(e) });
}

/** Where and how the store holds the event: everything of a ProjectedEvent but its type and data. */
function storedPlaceOf(e: RecordedEvent) {
  return {
    streamName: e.streamName,
    seizureId: e.streamName.slice(SEIZURE_STREAM_PREFIX.length),
    revision: e.revision,
    globalPosition: e.globalPosition,
    eventId: e.id,
    hash: e.hash,
    recordedAt: e.recordedAt,
    metadata: e.metadata as ProjectedEvent['metadata'],
    ...(e.envelopes === undefined ? {} : { envelopes: e.envelopes }),
  };
}

/**
 * A seizure event this release cannot read, as the store holds it: type and data unconverted.
 * Only for projections marked `usesStoredEventOnly`, which read nothing but its place and hash.
 */
export function storedEventView(e: RecordedEvent): ProjectedEvent | null {
  if (!e.streamName.startsWith(SEIZURE_STREAM_PREFIX)) return null;
  return deepFreeze({ type: e.type, data: e.data, ...storedPlaceOf(e) } as unknown as ProjectedEvent);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
