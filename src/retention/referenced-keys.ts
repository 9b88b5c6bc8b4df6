import type { EventStore } from '../ledger/event-store';
import type { ReferencedKeys } from '../sealing/key-store';

const PAGE = 1000;

/**
 * Which of the given key ids some stored event's envelopes name (or a personal attachment's
 * event, as its content key), read from the event store (both adapters keep the envelopes beside
 * each event). A whole-log scan, so it runs only when the key
 * store has unused keys to collect, which happens only after an append failed or the process
 * stopped between an append and marking its keys used. Matching the id in the envelopes' text,
 * not parsing them, errs towards keeping a key: an envelope that no longer parses still keeps its key.
 */
export function referencedInLedger(store: EventStore): ReferencedKeys {
  return async (keyIds) => {
    const found = new Set<string>();
    let position = 0;
    for (;;) {
      const page = await store.readAll({ fromPosition: position, maxCount: PAGE });
      for (const e of page) {
        // A personal attachment's content key is named in its event's data, not in envelopes.
        const text = `${e.envelopes ?? ''}${e.type === 'AttachmentAdded' ? JSON.stringify(e.data) : ''}`;
        if (text === '') continue;
        for (const keyId of keyIds) if (!found.has(keyId) && text.includes(keyId)) found.add(keyId);
      }
      if (page.length < PAGE || found.size === keyIds.length) return found;
      position = page[page.length - 1].globalPosition;
    }
  };
}
