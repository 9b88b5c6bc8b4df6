import { HttpStatus } from '@nestjs/common';
import { withholdPersonalData } from '../../custody/personal-data';
import type { Actor } from '../../shared/actor';
import { ProblemHttpException } from '../../platform/http/problem-details.filter';
import type { JsonValue } from '../../shared/json';
import type { ProjectedEvent } from '../../projections/projection';

/** The `data:` of one feed event. */
export interface FeedEventData {
  seizureId: string;
  type: string;
  revision: number;
  globalPosition: number;
  occurredAt: string;
  actorSub: string;
  hash: string;
  data: JsonValue;
  /** True when personal-data fields of `data` were replaced by the redaction marker for the caller's role; the hash covers the full original. */
  redacted: boolean;
}

/** Sent every heartbeat interval, so proxies keep the connection and clients notice a dead one. */
export const SSE_HEARTBEAT = ': heartbeat\n\n';
/** How long a browser's EventSource waits before reconnecting (with Last-Event-ID). */
export const SSE_RETRY_MS = 3000;

export function toFeedEventData(event: ProjectedEvent, actor: Actor): FeedEventData {
  const { data, redacted } = withholdPersonalData(event.type, event.data as unknown as JsonValue, actor);
  return {
    seizureId: event.seizureId,
    type: event.type,
    revision: event.revision,
    globalPosition: event.globalPosition,
    occurredAt: event.metadata.occurredAt,
    actorSub: event.metadata.actor.sub,
    hash: event.hash,
    data,
    redacted,
  };
}

/** One SSE message: `id` is the global position, so Last-Event-ID says where to resume. */
export function sseMessage(data: FeedEventData): string {
  // JSON.stringify escapes line breaks inside strings, so the data is always one line.
  return `id: ${data.globalPosition}\nevent: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`;
}

export const sseComment = (text: string): string => `: ${text.replace(/[\r\n]+/g, ' ')}\n\n`;

/**
 * The position to resume after: the Last-Event-ID header a reconnecting EventSource sends, or
 * `?lastEventId=` for a first connection. Undefined when neither is given (start with new events).
 */
export function parseLastEventId(header: string | undefined, query: unknown): number | undefined {
  const given = header !== undefined && header.trim() !== '' ? header.trim() : query;
  if (given === undefined || given === '') return undefined;
  if (typeof given !== 'string' || !/^\d{1,16}$/.test(given) || !Number.isSafeInteger(Number(given))) {
    throw new ProblemHttpException({
      status: HttpStatus.BAD_REQUEST,
      slug: 'invalid-last-event-id',
      title: 'Invalid Last-Event-ID',
      detail: 'Last-Event-ID (or lastEventId) must be the id of an event this feed sent: a non-negative integer.',
      errors: [{ field: 'lastEventId', reason: 'must be a non-negative integer' }],
    });
  }
  return Number(given);
}
