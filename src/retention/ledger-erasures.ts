import type { EventStore, RecordedEvent } from '../ledger/event-store';
import { SEIZURE_STREAM_PREFIX } from '../projections/projected-event';

/** Events read from the log per page while scanning it for erasures. */
const PAGE = 1000;

/** An erasure recorded in the log: which seizure, which event. */
export interface LedgerErasure {
  seizureId: string;
  eventId: string;
}

/** The erasure an event records, or undefined for any other event. */
export function erasureIn(e: RecordedEvent): LedgerErasure | undefined {
  if (e.type !== 'PersonalDataErased' || !e.streamName.startsWith(SEIZURE_STREAM_PREFIX)) return undefined;
  return { seizureId: e.streamName.slice(SEIZURE_STREAM_PREFIX.length), eventId: e.id };
}

/**
 * Every erasure recorded in the log, read from the store itself and not from a read model, which
 * may lag behind (or be rebuilding) when the server starts. Returns them with the last position read.
 */
export async function erasuresInLedger(store: EventStore): Promise<{ erasures: LedgerErasure[]; position: number }> {
  const erasures: LedgerErasure[] = [];
  let position = 0;
  for (;;) {
    const page = await store.readAll({ fromPosition: position, maxCount: PAGE });
    for (const e of page) {
      const erasure = erasureIn(e);
      if (erasure !== undefined) erasures.push(erasure);
    }
    if (page.length === 0) return { erasures, position };
    position = page[page.length - 1].globalPosition;
    if (page.length < PAGE) return { erasures, position };
  }
}
