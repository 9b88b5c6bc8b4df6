import { randomUUID } from 'node:crypto';
import type { NewEvent } from '../event-store';
import { encodeNewEvents, type EncodedEvent } from '../hash-chain';
import { findPriorWrite, type StoredEventSummary } from './prior-write';

const newEvent = (type = 'Noted', data: NewEvent['data'] = { n: 1 }): NewEvent => ({ id: randomUUID(), type, data });

describe('recognising a retried append', () => {
  const batch: EncodedEvent[] = encodeNewEvents([newEvent('A'), newEvent('B'), newEvent('C')]);
  const storedAt = (firstRevision: number, events: readonly EncodedEvent[]): StoredEventSummary[] =>
    events.map((e, i) => ({ revision: firstRevision + i, globalPosition: 1000 + (firstRevision + i) * 10, eventId: e.id, type: e.type }));
  const others = (firstRevision: number, count: number): StoredEventSummary[] =>
    storedAt(firstRevision, encodeNewEvents(Array.from({ length: count }, () => newEvent('Other'))));

  it('finds nothing when none of the ids is stored', () => {
    expect(findPriorWrite(batch, others(0, 5), 5)).toEqual({ kind: 'none' });
    expect(findPriorWrite(batch, [], null)).toEqual({ kind: 'none' });
  });

  it('returns the first result for the same ids at the place the caller expected', () => {
    const examined = [...others(0, 2), ...storedAt(2, batch)];
    expect(findPriorWrite(batch, examined, 2)).toEqual({
      kind: 'retry',
      lastRevision: 4,
      lastGlobalPosition: 1040,
      lastEventId: batch[2].id,
    });
  });

  it("finds an 'any' retry wherever it was written, from its events alone", () => {
    expect(findPriorWrite(batch, [...storedAt(7, batch), ...others(10, 3)], null)).toMatchObject({ kind: 'retry', lastRevision: 9 });
  });

  it('refuses the same ids at another place than expected', () => {
    expect(findPriorWrite(batch, storedAt(0, batch), 3)).toMatchObject({
      kind: 'duplicate',
      eventId: batch[0].id,
      reason: 'it is already stored at revision 0, not at revision 3',
    });
  });

  it('refuses a batch that shares only its first id, or changes a type, or is cut short', () => {
    const mixed = [storedAt(0, batch)[0], ...others(1, 2)];
    expect(findPriorWrite(batch, mixed, 0)).toMatchObject({ kind: 'duplicate', reason: 'it was appended in a different batch' });
    const retyped = storedAt(0, batch).map((e, i) => (i === 1 ? { ...e, type: 'Renamed' } : e));
    expect(findPriorWrite(batch, retyped, null)).toMatchObject({ kind: 'duplicate' });
    expect(findPriorWrite(batch, storedAt(0, batch.slice(0, 2)), 0)).toMatchObject({ kind: 'duplicate' });
  });

  it('refuses a batch whose later id is already stored although its first is not', () => {
    const reused = storedAt(4, [batch[1]]);
    expect(findPriorWrite(batch, reused, null)).toEqual({
      kind: 'duplicate',
      eventId: batch[1].id,
      reason: 'it is already stored at revision 4 of this stream',
    });
  });
});
