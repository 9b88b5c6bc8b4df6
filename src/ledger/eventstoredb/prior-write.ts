import type { EncodedEvent } from '../hash-chain';

/** What an append needs to know about a stored event to recognise its own earlier write. */
export interface StoredEventSummary {
  revision: number;
  globalPosition: number;
  eventId: string;
  type: string;
}

export type PriorWrite =
  | { kind: 'none' }
  | { kind: 'retry'; lastRevision: number; lastGlobalPosition: number; lastEventId: string }
  | { kind: 'duplicate'; eventId: string; reason: string };

/**
 * Decides, from the stored events of the target stream that were examined (any subset, in any
 * order), whether an append is a retry of an earlier one or reuses ids. The same rule as the SQLite
 * store: a retry has the same ids and types in the same order at consecutive revisions, starting
 * where the caller expects to write (anywhere, for 'any' and 'stream_exists'); any other stored
 * occurrence of one of the batch's ids is a duplicate.
 */
export function findPriorWrite(
  batch: readonly EncodedEvent[],
  examined: readonly StoredEventSummary[],
  expectedStart: number | null,
): PriorWrite {
  const batchIds = new Set(batch.map((e) => e.id));
  const hitsByRevision = new Map<number, StoredEventSummary>();
  for (const e of examined) if (batchIds.has(e.eventId)) hitsByRevision.set(e.revision, e);
  if (hitsByRevision.size === 0) return { kind: 'none' };

  const hits = [...hitsByRevision.values()].sort((a, b) => a.revision - b.revision);
  const first = hits.find((e) => e.eventId === batch[0].id);
  if (!first) {
    return { kind: 'duplicate', eventId: hits[0].eventId, reason: `it is already stored at revision ${hits[0].revision} of this stream` };
  }
  const duplicate = (reason: string): PriorWrite => ({ kind: 'duplicate', eventId: batch[0].id, reason });
  if (expectedStart !== null && first.revision !== expectedStart) {
    return duplicate(`it is already stored at revision ${first.revision}, not at revision ${expectedStart}`);
  }
  for (let i = 0; i < batch.length; i++) {
    const stored = hitsByRevision.get(first.revision + i);
    if (!stored || stored.eventId !== batch[i].id || stored.type !== batch[i].type)
      return duplicate('it was appended in a different batch');
  }
  if (hits.length !== batch.length) return duplicate('some of its ids are stored elsewhere in this stream too');
  const last = hitsByRevision.get(first.revision + batch.length - 1) as StoredEventSummary;
  return { kind: 'retry', lastRevision: last.revision, lastGlobalPosition: last.globalPosition, lastEventId: last.eventId };
}
