import type { EventStore, RecordedEvent } from '../../ledger/event-store';
import { canonicalJson, computeEventHash } from '../../ledger/hash-chain';
import { isMerkleLogEvent } from '../merkle/merkle-log.projection';

/** Where an event sits in the store, to name it in a report. */
export interface EventPlace {
  streamName: string;
  revision: number;
  globalPosition: number;
}

/** One leaf of the Merkle log as the store's events give it now. */
export interface LogLeaf {
  leafIndex: number;
  /** The chain hash recomputed from the event's stored fields: what the leaf must have been when a head was signed. */
  eventHash: string;
  /** Whether the stored hash equals the recomputed one (the chain check reports it when not). */
  storedHashMatches: boolean;
  event: EventPlace;
}

export const LOG_LEAVES_PAGE_SIZE = 1000;

/** The event's chain hash from its fields, never from its stored `hash`. */
export function recomputedEventHash(e: RecordedEvent): string {
  return computeEventHash({
    streamName: e.streamName,
    revision: e.revision,
    eventId: e.id,
    type: e.type,
    dataText: canonicalJson(e.data),
    metadataText: canonicalJson(e.metadata),
    prevHash: e.prevHash,
  });
}

/**
 * The leaves of the Merkle log, recomputed from the events through the EventStore port (so either
 * store will do), page by page in commit order: leaf i is the i-th seizure event. The stored
 * Merkle table is not consulted; it is what is being checked.
 */
export async function* logLeaves(store: EventStore, pageSize = LOG_LEAVES_PAGE_SIZE): AsyncGenerator<LogLeaf> {
  let position = 0;
  let leafIndex = 0;
  for (;;) {
    const page = await store.readAll({ fromPosition: position, maxCount: pageSize });
    for (const e of page) {
      if (!isMerkleLogEvent(e)) continue;
      const eventHash = recomputedEventHash(e);
      yield {
        leafIndex: leafIndex++,
        eventHash,
        storedHashMatches: eventHash === e.hash,
        event: { streamName: e.streamName, revision: e.revision, globalPosition: e.globalPosition },
      };
    }
    if (page.length < pageSize) return;
    position = page[page.length - 1].globalPosition;
  }
}
