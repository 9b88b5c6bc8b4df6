import { EventEmitter } from 'node:events';
import type { AllStreamRecordedEvent, AllStreamSubscription, Position, StreamingRead } from '@eventstore/db-client';
import type { NewEvent } from '../event-store';
import { GENESIS_HASH, chainEvents, encodeNewEvents } from '../hash-chain';
import { encodeEventData, encodeEventMetadata, reservationStreamFor } from './eventstoredb-mapping';

/** What the client hands over for a batch this store wrote: data as raw bytes, metadata parsed as JSON, a log position each. */
export function storedEvents(streamName: string, events: readonly NewEvent[], positions: readonly number[]): AllStreamRecordedEvent[] {
  const chained = chainEvents(streamName, 0, GENESIS_HASH, encodeNewEvents(events));
  return chained.map((e, i) => {
    const recordedAt = '2024-04-19T05:30:00.000Z';
    const chain = { prevHash: e.prevHash, hash: e.hash, recordedAt, appendId: 'a-1', metadataText: e.metadataText };
    const metadata = encodeEventMetadata(e.envelopesText === undefined ? chain : { ...chain, envelopesText: e.envelopesText });
    return {
      streamId: streamName,
      id: e.id,
      revision: BigInt(e.revision),
      type: e.type,
      isJson: false,
      data: encodeEventData(e.dataText),
      metadata: JSON.parse(Buffer.from(metadata).toString('utf8')) as unknown,
      position: logPosition(positions[i]),
      created: new Date(0),
    } as unknown as AllStreamRecordedEvent;
  });
}

/** Records in $all that are not the ledger's: an id reservation and a system event. */
export function foreignEvents(positions: readonly [number, number]): AllStreamRecordedEvent[] {
  const foreign = (streamId: string, type: string, position: number): AllStreamRecordedEvent =>
    ({
      streamId,
      id: 'x',
      revision: 0n,
      type,
      isJson: true,
      data: {},
      position: logPosition(position),
    }) as unknown as AllStreamRecordedEvent;
  return [
    foreign(reservationStreamFor('00000000-0000-4000-8000-000000000000'), 'LedgerEventIdReserved', positions[0]),
    foreign('$stats-127.0.0.1:2113', 'StatsCollected', positions[1]),
  ];
}

export function logPosition(offset: number): Position {
  return { commit: BigInt(offset), prepare: BigInt(offset) };
}

/** A client read that delivers `items` and ends on the next turn of the event loop. */
export function streamingRead<E>(items: readonly E[]): StreamingRead<E> {
  const read = Object.assign(new EventEmitter(), { cancel: () => Promise.resolve() });
  setImmediate(() => {
    for (const item of items) read.emit('data', item);
    read.emit('end');
  });
  return read as unknown as StreamingRead<E>;
}

/** A client read that fails with `error` on the next turn of the event loop. */
export function failingRead<E>(error: Error): StreamingRead<E> {
  const read = Object.assign(new EventEmitter(), { cancel: () => Promise.resolve() });
  setImmediate(() => read.emit('error', error));
  return read as unknown as StreamingRead<E>;
}

/** A subscription the test drives by hand: emit('data' | 'error' | 'end'); records whether it was cancelled. */
export class FakeSubscription extends EventEmitter {
  unsubscribed = 0;
  unsubscribe(): Promise<void> {
    this.unsubscribed += 1;
    return Promise.resolve();
  }
  deliver(events: readonly AllStreamRecordedEvent[]): void {
    for (const event of events) this.emit('data', { event });
  }
  asClientSubscription(): AllStreamSubscription {
    return this as unknown as AllStreamSubscription;
  }
}
